package cn.bazhong.credit.gateway.hostile;

import cn.bazhong.credit.gateway.ingest.*;

import cn.bazhong.credit.gateway.GatewayApplication;
import cn.bazhong.credit.gateway.infra.GatewayTopics;
import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.infra.HazelcastMaps;
import cn.bazhong.credit.gateway.support.Http;
import cn.bazhong.credit.gateway.support.TopicOffsets;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import cn.bazhong.credit.gateway.support.TestGateway;
import cn.bazhong.credit.simulators.province.ProvincialSimulator;
import cn.bazhong.credit.simulators.province.ReceivedRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A REST push is all or nothing: a request that is not answered 2xx leaves no record on
 * {@code credit.upstream} (read committed) or at the province, and no receipt; sent again whole, it
 * goes through once. An Idempotency-Key is bound to the body it was first used with.
 */
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class RestPushesAreAllOrNothingTest {

    static final ProvincialSimulator PROVINCE = ProvincialSimulator.start(ProvincialSimulator.Settings.defaults());
    static final String FIRST_LICENCE = firstLicence();
    static final String KEY = TestGateway.KEYS.get("XZSPJ");
    /** The push transaction slots of a node (gateway.rest.concurrent-pushes, by default). */
    static final int SLOTS = 4;

    @DynamicPropertySource
    static void gateway(DynamicPropertyRegistry registry) {
        TestGateway.register(registry, "all-or-nothing");
        registry.add("gateway.upstream.base-url", () -> PROVINCE.baseUri().toString());
        registry.add("gateway.upstream.token", () -> PROVINCE.settings().token());
        // room for more than one publishing chunk (512 records) before the limit is hit
        registry.add("gateway.rest.max-body-size", () -> "1MB");
        registry.add("gateway.rest.idempotency-lease", () -> "3s");
        registry.add("gateway.rest.push-slot-wait", () -> "500ms");
    }

    @AfterAll
    static void stopProvince() {
        PROVINCE.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    KafkaClients clients;

    @Autowired
    GatewayTopics topics;

    @Autowired
    ReceiptStore receipts;

    @Autowired
    HazelcastInstance hazelcast;

    @Autowired
    io.micrometer.core.instrument.MeterRegistry meters;

    @Value("${gateway.kafka.bootstrap-servers}")
    String bootstrap;

    private static String firstLicence() {
        try {
            String all = Files.readString(Path.of("samples/feeds/rest/xzspj/licences-001.json"));
            int start = all.indexOf('{');
            return all.substring(start, all.indexOf('}', start) + 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A JSON array of {@code count} valid licences whose decision numbers carry {@code year}. */
    static byte[] licences(int year, int count) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < count; i++) {
            b.append(i == 0 ? "\n" : ",\n").append(FIRST_LICENCE.replace("巴审批许〔2023〕2000号", "巴审批许〔" + year + "〕" + i + "号"));
        }
        return b.append("\n]").toString().getBytes(StandardCharsets.UTF_8);
    }

    private String url() {
        return "http://127.0.0.1:" + port + "/api/v1/feeds/xzspj/licences";
    }

    private static long atProvince(int year) {
        return PROVINCE.records().stream().map(ReceivedRecord::recordId).filter(id -> id.contains("〔" + year + "〕")).count();
    }

    /** Records of {@code year} on the upstream topic, read committed. */
    private long upstream(int year) {
        return committed(topics.upstream(), year);
    }

    /** Records of {@code year} on {@code topic}, read committed. */
    private long committed(String topic, int year) {
        AtomicLong n = new AtomicLong();
        clients.readToEnd(topic, "all-or-nothing-test", r -> {
            if (r.key() != null && r.key().contains("〔" + year + "〕")) {
                n.incrementAndGet();
            }
        });
        return n.get();
    }

    private long receiptsOfLicences() {
        AtomicLong n = new AtomicLong();
        receipts.forEach(r -> {
            if ("xzspj-licences".equals(r.feed())) {
                n.incrementAndGet();
            }
        });
        return n.get();
    }

    /**
     * Nothing of {@code year} is committed and nothing ever will be: once the push has given its transaction
     * slot back and no transaction is open on the records topic, what a read-committed reader does not find
     * there was aborted, and no stage can carry it to the upstream topic or the province.
     */
    private void nothingArrives(int year) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> transactions.available() == SLOTS && TopicOffsets.settled(bootstrap, topics.records()));
        assertThat(committed(topics.records(), year)).isZero();
        assertThat(upstream(year)).isZero();
        assertThat(atProvince(year)).isZero();
    }

    /** HTTP requests the gateway has answered or given up on (Spring's request observations). */
    private long requestsServed() {
        return meters.find("http.server.requests").timers().stream().mapToLong(io.micrometer.core.instrument.Timer::count).sum();
    }

    /** The push of {@code idempotencyKey} has ended: it holds no lease on its key (it released it, or completed). */
    private void keyReleased(String idempotencyKey) {
        IMap<String, String> leases = hazelcast.getMap(HazelcastMaps.IDEMPOTENCY_KEYS);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    String held = leases.get("XZSPJ/" + idempotencyKey);
                    return held == null || !held.startsWith("lease:");
                });
    }

    private void arrivesWholeOnce(int year, int count) {
        await().atMost(Duration.ofSeconds(90)).until(() -> atProvince(year) >= count);
        assertThat(upstream(year)).isEqualTo(count);
        assertThat(atProvince(year)).isEqualTo(count);
    }

    @Test
    void a_push_whose_connection_breaks_off_mid_body_leaves_nothing_and_goes_through_whole_when_sent_again() throws Exception {
        byte[] body = licences(2091, 1200);
        long before = receiptsOfLicences();
        long served = requestsServed();
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/feeds/xzspj/licences HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + KEY
                    + "\r\nContent-Type: application/json\r\nIdempotency-Key: cut-2091\r\nTransfer-Encoding: chunked\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            int half = body.length * 3 / 4; // 900 of the 1,200 records, then the line goes dead
            out.write((Integer.toHexString(half) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body, 0, half);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }
        // the gateway has finished with the broken request (it receives a body whole before taking any of it)
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> requestsServed() > served);

        nothingArrives(2091);
        keyReleased("cut-2091");
        assertThat(receiptsOfLicences()).isEqualTo(before);

        Http.Response whole = Http.post(url(), KEY, body, "Idempotency-Key", "cut-2091");
        assertThat(whole.status()).as(whole.body()).isEqualTo(200);
        assertThat(whole.json().path("accepted").asLong()).isEqualTo(1200);
        arrivesWholeOnce(2091, 1200);
    }

    @Test
    void a_chunked_push_over_the_size_limit_is_refused_and_leaves_nothing() throws Exception {
        byte[] tooLarge = licences(2092, 2000); // about 1.4 MB, over the 1 MB limit
        long before = receiptsOfLicences();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url())).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + KEY).header("Idempotency-Key", "large-2092")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(tooLarge))).build();
        try {
            HttpResponse<String> answer = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(413);
        } catch (IOException e) {
            // the server may close the connection on the rest of the body once it has answered
        }

        nothingArrives(2092);
        keyReleased("large-2092");
        assertThat(receiptsOfLicences()).isEqualTo(before);

        byte[] fits = licences(2092, 1000);
        Http.Response whole = Http.post(url(), KEY, fits, "Idempotency-Key", "large-2092");
        assertThat(whole.status()).as(whole.body()).isEqualTo(200);
        arrivesWholeOnce(2092, 1000);
    }

    @Autowired
    FeedPushes pushes;

    @Autowired
    IdempotencyKeys keys;

    @Autowired
    PushTransactions transactions;

    /** A request body that fails with {@code failure} after {@code bytes} bytes. */
    static java.io.InputStream failingAfter(byte[] body, int bytes, IOException failure) {
        return new java.io.FilterInputStream(new ByteArrayInputStream(body, 0, bytes)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n < 0) {
                    throw failure;
                }
                return n;
            }
        };
    }

    @Test
    void a_body_that_breaks_off_after_many_records_were_sent_commits_nothing_and_frees_its_key() {
        byte[] body = licences(2096, 1200);
        long before = receiptsOfLicences();

        // three quarters of the body: 900 records, more than one publishing chunk, are sent before it breaks
        assertThatThrownBy(() -> pushes.push("XZSPJ", "xzspj-licences", "broken-2096",
                failingAfter(body, body.length * 3 / 4, new java.io.EOFException("the connection was closed mid-body"))))
                .hasRootCauseInstanceOf(java.io.EOFException.class);

        nothingArrives(2096);
        assertThat(receiptsOfLicences()).isEqualTo(before);
        PushOutcome whole = pushes.push("XZSPJ", "xzspj-licences", "broken-2096", new ByteArrayInputStream(body));
        assertThat(whole).isInstanceOf(PushOutcome.Ingested.class);
        assertThat(whole.receipt().accepted()).isEqualTo(1200);
        arrivesWholeOnce(2096, 1200);
    }

    @Test
    void a_body_the_web_layer_finds_too_large_commits_nothing() {
        byte[] body = licences(2097, 1200);

        assertThatThrownBy(() -> pushes.push("XZSPJ", "xzspj-licences", null,
                failingAfter(body, body.length * 3 / 4, new BodyTooLargeException(body.length * 3L / 4))))
                .hasRootCauseInstanceOf(BodyTooLargeException.class);

        nothingArrives(2097);
        assertThat(transactions.available()).isEqualTo(SLOTS);
    }

    @Test
    void a_key_whose_push_died_is_busy_during_its_lease_and_free_after_it() {
        keys.claim("XZSPJ", "died-2098"); // a push that took the key, then its node died
        byte[] body = licences(2098, 2);

        Http.Response busy = Http.post(url(), KEY, body, "Idempotency-Key", "died-2098");
        assertThat(busy.status()).as(busy.body()).isEqualTo(409);
        assertThat(busy.raw().headers().firstValue("Retry-After")).isPresent();
        assertThatThrownBy(() -> pushes.push("XZSPJ", "xzspj-licences", "died-2098", new ByteArrayInputStream(body)))
                .isInstanceOfSatisfying(IdempotencyKeyBusy.class, e -> assertThat(e.retryAfter()).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(3)));

        Http.Response taken = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500))
                .until(() -> Http.post(url(), KEY, body, "Idempotency-Key", "died-2098"), r -> r.status() != 409);
        assertThat(taken.status()).as(taken.body()).isEqualTo(200);
        arrivesWholeOnce(2098, 2);
    }

    @Test
    void a_push_that_finds_every_transaction_slot_busy_is_answered_503_with_retry_after() {
        java.util.List<PushTransactions.Transaction> held = new java.util.ArrayList<>();
        try {
            while (transactions.available() > 0) {
                held.add(transactions.begin());
            }
            Http.Response full = Http.post(url(), KEY, licences(2099, 1));
            assertThat(full.status()).as(full.body()).isEqualTo(503);
            assertThat(full.raw().headers().firstValue("Retry-After")).isPresent();
        } finally {
            held.forEach(PushTransactions.Transaction::close);
        }
        assertThat(Http.post(url(), KEY, licences(2099, 1)).status()).isEqualTo(200);
    }

    @Test
    void the_same_key_with_the_same_body_gets_the_first_receipt_and_the_records_arrive_once() {
        byte[] body = licences(2093, 5);
        Http.Response first = Http.post(url(), KEY, body, "Idempotency-Key", "same-2093");
        Http.Response again = Http.post(url(), KEY, body, "Idempotency-Key", "same-2093");

        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(again.status()).as(again.body()).isEqualTo(200);
        assertThat(again.json().path("receiptId").asText()).isEqualTo(first.json().path("receiptId").asText());
        arrivesWholeOnce(2093, 5);
    }

    @Test
    void the_same_key_with_another_body_is_refused_with_422_and_nothing_of_that_body_is_taken() {
        Http.Response first = Http.post(url(), KEY, licences(2094, 3), "Idempotency-Key", "other-2094");
        assertThat(first.status()).as(first.body()).isEqualTo(200);

        Http.Response other = Http.post(url(), KEY, licences(2095, 4), "Idempotency-Key", "other-2094");

        assertThat(other.status()).as(other.body()).isEqualTo(422);
        assertThat(other.json().path("detail").asText()).contains("Idempotency-Key");
        arrivesWholeOnce(2094, 3);
        nothingArrives(2095);
    }
}
