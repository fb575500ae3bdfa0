package cn.bazhong.credit.gateway.fanout;

import cn.bazhong.credit.gateway.support.Http;
import cn.bazhong.credit.gateway.support.SharedFanoutGateway;
import cn.bazhong.credit.gateway.support.TestGateway;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * County subscriptions over real webhooks, with the shipped catalog: 通江县 (TJX) and 南江县 (NJX) each
 * receive the listings decided by the city and by their own county's bureau, never the other county's;
 * the city's approval bureau receives them all. The listings come from the province's list updates,
 * each naming the tax bureau that decided it.
 */
class CountySubscriptionDeliveryTest extends SharedFanoutGateway {

    static final String SUBJECT = "91511903XFWA2JK10D";
    static final String CITY_BUREAU = "11511900MB15500550";
    static final String TONGJIANG_BUREAU = CountySubscriptionsTest.organ("11511921MB15500Q");
    static final String NANJIANG_BUREAU = CountySubscriptionsTest.organ("11511922MB15500R");

    @LocalServerPort
    int port;

    private static String update(String bureau, String bureauName, String documentNo) {
        return """
                {"operation": "LIST", "entry": {"listType": "MAJOR_TAX_VIOLATION", "subject": {"name": "丙公司", "uscc": "%s"},
                 "decidedBy": {"name": "%s", "uscc": "%s"}, "basis": "重大税收违法", "decidedOn": "2026-10-01",
                 "validFrom": "2026-10-01", "validTo": "2029-09-30", "reason": "逃税", "documentNo": "%s"}}
                """.formatted(SUBJECT, bureauName, bureau, documentNo).replace("\n", " ").strip();
    }

    private void push(String update) {
        Http.Response r = Http.post("http://127.0.0.1:" + port + "/api/v1/upstream/list-updates", TestGateway.PROVINCE_KEY,
                ("[" + update + "]").getBytes(StandardCharsets.UTF_8), "Content-Type", "application/json");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().path("accepted").asLong()).as(r.body()).isEqualTo(1);
    }

    /** The document numbers of this class's subject's listings a department received, in the order received. */
    private static List<String> listings(String dept) {
        return HOOKS.received(dept).stream().filter(r -> r.type().equals("list.entry.listed"))
                .filter(r -> SUBJECT.equals(FanoutToDepartmentsTest.subjectCode(r.body())))
                .map(r -> r.body().path("entry").path("documentNo").asText() + "@" + r.body().path("region").asText()).toList();
    }

    @Test
    void a_county_units_subscription_receives_its_countys_and_the_citys_changes_and_nothing_else() {
        // one subject, so that every department receives its changes in the order they were decided
        push(update(CITY_BUREAU, "国家税务总局巴中市税务局", "巴税稽罚〔2026〕1号"));
        push(update(TONGJIANG_BUREAU, "国家税务总局通江县税务局", "通税稽罚〔2026〕2号"));
        push(update(NANJIANG_BUREAU, "国家税务总局南江县税务局", "南税稽罚〔2026〕3号"));
        push(update(CITY_BUREAU, "国家税务总局巴中市税务局", "巴税稽罚〔2026〕4号"));

        await().atMost(Duration.ofSeconds(90)).until(() -> listings("XZSPJ").size() == 4
                && listings("TJX").contains("巴税稽罚〔2026〕4号@511900") && listings("NJX").contains("巴税稽罚〔2026〕4号@511900"));

        assertThat(listings("TJX")).containsExactly("巴税稽罚〔2026〕1号@511900", "通税稽罚〔2026〕2号@511921", "巴税稽罚〔2026〕4号@511900");
        assertThat(listings("NJX")).containsExactly("巴税稽罚〔2026〕1号@511900", "南税稽罚〔2026〕3号@511922", "巴税稽罚〔2026〕4号@511900");
        assertThat(listings("XZSPJ")).hasSize(4);
        assertThat(HOOKS.received("TJX")).isNotEmpty().allSatisfy(r -> assertThat(r.signatureValid()).isTrue());
    }
}
