package cn.bazhong.credit.gateway.ops;

import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.support.FanoutFixtures;
import cn.bazhong.credit.gateway.support.Http;
import cn.bazhong.credit.gateway.support.SharedFanoutGateway;
import cn.bazhong.credit.gateway.support.TestGateway;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.nio.charset.StandardCharsets;
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
 * gateway at {@code /actuator/prometheus}. The shared fan-out gateway has a province and the approval bureau (XZSPJ),
 * whose webhook receives the fan-out of the tax list (the shipped catalog gives A-level taxpayers a measure there);
 * this class sends one A-level taxpayer on the SWJ topic and waits for its event, so that the meters that appear
 * only once something is counted (records, fan-out events and their latency) appear.
 */
class ExportedMetricsTest extends SharedFanoutGateway {

    static final String TAXPAYER = "91511922MA6TL5RJXL";
    private static final Pattern SAMPLE_NAME = Pattern.compile("(?m)^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]");

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
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(HOOKS.received("XZSPJ"))
                .anySatisfy(r -> assertThat(FanoutFixtures.subjectCode(r.body())).isEqualTo(TAXPAYER)));
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
