package cn.bazhong.credit.gateway.upstream;

import cn.bazhong.credit.gateway.transport.UpstreamToken;
import cn.bazhong.credit.gateway.transport.UpstreamTransport;
import cn.bazhong.credit.simulators.province.ProvincialSimulator;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The REST adapter with OAuth2 client credentials: it fetches a token, and when the province refuses
 * it (expired, revoked) it fetches a fresh one once and sends again.
 */
class OAuth2TokenTest {

    @org.junit.jupiter.api.extension.RegisterExtension
    static final cn.bazhong.credit.gateway.support.PlainCamel CAMEL = new cn.bazhong.credit.gateway.support.PlainCamel();


    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    /** A token endpoint that hands out token-1, token-2, … and remembers what it was asked. */
    private HttpServer tokenServer(AtomicInteger issued, List<String> authorizations) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/oauth/token", exchange -> {
            authorizations.add(exchange.getRequestHeaders().getFirst("Authorization")
                    + " " + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] body = ("{\"access_token\": \"token-" + issued.incrementAndGet() + "\", \"token_type\": \"Bearer\", \"expires_in\": 3600}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        open.add(() -> server.stop(0));
        return server;
    }

    @Test
    void a_refused_token_is_renewed_once_and_the_batch_goes_through() throws Exception {
        AtomicInteger issued = new AtomicInteger();
        List<String> asked = new ArrayList<>();
        HttpServer tokens = tokenServer(issued, asked);
        // the province only accepts the second token: the first one is "expired"
        ProvincialSimulator province = ProvincialSimulator.start(ProvincialSimulator.Settings.defaults().withToken("token-2"));
        open.add(province);
        UpstreamToken token = new UpstreamToken.ClientCredentials(
                URI.create("http://127.0.0.1:" + tokens.getAddress().getPort() + "/oauth/token"), "gateway", "s3cret", "exchange",
                Clock.systemUTC());
        RestUpstreamTransport transport = new RestUpstreamTransport(CAMEL, province.baseUri().toString(), token, Duration.ofSeconds(10));

        BatchDocument batch = UpstreamAdapterFixtures.batch("LIST_ENTRY", 1, "oauth");
        UpstreamTransport.Answer answer = transport.send(batch.batchId(), UpstreamAdapterFixtures.document(batch));

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(issued.get()).isEqualTo(2);
        assertThat(asked.get(0)).startsWith("Basic ").contains("grant_type=client_credentials").contains("scope=exchange");
        assertThat(province.records()).hasSize(1);
    }

    @Test
    void a_token_is_reused_until_it_is_refused() throws Exception {
        AtomicInteger issued = new AtomicInteger();
        HttpServer tokens = tokenServer(issued, new ArrayList<>());
        ProvincialSimulator province = ProvincialSimulator.start(ProvincialSimulator.Settings.defaults().withToken("token-1"));
        open.add(province);
        UpstreamToken token = new UpstreamToken.ClientCredentials(
                URI.create("http://127.0.0.1:" + tokens.getAddress().getPort() + "/oauth/token"), "gateway", "s3cret", "", Clock.systemUTC());
        RestUpstreamTransport transport = new RestUpstreamTransport(CAMEL, province.baseUri().toString(), token, Duration.ofSeconds(10));

        BatchDocument one = UpstreamAdapterFixtures.batch("LIST_ENTRY", 1, "one");
        BatchDocument two = UpstreamAdapterFixtures.batch("LIST_ENTRY", 1, "two");
        assertThat(transport.send(one.batchId(), UpstreamAdapterFixtures.document(one)).status()).isEqualTo(200);
        assertThat(transport.send(two.batchId(), UpstreamAdapterFixtures.document(two)).status()).isEqualTo(200);
        assertThat(issued.get()).isEqualTo(1);
    }
}
