package cn.bazhong.credit.simulators.province;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The {@code /sim/} control API, over real HTTP. */
class ControlEndpointTest {

    private static ProvincialSimulator province;
    private ProvinceClient client;

    @BeforeAll
    static void start() {
        province = ProvincialSimulator.start(ProvincialSimulator.Settings.defaults());
    }

    @AfterAll
    static void stop() {
        province.close();
    }

    @BeforeEach
    void freshProvince() {
        province.reset();
        client = new ProvinceClient(province.baseUri());
    }

    @Test
    void received_lists_batches_and_records_without_data_unless_asked() {
        client.push(Batches.penalties("B-SEEN", 2));

        JsonNode plain = ok(client.get("/sim/received", null));
        JsonNode withData = ok(client.get("/sim/received?data=true", null));

        assertThat(plain.path("batchRequests").asInt()).isEqualTo(1);
        assertThat(plain.path("batches").get(0).path("batchId").asText()).isEqualTo("B-SEEN");
        assertThat(plain.path("batches").get(0).path("dataset").asText()).isEqualTo("ADMIN_PENALTY");
        assertThat(plain.path("batches").get(0).path("recordCount").asInt()).isEqualTo(2);
        assertThat(plain.path("batches").get(0).path("sourceUnit").path("uscc").asText()).isEqualTo("11420000MB15291767");
        assertThat(plain.path("records").findValuesAsText("recordId"))
                .containsExactly("SCJGJ:ADMIN_PENALTY:1001", "SCJGJ:ADMIN_PENALTY:1002");
        assertThat(plain.path("records").get(0).has("data")).isFalse();
        assertThat(plain.path("records").get(0).path("version").asText()).isNotBlank();
        assertThat(withData.path("records").get(0).path("data").path("CF_WSH").asText()).isEqualTo("巴市监处罚〔2022〕1001号");
    }

    @Test
    void fail_next_over_http_answers_503_with_retry_after_for_that_many_requests() {
        HttpResponse<String> set = client.post("/sim/faults",
                "{\"failNext\": {\"count\": 2, \"status\": 503, \"retryAfterSeconds\": 1}}");
        assertThat(ok(set).path("faults").path("failNext").path("remaining").asInt()).isEqualTo(2);

        List<Integer> statuses = List.of(
                client.push(Batches.penalties("B-CTL", 1)).statusCode(),
                client.push(Batches.penalties("B-CTL", 1)).statusCode(),
                client.push(Batches.penalties("B-CTL", 1)).statusCode());

        assertThat(statuses).containsExactly(503, 503, 200);
    }

    @Test
    void fail_for_seconds_over_http_fails_batches_until_the_window_passes() {
        // a window long enough that the first push falls in it on a busy machine (0.3 s once did not, in a full run)
        ok(client.post("/sim/faults", "{\"failForSeconds\": 5, \"status\": 429}"));

        HttpResponse<String> during = client.push(Batches.penalties("B-CTL", 1));
        assertThat(during.statusCode()).isEqualTo(429);
        // what is left of the window, in whole seconds rounded up
        assertThat(during.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(Integer.parseInt(v)).isBetween(1, 5));
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                .until(() -> client.push(Batches.penalties("B-CTL", 1)).statusCode() == 200);
    }

