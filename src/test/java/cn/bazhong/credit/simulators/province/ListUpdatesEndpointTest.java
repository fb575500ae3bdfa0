package cn.bazhong.credit.simulators.province;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /exchange/v1/list-updates}, over real HTTP. */
class ListUpdatesEndpointTest {

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
    void updates_are_paged_in_order_with_a_cursor_and_has_more() {
        for (int i = 1; i <= 5; i++) {
            province.publishListUpdate(update("LIST", "巴税A〔2024〕" + i + "号"));
        }

        JsonNode first = page("limit=2");
        JsonNode second = page("after=" + cursorOf(first) + "&limit=2");
        JsonNode third = page("after=" + cursorOf(second) + "&limit=2");

        assertThat(first.path("updates").findValuesAsText("updateId")).containsExactly("U-1", "U-2");
        assertThat(first.path("hasMore").asBoolean()).isTrue();
        assertThat(second.path("updates").findValuesAsText("updateId")).containsExactly("U-3", "U-4");
        assertThat(second.path("hasMore").asBoolean()).isTrue();
        assertThat(third.path("updates").findValuesAsText("updateId")).containsExactly("U-5");
        assertThat(third.path("hasMore").asBoolean()).isFalse();
        assertThat(third.path("updates").get(0).path("entry").path("documentNo").asText()).isEqualTo("巴税A〔2024〕5号");
    }

    @Test
    void at_the_end_the_same_cursor_comes_back_and_later_updates_follow_it() {
        province.publishListUpdate(update("LIST", "D-1"));
        JsonNode all = page("");

        JsonNode nothingNew = page("after=" + cursorOf(all));
        province.publishListUpdate(update("EXIT", "D-1"));
        JsonNode next = page("after=" + cursorOf(all));

        assertThat(nothingNew.path("updates")).isEmpty();
        assertThat(nothingNew.path("hasMore").asBoolean()).isFalse();
        assertThat(cursorOf(nothingNew)).isEqualTo(cursorOf(all));
        assertThat(next.path("updates").findValuesAsText("operation")).containsExactly("EXIT");
    }

    @Test
    void an_empty_log_answers_no_updates_and_a_cursor_to_start_from() {
        JsonNode empty = page("");
        province.publishListUpdate(update("LIST", "D-1"));

        assertThat(empty.path("updates")).isEmpty();
        assertThat(empty.path("hasMore").asBoolean()).isFalse();
        assertThat(page("after=" + cursorOf(empty)).path("updates")).hasSize(1);
    }

    @Test
    void an_update_with_its_own_update_id_keeps_it_and_is_stored_as_given() {
        Map<String, Object> given = update("OBJECTION_FLAG", "D-9");
        given.put("updateId", "SC-2024-000042");

        Map<String, Object> stored = province.publishListUpdate(given);

        assertThat(stored).isEqualTo(given);
        JsonNode update = page("").path("updates").get(0);
        assertThat(update.path("updateId").asText()).isEqualTo("SC-2024-000042");
        assertThat(update.path("entry").path("subject").path("uscc").asText()).isEqualTo("91110000600037341L");
    }

    @Test
    void the_limit_defaults_to_100_and_is_capped_at_1000() {
        for (int i = 0; i < 1001; i++) {
            province.publishListUpdate(update("LIST", "D-" + i));
        }

        assertThat(page("").path("updates")).hasSize(100);
        assertThat(page("limit=5000").path("updates")).hasSize(1000);
        assertThat(page("limit=5000").path("hasMore").asBoolean()).isTrue();
    }

    @Test
    void a_garbled_or_unknown_cursor_is_answered_400() {
        province.publishListUpdate(update("LIST", "D-1"));
        String beyond = Base64.getUrlEncoder().withoutPadding().encodeToString("lu1:7".getBytes(StandardCharsets.US_ASCII));

        HttpResponse<String> garbled = client.listUpdates("after=" + enc("%%%not a cursor!"));
        HttpResponse<String> foreign = client.listUpdates("after=" + enc(Base64.getEncoder().encodeToString("42".getBytes())));
        HttpResponse<String> unknown = client.listUpdates("after=" + beyond);

        assertThat(List.of(garbled, foreign, unknown)).allSatisfy(r -> {
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(ProvinceClient.json(r).path("error").asText()).contains("cursor");
        });
    }

    @Test
    void a_limit_that_is_not_a_positive_integer_is_answered_400() {
        assertThat(client.listUpdates("limit=0").statusCode()).isEqualTo(400);
        assertThat(client.listUpdates("limit=ten").statusCode()).isEqualTo(400);
    }

    @Test
    void list_updates_need_the_bearer_token() {
        assertThat(client.get("/exchange/v1/list-updates", null).statusCode()).isEqualTo(401);
        assertThat(client.get("/exchange/v1/list-updates", "wrong").statusCode()).isEqualTo(401);
    }

    private JsonNode page(String query) {
        HttpResponse<String> response = client.listUpdates(query);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return ProvinceClient.json(response);
    }

    private static String cursorOf(JsonNode page) {
        return enc(page.path("cursor").asText());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static Map<String, Object> update(String operation, String documentNo) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("listType", "TAX_A");
        entry.put("subject", new LinkedHashMap<>(Map.of("name", "巴中市示例商贸有限公司", "uscc", "91110000600037341L")));
        entry.put("decidedBy", new LinkedHashMap<>(Map.of("name", "国家税务总局巴中市税务局", "uscc", "11420000MB15291767")));
        entry.put("basis", "纳税信用管理办法");
        entry.put("decidedOn", "2024-04-01");
        entry.put("validFrom", "2024-04-01");
        entry.put("validTo", "2025-03-31");
        entry.put("reason", "年度评价A级");
        entry.put("documentNo", documentNo);
        entry.put("status", "EXIT".equals(operation) ? "EXITED" : "ACTIVE");
        Map<String, Object> update = new LinkedHashMap<>();
        update.put("operation", operation);
        update.put("entry", entry);
        return update;
    }
}
