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
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The gateway's health and metrics over real HTTP, with its embedded Kafka broker and Hazelcast
 * member, and a province that cannot be reached (nothing listens on its port).
 */
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HealthAndMetricsOverHttpTest {

    static final int CLOSED_PORT = FreePorts.next();

    @DynamicPropertySource
    static void gateway(DynamicPropertyRegistry registry) {
        TestGateway.register(registry, "ops");
        registry.add("gateway.upstream.base-url", () -> "http://127.0.0.1:" + CLOSED_PORT);
        registry.add("gateway.upstream.initial-backoff", () -> "100ms");
        registry.add("gateway.upstream.max-backoff", () -> "500ms");
        registry.add("gateway.ops.lag-refresh-interval", () -> "1s");
        registry.add("gateway.ops.health-cache-ttl", () -> "1s");
    }

    @LocalServerPort
    int port;

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
}
