package cn.bazhong.credit.simulators.province;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.ConnectException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The batch endpoint and the faults, over real HTTP. */
class ProvincialSimulatorTest {

    private static final int MAX_RECORDS = 10;

    private static ProvincialSimulator province;
    private ProvinceClient client;

    @BeforeAll
    static void start() {
        province = ProvincialSimulator.start(ProvincialSimulator.Settings.defaults().withMaxBatchRecords(MAX_RECORDS));
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
    void default_settings_listen_on_loopback_any_free_port_with_the_dev_token_and_500_records_per_batch() {
        assertThat(ProvincialSimulator.Settings.defaults())
                .isEqualTo(new ProvincialSimulator.Settings("127.0.0.1", 0, "province-dev-token", 500));
        assertThat(province.port()).isPositive();
        assertThat(province.baseUri()).hasToString("http://127.0.0.1:" + province.port());
    }

    @Test
    void a_valid_batch_gets_one_accepted_result_per_record_in_order_and_its_records_are_remembered() {
        Map<String, Object> batch = Batches.penalties("B-OK", 3);

        HttpResponse<String> response = client.push(batch);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        JsonNode body = ProvinceClient.json(response);
        assertThat(body.path("batchId").asText()).isEqualTo("B-OK");
        assertThat(body.path("results")).hasSize(3);
        assertThat(body.path("results").findValuesAsText("recordId")).containsExactly(
                "SCJGJ:ADMIN_PENALTY:1001", "SCJGJ:ADMIN_PENALTY:1002", "SCJGJ:ADMIN_PENALTY:1003");
        assertThat(body.path("results").findValuesAsText("status")).containsOnly("ACCEPTED");

        assertThat(province.batches()).singleElement().satisfies(b -> {
            assertThat(b.batchId()).isEqualTo("B-OK");
            assertThat(b.dataset()).isEqualTo("ADMIN_PENALTY");
            assertThat(b.sourceUnit()).isEqualTo(new ReceivedBatch.SourceUnit("巴中市社会信用体系建设领导小组办公室", "11420000MB15291767"));
            assertThat(b.recordCount()).isEqualTo(3);
        });
        assertThat(province.records()).extracting(ReceivedRecord::recordId).containsExactly(
                "SCJGJ:ADMIN_PENALTY:1001", "SCJGJ:ADMIN_PENALTY:1002", "SCJGJ:ADMIN_PENALTY:1003");
        ReceivedRecord first = province.records().get(0);
        assertThat(first.batchId()).isEqualTo("B-OK");
        assertThat(first.operation()).isEqualTo("UPSERT");
        assertThat(first.data()).isEqualTo(Batches.penaltyData("巴市监处罚〔2022〕1001号"));
        assertThat(first.toString()).doesNotContain("巴中市示例商贸有限公司");
    }

    @Test
    void a_penalty_missing_a_required_field_is_rejected_with_missing_field_and_not_remembered() {
        Map<String, Object> broken = Batches.penalty("2002");
        dataOf(broken).remove("CF_WSH");
        Map<String, Object> badDate = Batches.penalty("2003");
        dataOf(badDate).put("CF_JDRQ", "2022/01/30");
        Map<String, Object> batch = Batches.batch("B-MISSING", "ADMIN_PENALTY",
                List.of(Batches.penalty("2001"), broken, badDate));

        JsonNode results = ProvinceClient.json(client.push(batch)).path("results");

        assertThat(results.get(0).path("status").asText()).isEqualTo("ACCEPTED");
        assertThat(results.get(1).path("recordId").asText()).isEqualTo("SCJGJ:ADMIN_PENALTY:2002");
        assertThat(results.get(1).path("status").asText()).isEqualTo("REJECTED");
        assertThat(results.get(1).path("code").asText()).isEqualTo("MISSING_FIELD");
        assertThat(results.get(1).path("message").asText()).contains("CF_WSH");
        assertThat(results.get(2).path("status").asText()).isEqualTo("REJECTED");
        assertThat(results.get(2).path("code").asText()).isEqualTo("BAD_FORMAT");
        assertThat(results.get(2).path("message").asText()).contains("CF_JDRQ");
        assertThat(province.records()).extracting(ReceivedRecord::recordId).containsExactly("SCJGJ:ADMIN_PENALTY:2001");
        assertThat(province.batches()).singleElement().extracting(ReceivedBatch::recordCount).isEqualTo(3);
    }

    @Test
    void a_withdrawal_is_accepted_without_the_fields_an_upsert_needs() {
        Map<String, Object> withdrawal = Batches.record("SCJGJ:ADMIN_PENALTY:3001", "WITHDRAW", new LinkedHashMap<>());

        JsonNode results = ProvinceClient.json(client.push(Batches.batch("B-WD", "ADMIN_PENALTY", List.of(withdrawal))))
                .path("results");

        assertThat(results.get(0).path("status").asText()).isEqualTo("ACCEPTED");
        assertThat(province.records()).singleElement().extracting(ReceivedRecord::operation).isEqualTo("WITHDRAW");
    }

    @Test
    void records_matching_a_reject_rule_are_rejected_with_its_code_and_message() {
        province.rejectRecords(":100[24]$", "SUBJECT_UNKNOWN", "行政相对人在省平台不存在");

        JsonNode results = ProvinceClient.json(client.push(Batches.penalties("B-REJECT", 4))).path("results");

        assertThat(results.findValuesAsText("status")).containsExactly("ACCEPTED", "REJECTED", "ACCEPTED", "REJECTED");
        assertThat(results.get(1).path("code").asText()).isEqualTo("SUBJECT_UNKNOWN");
        assertThat(results.get(1).path("message").asText()).isEqualTo("行政相对人在省平台不存在");
        assertThat(province.records()).extracting(ReceivedRecord::recordId)
                .containsExactly("SCJGJ:ADMIN_PENALTY:1001", "SCJGJ:ADMIN_PENALTY:1003");
    }

    static Stream<Arguments> malformedBatches() {
        return Stream.of(
                bad("not JSON", "{\"batchId\": \"B-BAD\",", "B-BAD", "not valid JSON"),
                bad("a JSON array", "[]", "B-BAD", "must be a JSON object"),
                bad("a duplicate key", "{\"batchId\": \"B-BAD\", \"batchId\": \"B-BAD\"}", "B-BAD", "not valid JSON"),
                bad("no batchId", b -> b.remove("batchId"), "batchId is missing"),
                bad("no sourceUnit uscc", b -> ((Map<?, ?>) b.get("sourceUnit")).remove("uscc"), "sourceUnit.uscc is missing"),
                bad("an unknown dataset", b -> b.put("dataset", "ADMIN_FINE"), "dataset 'ADMIN_FINE' is unknown"),
                bad("schemaVersion 2020", b -> b.put("schemaVersion", "2020"), "schemaVersion \"2020\" is not supported"),
                bad("schemaVersion as a number", b -> b.put("schemaVersion", 2021), "schemaVersion 2021 is not supported"),
                bad("no records", b -> b.remove("records"), "records is missing"),
                bad("no records at all", b -> b.put("records", List.of()), "records is empty"),
                bad("a record without recordId", b -> record(b, 1).remove("recordId"), "records[1].recordId is missing"),
                bad("a record without version", b -> record(b, 0).remove("version"), "records[0].version is missing"),
                bad("a record without operation", b -> record(b, 0).remove("operation"), "records[0].operation is missing"),
                bad("an unknown operation", b -> record(b, 0).put("operation", "DELETE"), "records[0].operation 'DELETE' is unknown"),
                bad("a record without data", b -> record(b, 1).remove("data"), "records[1].data is missing"),
                bad("data that is not an object", b -> record(b, 0).put("data", "CF_WSH=1"), "records[0].data must be a JSON object"),
                Arguments.of("no Idempotency-Key", Batches.json(Batches.penalties("B-BAD", 2)), null, "Idempotency-Key header is missing"),
                Arguments.of("another Idempotency-Key", Batches.json(Batches.penalties("B-BAD", 2)), "B-OTHER", "does not equal batchId"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedBatches")
    void a_malformed_batch_is_answered_400_naming_what_is_wrong_and_does_not_use_up_its_batch_id(
            String what, String body, String idempotencyKey, String expected) {
        HttpResponse<String> response = client.push(body, idempotencyKey, ProvinceClient.TOKEN);

        assertThat(response.statusCode()).as(what).isEqualTo(400);
        assertThat(ProvinceClient.json(response).path("error").asText()).contains(expected);
        assertThat(province.batches()).isEmpty();
        assertThat(client.push(Batches.penalties("B-BAD", 2)).statusCode()).isEqualTo(200);
    }

    @Test
    void a_wrong_or_missing_token_is_answered_401_and_nothing_is_processed() {
        String body = Batches.json(Batches.penalties("B-AUTH", 1));

        HttpResponse<String> wrong = client.push(body, "B-AUTH", "stolen-token");
        HttpResponse<String> missing = client.push(body, "B-AUTH", null);

        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(ProvinceClient.json(wrong).path("error").asText()).contains("token");
        assertThat(province.batches()).isEmpty();
        assertThat(province.batchRequests()).isEqualTo(2);
    }

    @Test
    void a_batch_with_more_records_than_the_limit_is_answered_413() {
        HttpResponse<String> tooLarge = client.push(Batches.penalties("B-LARGE", MAX_RECORDS + 1));
        HttpResponse<String> atLimit = client.push(Batches.penalties("B-LIMIT", MAX_RECORDS));

        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(ProvinceClient.json(tooLarge).path("error").asText()).contains("11 records", "limit of 10");
        assertThat(atLimit.statusCode()).isEqualTo(200);
        assertThat(province.batches()).extracting(ReceivedBatch::batchId).containsExactly("B-LIMIT");
    }

    @Test
    void the_same_batch_sent_twice_gets_the_same_answer_and_its_records_are_counted_once() {
        province.rejectRecords(":1002$", "SUBJECT_UNKNOWN", "unknown subject");
        Map<String, Object> batch = Batches.penalties("B-TWICE", 2);
        HttpResponse<String> first = client.push(batch);
        province.clearFaults();

        Map<String, Object> reordered = new LinkedHashMap<>();
        List<String> keys = new ArrayList<>(batch.keySet());
        Collections.reverse(keys);
        keys.forEach(k -> reordered.put(k, batch.get(k)));
        HttpResponse<String> second = client.push(reordered);

        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(ProvinceClient.json(second).path("results").get(1).path("status").asText()).isEqualTo("REJECTED");
        assertThat(province.batches()).hasSize(1);
        assertThat(province.records()).hasSize(1);
        assertThat(province.batchRequests()).isEqualTo(2);
    }

    @Test
    void a_batch_id_resent_with_different_content_is_answered_409() {
        client.push(Batches.penalties("B-CONFLICT", 2));

        HttpResponse<String> changed = client.push(Batches.penalties("B-CONFLICT", 3));

        assertThat(changed.statusCode()).isEqualTo(409);
        assertThat(ProvinceClient.json(changed).path("error").asText()).contains("B-CONFLICT", "different content");
        assertThat(province.records()).hasSize(2);
    }

    @Test
    void concurrent_copies_of_one_batch_are_processed_once_and_all_get_the_same_answer() {
        Map<String, Object> batch = Batches.penalties("B-RACE", 5);

        List<HttpResponse<String>> responses = IntStream.range(0, 8).mapToObj(i -> client.pushAsync(batch)).toList()
                .stream().map(CompletableFuture::join).toList();

        assertThat(responses).extracting(HttpResponse::statusCode).containsOnly(200);
        assertThat(responses).extracting(HttpResponse::body).containsOnly(responses.get(0).body());
        assertThat(province.records()).hasSize(5);
        assertThat(province.batchRequests()).isEqualTo(8);
    }

    @Test
    void fail_next_answers_503_with_retry_after_for_exactly_n_requests_then_accepts() {
        province.failNext(2, 503, Duration.ofSeconds(1));
        Map<String, Object> batch = Batches.penalties("B-RETRY", 2);

        HttpResponse<String> first = client.push(batch);
        HttpResponse<String> second = client.push(batch);
        HttpResponse<String> third = client.push(batch);

        assertThat(List.of(first, second)).allSatisfy(r -> {
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
        });
        assertThat(third.statusCode()).isEqualTo(200);
        assertThat(province.batchRequests()).isEqualTo(3);
        assertThat(province.batches()).hasSize(1);
        assertThat(province.records()).hasSize(2);
    }

    @Test
    void fail_next_with_429_and_no_retry_after_sends_no_retry_after_header() {
        province.failNext(1, 429, null);

        HttpResponse<String> limited = client.push(Batches.penalties("B-429", 1));

        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).isEmpty();
        assertThat(client.push(Batches.penalties("B-429", 1)).statusCode()).isEqualTo(200);
    }

    @Test
    void fail_for_fails_every_batch_request_during_the_window_then_accepts() {
        Map<String, Object> batch = Batches.penalties("B-WINDOW", 1);
        long started = System.nanoTime();
        province.failFor(Duration.ofMillis(500), 503);

        HttpResponse<String> during = client.push(batch);
        assertThat(during.statusCode()).isEqualTo(503);
        assertThat(during.headers().firstValue("Retry-After")).hasValue("1");

        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(50))
                .until(() -> client.push(batch).statusCode() == 200);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(500));
        assertThat(province.batchRequests()).isGreaterThanOrEqualTo(2);
        assertThat(province.records()).hasSize(1);
    }

    @Test
    void a_delayed_answer_arrives_after_the_delay_without_holding_up_other_requests() throws Exception {
        Duration delay = Duration.ofMillis(800);
        province.delayResponses(delay);

        long started = System.nanoTime();
        CompletableFuture<HttpResponse<String>> slow = client.pushAsync(Batches.penalties("B-SLOW", 1));
        HttpResponse<String> meanwhile = client.get("/sim/received", null);
        assertThat(meanwhile.statusCode()).isEqualTo(200);
        assertThat(slow).isNotDone();

        HttpResponse<String> answer = slow.get(5, TimeUnit.SECONDS);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(delay);
        assertThat(answer.statusCode()).isEqualTo(200);

        province.delayResponses(Duration.ZERO);
        long again = System.nanoTime();
        client.push(Batches.penalties("B-FAST", 1));
        assertThat(Duration.ofNanos(System.nanoTime() - again)).isLessThan(delay);
    }

    @Test
    void refused_connections_are_refused_until_accepted_again_on_the_same_port() {
        int port = province.port();
        province.refuseConnections();
        ProvinceClient fresh = new ProvinceClient(province.baseUri());

        assertThatThrownBy(() -> fresh.push(Batches.penalties("B-DOWN", 1)))
                .hasCauseInstanceOf(ConnectException.class);

        province.acceptConnections();
        assertThat(province.port()).isEqualTo(port);
        assertThat(fresh.push(Batches.penalties("B-DOWN", 1)).statusCode()).isEqualTo(200);
        assertThat(province.records()).hasSize(1);
    }

    @Test
    void reset_forgets_batches_records_batch_ids_and_faults() {
        client.push(Batches.penalties("B-RESET", 2));
        province.rejectRecords(".*", "NO", "no");
        province.failNext(5, 503, null);

        province.reset();

        assertThat(province.batches()).isEmpty();
        assertThat(province.records()).isEmpty();
        assertThat(province.batchRequests()).isZero();
        HttpResponse<String> again = client.push(Batches.penalties("B-RESET", 3));
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(ProvinceClient.json(again).path("results").findValuesAsText("status")).containsOnly("ACCEPTED");
    }

    @Test
    void other_paths_and_methods_are_answered_404_and_405() {
        assertThat(client.get("/exchange/v1/batches", ProvinceClient.TOKEN).statusCode()).isEqualTo(405);
        assertThat(client.get("/exchange/v1/batchesX", ProvinceClient.TOKEN).statusCode()).isEqualTo(404);
        assertThat(client.get("/exchange/v2/batches", ProvinceClient.TOKEN).statusCode()).isEqualTo(404);
    }

    private static Arguments bad(String what, String body, String key, String expected) {
        return Arguments.of(what, body, key, expected);
    }

    private static Arguments bad(String what, Consumer<Map<String, Object>> breakIt, String expected) {
        Map<String, Object> batch = Batches.penalties("B-BAD", 2);
        breakIt.accept(batch);
        return Arguments.of(what, Batches.json(batch), "B-BAD", expected);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> record(Map<String, Object> batch, int index) {
        return ((List<Map<String, Object>>) batch.get("records")).get(index);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> dataOf(Map<String, Object> record) {
        return (Map<String, Object>) record.get("data");
    }
}