    @Test
    void delay_millis_over_http_holds_batch_answers_back() throws Exception {
        ok(client.post("/sim/faults", "{\"delayMillis\": 400}"));

        long started = System.nanoTime();
        CompletableFuture<HttpResponse<String>> slow = client.pushAsync(Batches.penalties("B-CTL", 1));
        assertThat(slow.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
    }

    @Test
    void reject_over_http_rejects_matching_records_with_the_given_code_and_message() {
        ok(client.post("/sim/faults",
                "{\"reject\": {\"recordIdRegex\": \"1001$\", \"code\": \"DUPLICATE_DECISION\", \"message\": \"决定书文号重复\"}}"));

        JsonNode results = ok(client.push(Batches.penalties("B-CTL", 2))).path("results");

        assertThat(results.get(0).path("status").asText()).isEqualTo("REJECTED");
        assertThat(results.get(0).path("code").asText()).isEqualTo("DUPLICATE_DECISION");
        assertThat(results.get(0).path("message").asText()).isEqualTo("决定书文号重复");
        assertThat(results.get(1).path("status").asText()).isEqualTo("ACCEPTED");
    }

    @Test
    void clear_over_http_switches_faults_off_and_get_shows_what_is_on() {
        ok(client.post("/sim/faults", "{\"delayMillis\": 5000, \"reject\": {\"recordIdRegex\": \".*\"}}"));
        JsonNode on = ok(client.get("/sim/faults", null)).path("faults");
        assertThat(on.path("delayMillis").asLong()).isEqualTo(5000);
        assertThat(on.path("reject").get(0).path("code").asText()).isEqualTo("PROVINCE_REJECTED");

        JsonNode off = ok(client.post("/sim/faults", "{\"clear\": true}")).path("faults");

        assertThat(off.path("delayMillis").asLong()).isZero();
        assertThat(off.path("reject")).isEmpty();
    }

    @Test
    void an_invalid_fault_request_is_answered_400_and_changes_nothing() {
        HttpResponse<String> unknownKey = client.post("/sim/faults", "{\"delayMillis\": 100, \"explode\": true}");
        HttpResponse<String> badStatus = client.post("/sim/faults", "{\"delayMillis\": 100, \"failNext\": {\"count\": 1, \"status\": 200}}");
        HttpResponse<String> badRegex = client.post("/sim/faults", "{\"reject\": {\"recordIdRegex\": \"(\"}}");
        HttpResponse<String> notJson = client.post("/sim/faults", "{delayMillis");

        assertThat(List.of(unknownKey, badStatus, badRegex, notJson)).extracting(HttpResponse::statusCode).containsOnly(400);
        assertThat(ProvinceClient.json(unknownKey).path("error").asText()).contains("explode");
        assertThat(ok(client.get("/sim/faults", null)).path("faults").path("delayMillis").asLong()).isZero();
    }

    @Test
    void list_updates_posted_over_http_are_served_to_the_gateway() {
        HttpResponse<String> posted = client.post("/sim/list-updates",
                Batches.json(ListUpdatesEndpointTest.update("LIST", "巴税A〔2024〕1号")));

        assertThat(posted.statusCode()).isEqualTo(201);
        assertThat(ProvinceClient.json(posted).path("updateId").asText()).isEqualTo("U-1");
        JsonNode served = ok(client.listUpdates(""));
        assertThat(served.path("updates").get(0).path("entry").path("documentNo").asText()).isEqualTo("巴税A〔2024〕1号");
        assertThat(ok(client.get("/sim/list-updates", null)).path("updates")).hasSize(1);
    }

    @Test
    void reset_over_http_forgets_everything() {
        client.push(Batches.penalties("B-CTL", 1));
        province.publishListUpdate(ListUpdatesEndpointTest.update("LIST", "D-1"));
        province.failNext(3, 503, null);

        ok(client.post("/sim/reset", ""));

        JsonNode received = ok(client.get("/sim/received", null));
        assertThat(received.path("batches")).isEmpty();
        assertThat(received.path("records")).isEmpty();
        assertThat(ok(client.listUpdates("")).path("updates")).isEmpty();
        assertThat(client.push(Batches.penalties("B-CTL", 2)).statusCode()).isEqualTo(200);
    }

    @Test
    void unknown_control_paths_are_answered_404() {
        assertThat(client.get("/sim/nothing", null).statusCode()).isEqualTo(404);
        assertThat(client.get("/sim/reset", null).statusCode()).isEqualTo(405);
    }

    private static JsonNode ok(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isBetween(200, 201);
        return ProvinceClient.json(response);
    }
}
