package cn.bazhong.credit.gateway.cluster;

import cn.bazhong.credit.gateway.support.SharedGateway;
import cn.bazhong.credit.gateway.support.Http;
import cn.bazhong.credit.gateway.support.TestGateway;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A single gateway on its embedded defaults holds every lease, so it leads every SFTP feed, and
 * says so in /actuator/info and in the gateway_poller_leader gauge.
 */
class PollerLeasesOverHttpTest extends SharedGateway {

    @LocalServerPort
    int port;

    private String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    @Test
    void a_lone_node_leads_every_sftp_feed_and_shows_it_in_info_and_metrics() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode pollers = Http.get(url("/actuator/info"), TestGateway.OPERATOR_KEY).json().path("pollers");
            assertThat(pollers.path("node").asText()).isEqualTo(SharedGateway.NODE);
            assertThat(pollers.path("leasePartitions")).hasSize(12);
            assertThat(pollers.path("feeds").path("scjgj-penalties").path("leader").asBoolean()).isTrue();
            assertThat(pollers.path("feeds").path("zjfy-defaulters").path("leader").asBoolean()).isTrue();
        });
        JsonNode feeds = Http.get(url("/actuator/info"), TestGateway.OPERATOR_KEY).json().path("pollers").path("feeds");
        assertThat(feeds.path("scjgj-penalties").path("leasePartition").asInt()).isBetween(0, 11);

        String prometheus = Http.get(url("/actuator/prometheus"), null).body();
        assertThat(prometheus).contains("gateway_poller_leader{feed=\"scjgj-penalties\"} 1.0")
                .contains("gateway_poller_leader{feed=\"zjfy-defaulters\"} 1.0");
    }
}
