package cn.bazhong.credit.gateway.lists;

import cn.bazhong.credit.gateway.crypto.Sm2BodySignature;
import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.infra.KafkaStage;
import cn.bazhong.credit.gateway.infra.TopicProvisioner;
import cn.bazhong.credit.gateway.ingest.FeedIngestor;
import cn.bazhong.credit.gateway.ingest.FeedSource;
import cn.bazhong.credit.gateway.tls.OutboundTls;
import cn.bazhong.credit.gateway.transport.UpstreamToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Pulls the province's list updates ({@code GET {base}/exchange/v1/list-updates?after=<cursor>}) and
 * takes them in through the {@code province-list-updates} mapping like any feed. The cursor is saved
 * on a compacted topic only after the updates are durable: a crash re-pulls the same updates, whose
 * records have the same versions and are dropped as duplicates, so no update is skipped or applied twice.
 */
public class ProvinceListPuller extends KafkaStage {

    private static final Logger LOG = LoggerFactory.getLogger(ProvinceListPuller.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CURSOR_KEY = "list-updates";
    public static final String MAPPING = "province-list-updates";

    private final FeedIngestor ingestor;
    private final KafkaClients clients;
    private final String cursorTopic;
    private final URI endpoint;
    private final UpstreamToken token;
    private final Duration interval;
    private final HttpClient http;
    private final ListUpdateSignatures signatures;
    private volatile Thread worker;

    public ProvinceListPuller(FeedIngestor ingestor, KafkaClients clients, String cursorTopic, String baseUrl, UpstreamToken token,
                              Duration interval) {
        this(ingestor, clients, cursorTopic, baseUrl, token, interval, OutboundTls.jdkDefaults());
    }

    /** {@code tls}: what the province's certificate is checked against, and the gateway's client certificate. */
    public ProvinceListPuller(FeedIngestor ingestor, KafkaClients clients, String cursorTopic, String baseUrl, UpstreamToken token,
                              Duration interval, OutboundTls tls) {
        this(ingestor, clients, cursorTopic, baseUrl, token, interval, tls, ListUpdateSignatures.NOT_REQUIRED);
    }

    /**
     * {@code signatures}: when required, a page is taken in only with a good SM2 signature of its exact bytes;
     * a refused page is an error of the pull (retried, the cursor stays), never partly applied.
     */
    public ProvinceListPuller(FeedIngestor ingestor, KafkaClients clients, String cursorTopic, String baseUrl, UpstreamToken token,
                              Duration interval, OutboundTls tls, ListUpdateSignatures signatures) {
        super("province-list-puller");
        this.signatures = signatures;
        this.http = tls.newClient().connectTimeout(Duration.ofSeconds(10)).build();
        this.ingestor = ingestor;
        this.clients = clients;
        this.cursorTopic = cursorTopic;
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.endpoint = URI.create(base + "/exchange/v1/list-updates");
        this.token = token;
        this.interval = interval;
        TopicProvisioner.ensure(clients, List.of(TopicProvisioner.topic(cursorTopic, 1, (short) 1,
                Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))));
    }

    @Override
    protected void runOnce() throws Exception {
        worker = Thread.currentThread();
        try (KafkaProducer<String, byte[]> producer = clients.producer("gateway-province-cursor")) {
            String cursor = savedCursor();
            while (running()) {
                JsonNode page = fetch(cursor);
                JsonNode updates = page.path("updates");
                if (updates.size() > 0) {
                    ByteArrayOutputStream lines = new ByteArrayOutputStream();
                    for (JsonNode u : updates) {
                        lines.write(JSON.writeValueAsBytes(u));
                        lines.write('\n');
                    }
                    String pageId = "PULL-" + (cursor == null ? "start" : cursor);
                    ingestor.ingest(FeedSource.request(MAPPING, pageId), new ByteArrayInputStream(lines.toByteArray()));
                }
                String next = page.path("cursor").asText(cursor);
                if (next != null && !next.equals(cursor)) {
                    KafkaClients.awaitDurable(producer.send(new ProducerRecord<>(cursorTopic, CURSOR_KEY, next.getBytes(StandardCharsets.UTF_8))),
                            "the list-update cursor");
                    cursor = next;
                }
                healthy();
                if (!page.path("hasMore").asBoolean(false)) {
                    try {
                        Thread.sleep(interval.toMillis());
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        } finally {
            worker = null;
        }
    }

    private JsonNode fetch(String cursor) throws IOException, InterruptedException {
        String query = "?limit=100" + (cursor == null ? "" : "&after=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(endpoint + query)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token.current()).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() == 401 || r.statusCode() == 403) {
            token.invalidate();
        }
        if (r.statusCode() != 200) {
            throw new IOException("the province answered " + r.statusCode() + " to the list-update pull");
        }
        var refusal = signatures.check(r.body(), r.headers().firstValue(Sm2BodySignature.SIGNATURE_HEADER).orElse(null),
                r.headers().firstValue(Sm2BodySignature.KEY_HEADER).orElse(null));
        if (refusal.isPresent()) {
            throw new IOException("a list-update page from the province was refused (" + refusal.get().rule() + "): "
                    + refusal.get().detail() + "; nothing of it was applied");
        }
        return JSON.readTree(r.body());
    }

    /** The last saved cursor, or null to start from the beginning. */
    private String savedCursor() {
        String[] cursor = new String[1];
        clients.readToEnd(cursorTopic, "province-cursor-reader", r -> {
            if (CURSOR_KEY.equals(r.key()) && r.value() != null) {
                cursor[0] = new String(r.value(), StandardCharsets.UTF_8);
            }
        });
        if (cursor[0] != null) {
            LOG.info("province list updates resume after cursor {}", cursor[0]);
        }
        return cursor[0];
    }

    @Override
    protected void wakeup() {
        Thread t = worker;
        if (t != null) {
            t.interrupt();
        }
    }
}
