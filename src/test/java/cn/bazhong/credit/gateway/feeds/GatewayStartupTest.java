package cn.bazhong.credit.gateway.feeds;

import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.support.SharedGateway;
import cn.bazhong.credit.gateway.support.TestBroker;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import cn.bazhong.credit.gateway.support.TestGateway;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The gateway starts on its defaults, loads the integrator's routes and mappings, and reports health. */
class GatewayStartupTest extends SharedGateway {

    @LocalServerPort
    int port;

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("Authorization", "Bearer " + cn.bazhong.credit.gateway.support.TestGateway.VIEWER_KEY).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s", path).isEqualTo(200);
        return new ObjectMapper().readTree(response.body());
    }

    @Test
    void the_mappings_api_lists_every_loaded_mapping_with_its_version() throws Exception {
        JsonNode mappings = get("/api/v1/mappings");

        assertThat(mappings).extracting(m -> m.path("id").asText())
                .containsExactly("jtysj-penalties", "province-list-updates", "scjgj-penalties", "ssthjj-penalties", "swj-tax-lists",
                        "xzspj-commitments", "xzspj-licences", "zjfy-defaulters");
        assertThat(mappings.get(2).path("encoding").asText()).isEqualTo("GBK");
        assertThat(mappings.get(2).path("version").asInt()).isEqualTo(1);
    }

    @Test
    void health_is_up() throws Exception {
        assertThat(get("/actuator/health").path("status").asText()).isEqualTo("UP");
    }

    @Autowired
    KafkaClients clients;

    @Test
    void the_embedded_broker_runs_with_the_settings_given_under_gateway_kafka_embedded_broker() throws Exception {
        ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, "1");
        try (Admin admin = Admin.create(clients.base())) {
            var config = admin.describeConfigs(List.of(broker)).all().get().get(broker);
            assertThat(config.get("log.cleaner.dedupe.buffer.size").value())
                    .isEqualTo(TestBroker.SETTINGS.get("log.cleaner.dedupe.buffer.size")).isNotEqualTo(String.valueOf(128 << 20));
            // and the gateway's own settings stay its own
            assertThat(config.get("auto.create.topics.enable").value()).isEqualTo("false");
        }
    }
}
