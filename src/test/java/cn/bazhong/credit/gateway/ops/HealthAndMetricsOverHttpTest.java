package cn.bazhong.credit.gateway.ops;

import cn.bazhong.credit.gateway.GatewayApplication;
import cn.bazhong.credit.gateway.support.FreePorts;
import cn.bazhong.credit.gateway.support.Http;
import cn.bazhong.credit.gateway.support.TestGateway;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.apache.camel.CamelContext;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The gateway's health and metrics over real HTTP, with its embedded Kafka broker and Hazelcast
 * member, and a province that cannot be reached (nothing listens on its port). It runs on its own copy of
 * mappings/ and routes/, which the last tests change while it runs (live reload).
 */
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HealthAndMetricsOverHttpTest {

    static final int CLOSED_PORT = FreePorts.next();
    static final Path MAPPINGS = copy("mappings", "*.yaml");
    static final Path ROUTES = copy("routes", "*.camel.yaml");

    private static Path copy(String folder, String glob) {
        try {
            Path dir = Files.createTempDirectory("reload-" + folder + "-");
            try (java.nio.file.DirectoryStream<Path> files = Files.newDirectoryStream(Path.of(folder), glob)) {
                for (Path f : files) {
                    Files.copy(f, dir.resolve(f.getFileName()));
                }
            }
            return dir;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void gateway(DynamicPropertyRegistry registry) {
        TestGateway.register(registry, "ops");
        registry.add("gateway.mappings.dir", MAPPINGS::toString);
        registry.add("camel.main.routes-include-pattern", () -> "file:" + ROUTES + "/*.camel.yaml");
        registry.add("gateway.reload.enabled", () -> "true");
        registry.add("gateway.reload.debounce", () -> "200ms");
        registry.add("gateway.upstream.base-url", () -> "http://127.0.0.1:" + CLOSED_PORT);
        registry.add("gateway.upstream.initial-backoff", () -> "100ms");
        registry.add("gateway.upstream.max-backoff", () -> "500ms");
        registry.add("gateway.ops.lag-refresh-interval", () -> "1s");
        registry.add("gateway.ops.health-cache-ttl", () -> "1s");
    }

    @LocalServerPort
    int port;

    @Autowired
    CamelContext camel;

    private String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** Health as a viewer sees it: with the components' details. */
    private JsonNode health() {
        return Http.get(url("/actuator/health"), TestGateway.VIEWER_KEY).json();
    }

    private String prometheus() {
        Http.Response r = Http.get(url("/actuator/prometheus"), null);
        assertThat(r.status()).isEqualTo(200);
        return r.body();
    }

    /** The value of one sample in the Prometheus text, or null when it is not there. */
    private static Double sample(String text, String name, String labels) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name + "{" + labels) + "[^}]*\\} (\\S+)$").matcher(text);
        return m.find() ? Double.valueOf(m.group(1)) : null;
    }

    @Test
    @Order(1)
    void health_shows_kafka_hazelcast_pipeline_and_upstream_up_with_their_details_next_to_camel() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(health().path("status").asText()).isEqualTo("UP"));
        Http.Response response = Http.get(url("/actuator/health"), TestGateway.VIEWER_KEY);
        assertThat(response.status()).isEqualTo(200);
        JsonNode components = response.json().path("components");

        JsonNode kafka = components.path("kafka");
        assertThat(kafka.path("status").asText()).isEqualTo("UP");
        assertThat(kafka.path("details").path("brokers").asInt()).isEqualTo(1);
        assertThat(kafka.path("details").path("clusterId").asText()).isNotBlank();

        JsonNode hazelcast = components.path("hazelcast");
        assertThat(hazelcast.path("status").asText()).isEqualTo("UP");
        assertThat(hazelcast.path("details").path("clusterState").asText()).isEqualTo("ACTIVE");
        assertThat(hazelcast.path("details").path("members").asInt()).isEqualTo(1);
        assertThat(hazelcast.path("details").path("localMember").asText()).contains("127.0.0.1");

        JsonNode pipeline = components.path("pipeline");
        assertThat(pipeline.path("status").asText()).isEqualTo("UP");
        for (String stage : new String[] {"dedup-stage", "batch-stage", "sender-stage"}) {
            assertThat(pipeline.path("details").path(stage).path("running").asBoolean()).as(stage).isTrue();
            assertThat(pipeline.path("details").path(stage).path("failing").asBoolean()).as(stage).isFalse();
        }
        assertThat(pipeline.path("details").path("sender-stage").path("group").asText()).isEqualTo("gateway-sender");

        JsonNode upstream = components.path("upstream");
        assertThat(upstream.path("status").asText()).isEqualTo("UP");
        assertThat(upstream.path("details").path("circuit").asText()).isEqualTo("CLOSED");
        assertThat(upstream.path("details").path("transport").asText())
                .isEqualTo("REST http://127.0.0.1:" + CLOSED_PORT + "/exchange/v1/batches");

        assertThat(components.fieldNames()).toIterable().anyMatch(name -> name.startsWith("camel"));

        // the list view's indexes are added once it serves, on a thread of their own
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode listView = Http.get(url("/actuator/health"), TestGateway.VIEWER_KEY).json().path("components").path("listView");
            assertThat(listView.path("status").asText()).isEqualTo("UP");
            assertThat(listView.path("details").path("indexes").asText()).isEqualTo("ready");
        });
    }

    @Test
    @Order(2)
    void prometheus_shows_the_lag_of_the_internal_groups_and_of_the_department_kafka_feed_once_refreshed() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            String text = prometheus();
            assertThat(sample(text, "gateway_consumer_lag", "group=\"gateway-dedup\",topic=\"credit.records\"")).isNotNull().isNotNaN();
            assertThat(sample(text, "gateway_consumer_lag", "group=\"gateway-batcher\",topic=\"credit.upstream\"")).isNotNull().isNotNaN();
            assertThat(sample(text, "gateway_consumer_lag", "group=\"gateway-sender\",topic=\"credit.upstream.batches\"")).isNotNull().isNotNaN();
            assertThat(sample(text, "gateway_consumer_lag", "group=\"gateway-swj\",topic=\"dept.swj.credit\"")).isNotNull().isNotNaN();
        });
        assertThat(sample(prometheus(), "gateway_upstream_circuit_state", "breaker=\"province\"")).isEqualTo(0.0);
    }

    @Test
    @Order(3)
    void when_records_cannot_be_delivered_the_circuit_opens_and_upstream_health_goes_down_while_the_rest_stays_up() throws IOException {
        Http.Response pushed = Http.post(url("/api/v1/feeds/xzspj/licences"), TestGateway.KEYS.get("XZSPJ"),
                Files.readAllBytes(Path.of("samples/feeds/rest/xzspj/licences-001.json")), "Content-Type", "application/json");
        assertThat(pushed.status()).as(pushed.body()).isEqualTo(200);
        assertThat(pushed.json().path("accepted").asLong()).isEqualTo(34);

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode upstream = health().path("components").path("upstream");
            assertThat(upstream.path("status").asText()).isEqualTo("DOWN");
            assertThat(upstream.path("details").path("circuit").asText()).isEqualTo("OPEN");
            assertThat(upstream.path("details").path("failedCalls").asInt()).isPositive();
            assertThat(upstream.path("details").path("failureRate").asDouble()).isGreaterThanOrEqualTo(50.0);
        });
        Http.Response response = Http.get(url("/actuator/health"), TestGateway.VIEWER_KEY);
        JsonNode health = response.json();
        assertThat(response.status()).isEqualTo(503);
        assertThat(health.path("status").asText()).isEqualTo("DOWN");
        assertThat(health.path("components").path("upstream").path("status").asText()).isEqualTo("DOWN");
        assertThat(health.path("components").path("kafka").path("status").asText()).isEqualTo("UP");
        assertThat(health.path("components").path("hazelcast").path("status").asText()).isEqualTo("UP");
        assertThat(health.path("components").path("pipeline").path("status").asText()).isEqualTo("UP");
        // load balancers use the readiness group, which the province's state does not take out of service
        Http.Response readiness = Http.get(url("/actuator/health/readiness"), null);
        assertThat(readiness.status()).isEqualTo(200);
        assertThat(readiness.json().path("status").asText()).isEqualTo("UP");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            String text = prometheus();
            assertThat(sample(text, "gateway_upstream_circuit_state", "breaker=\"province\"")).isGreaterThanOrEqualTo(1.0);
            assertThat(sample(text, "gateway_records_total", "department=\"XZSPJ\",feed=\"xzspj-licences\",outcome=\"accepted\"")).isEqualTo(34.0);
            // the sender commits a batch only once the province answers it: the batch stays behind
            assertThat(sample(text, "gateway_consumer_lag", "group=\"gateway-sender\",topic=\"credit.upstream.batches\"")).isGreaterThan(0.0);
        });
    }

    private static void edit(Path file, String from, String to) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        assertThat(text).contains(from);
        Files.writeString(file, text.replace(from, to), StandardCharsets.UTF_8);
    }

    private JsonNode loadedFile(String name) {
        Http.Response r = Http.get(url("/api/v1/loaded-files"), TestGateway.VIEWER_KEY);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        for (JsonNode f : r.json()) {
            if (f.path("file").asText().endsWith("/" + name)) {
                return f;
            }
        }
        throw new AssertionError(name + " is not in " + r.body());
    }

    private static final String LICENCE = "XZSPJ:ADMIN_LICENSE:11511900MB1530038P:巴审批许〔2023〕2000号";

    private java.util.List<Integer> mappingVersionsReceived() {
        Http.Response traced = Http.get(url("/api/v1/records/" + URLEncoder.encode(LICENCE, StandardCharsets.UTF_8).replace("+", "%20")
                + "/trace"), TestGateway.KEYS.get("XZSPJ"));
        assertThat(traced.status()).as(traced.body()).isEqualTo(200);
        java.util.List<Integer> versions = new java.util.ArrayList<>();
        for (JsonNode step : traced.json().path("steps")) {
            if ("received".equals(step.path("step").asText())) {
                versions.add(step.findPath("mappingVersion").asInt());
            }
        }
        return versions;
    }

    @Test
    @Order(4)
    void a_changed_mapping_applies_without_a_restart_and_each_record_keeps_the_mapping_version_it_was_mapped_with() throws IOException {
        assertThat(loadedFile("xzspj-licences.yaml").path("version").asText()).isEqualTo("1");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(mappingVersionsReceived()).as("pushed in the test before").containsExactly(1));

        edit(MAPPINGS.resolve("xzspj-licences.yaml"), "version: 1", "version: 2");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(loadedFile("xzspj-licences.yaml").path("version").asText()).isEqualTo("2"));
        String changed = Files.readString(Path.of("samples/feeds/rest/xzspj/licences-001.json"), StandardCharsets.UTF_8)
                .replaceFirst("\"BZ\": \"\"", "\"BZ\": \"更正\"");
        Http.Response pushed = Http.post(url("/api/v1/feeds/xzspj/licences"), TestGateway.KEYS.get("XZSPJ"),
                changed.getBytes(StandardCharsets.UTF_8), "Content-Type", "application/json");
        assertThat(pushed.status()).as(pushed.body()).isEqualTo(200);
        assertThat(pushed.json().path("accepted").asLong()).isEqualTo(1);
        // the trace's "received" step is stored by the dedup stage, after the push is answered
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(mappingVersionsReceived()).containsExactly(1, 2));
    }

    @Test
    @Order(5)
    void a_broken_mapping_is_refused_with_its_file_and_line_the_previous_version_stays_and_health_and_metric_say_so() throws IOException {
        Path file = MAPPINGS.resolve("xzspj-licences.yaml");
        edit(file, "kind: ADMIN_LICENSE", "kind: ADMIN_LICENCE");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode reload = health().path("components").path("reload");
            assertThat(reload.path("status").asText()).isEqualTo("DOWN");
            assertThat(reload.path("details").path("refused").toString())
                    .matches(".*xzspj-licences\\.yaml:\\d+: kind: 'ADMIN_LICENCE' is not one of .*");
        });
        assertThat(sample(prometheus(), "gateway_reload_refused_files", "")).isNull(); // no labels: matched below
        assertThat(prometheus()).containsPattern("(?m)^gateway_reload_refused_files(\\{[^}]*\\})? 1\\.0$");
        JsonNode listed = loadedFile("xzspj-licences.yaml");
        assertThat(listed.path("version").asText()).as("still active").isEqualTo("2");
        assertThat(listed.path("refused").asText()).contains("xzspj-licences.yaml:");
        assertThat(Http.get(url("/api/v1/mappings"), TestGateway.VIEWER_KEY).body()).contains("\"kind\":\"ADMIN_LICENSE\"");

        edit(file, "kind: ADMIN_LICENCE", "kind: ADMIN_LICENSE");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(health().path("components").path("reload").path("status").asText()).isEqualTo("UP"));
        assertThat(prometheus()).containsPattern("(?m)^gateway_reload_refused_files(\\{[^}]*\\})? 0\\.0$");
    }

    @Test
    @Order(6)
    void a_new_route_file_is_loaded_and_a_broken_one_is_refused_while_the_running_routes_stay() throws IOException {
        java.util.Set<String> running = routeIds();
        assertThat(running).as("the feed routes of routes/").isNotEmpty();
        Path probe = ROUTES.resolve("reload-probe.camel.yaml");
        Files.writeString(probe, """
                - route:
                    id: reload-probe
                    from:
                      uri: direct:reload-probe
                      steps:
                        - setBody:
                            id: reload-probe-answer
                            expression:
                              constant:
                                expression: first
                """);

        // the whole set is loaded again: the feed routes come back beside the new one
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(loadedFile("reload-probe.camel.yaml").path("sha256").asText())
                .isEqualTo(cn.bazhong.credit.gateway.reload.LoadedFiles.sha256(probe)));
        assertThat(routeIds()).containsAll(running).contains("reload-probe");
        assertThat(camel.createProducerTemplate().requestBody("direct:reload-probe", "", String.class)).isEqualTo("first");

        Files.writeString(probe, Files.readString(probe).replace("constant:", "no-such-language:"));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(loadedFile("reload-probe.camel.yaml").path("refused").asText()).contains("reload-probe.camel.yaml:"));
        assertThat(health().path("components").path("reload").path("status").asText()).isEqualTo("DOWN");
        assertThat(camel.createProducerTemplate().requestBody("direct:reload-probe", "", String.class)).isEqualTo("first");
        assertThat(routeIds()).containsAll(running);

        Files.delete(probe);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(routeIds()).isEqualTo(running));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(health().path("components").path("reload").path("status").asText()).isEqualTo("UP"));
    }

    private java.util.Set<String> routeIds() {
        java.util.Set<String> ids = new java.util.TreeSet<>();
        camel.getRoutes().forEach(r -> ids.add(r.getRouteId()));
        return ids;
    }
}
