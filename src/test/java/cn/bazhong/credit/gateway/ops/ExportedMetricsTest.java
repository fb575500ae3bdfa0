package cn.bazhong.credit.gateway.ops;

import cn.bazhong.credit.gateway.GatewayApplication;
import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.support.FanoutFixtures;
import cn.bazhong.credit.gateway.support.Http;
import cn.bazhong.credit.gateway.support.TestGateway;
import cn.bazhong.credit.gateway.support.WebhookReceivers;
import cn.bazhong.credit.simulators.province.ProvincialSimulator;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every metric that the alert rules and the dashboard under docs/ops name is exported by a running
 * gateway at {@code /actuator/prometheus}. The gateway here has a province, one department (XZSPJ) whose
 * webhook receives the fan-out of the tax list, and gets one A-level taxpayer on the SWJ topic, so that the
 * meters that appear only once something is counted (records, fan-out events and their latency) appear.
 */
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class ExportedMetricsTest {

    static final ProvincialSimulator PROVINCE = ProvincialSimulator.start(ProvincialSimulator.Settings.defaults());
    static final WebhookReceivers HOOKS = new WebhookReceivers();
    static final String TAXPAYER = "91511922MA6TL5RJXL";
    private static final Pattern SAMPLE_NAME = Pattern.compile("(?m)^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]");

    @DynamicPropertySource
    static void gateway(DynamicPropertyRegistry registry) throws IOException {
        TestGateway.register(registry, "metrics");
        registry.add("gateway.upstream.base-url", () -> PROVINCE.baseUri().toString());
        Path subscriptions = Files.createTempFile("subscriptions-", ".yaml");
        // the shipped catalog: XZSPJ applies a measure to A-level taxpayers, so it gets the tax list's events
        Files.writeString(subscriptions, "subscriptions:\n" + FanoutFixtures.webhooks(HOOKS, List.of("XZSPJ"),
                d -> "    retry: { maxAttempts: 50, initialBackoff: 200ms, maxBackoff: 1s }\n"));
        registry.add("gateway.fanout.enabled", () -> "true");
        registry.add("gateway.fanout.subscriptions-file", subscriptions::toString);
        registry.add("gateway.ops.lag-refresh-interval", () -> "1s");
    }

    @AfterAll
    static void stop() {
        HOOKS.close();
        PROVINCE.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    KafkaClients clients;

    private Set<String> exported() {
        Http.Response r = Http.get("http://127.0.0.1:" + port + "/actuator/prometheus", null);
        assertThat(r.status()).isEqualTo(200);
        Set<String> names = new TreeSet<>();
        Matcher m = SAMPLE_NAME.matcher(r.body());
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    @Test
    void every_metric_the_alert_rules_and_the_dashboard_name_is_exported_by_a_running_gateway() {
        Set<String> named = new TreeSet<>(OpsAssets.metricNames(OpsAssets.read(OpsAssets.RULES)));
        named.addAll(OpsAssets.metricNames(OpsAssets.read(OpsAssets.DASHBOARD)));
        assertThat(named).contains("gateway_records_total", "gateway_consumer_lag", "gateway_fanout_events_total");

        String json = "{\"lx\": \"NSXYA\", \"nsrsbh\": \"" + TAXPAYER + "\", \"nsrmc\": \"纳税人甲\", \"pjnd\": \"2025\","
                + " \"xyjb\": \"A\", \"pdrq\": \"20260410\", \"yxqz\": \"20281231\", \"zt\": \"1\"}";
        try (KafkaProducer<String, byte[]> producer = clients.producer("metrics-test")) {
            producer.send(new ProducerRecord<>("dept.swj.credit", TAXPAYER, json.getBytes(StandardCharsets.UTF_8)));
            producer.flush();
        }
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(HOOKS.received("XZSPJ")).isNotEmpty());
        // a refused call, for the authentication failure counter's series and the API request timer
        assertThat(Http.get("http://127.0.0.1:" + port + "/api/v1/mappings", "no-such-key").status()).isEqualTo(401);
        assertThat(Http.get("http://127.0.0.1:" + port + "/api/v1/mappings", TestGateway.VIEWER_KEY).status()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            Set<String> missing = new TreeSet<>(named);
            missing.removeAll(exported());
            assertThat(missing).as("named in docs/ops but not exported").isEmpty();
        });
    }
}
