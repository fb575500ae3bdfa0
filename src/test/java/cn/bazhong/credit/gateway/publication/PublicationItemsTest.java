package cn.bazhong.credit.gateway.publication;

import cn.bazhong.credit.gateway.catalog.Catalog;
import cn.bazhong.credit.gateway.fanout.OutboundEvent;
import cn.bazhong.credit.gateway.privacy.PersonalFields;
import cn.bazhong.credit.gateway.schema.AdminPenalty;
import cn.bazhong.credit.gateway.schema.CreditRecord;
import cn.bazhong.credit.gateway.schema.Operation;
import cn.bazhong.credit.gateway.schema.Party;
import cn.bazhong.credit.gateway.schema.RecordJson;
import cn.bazhong.credit.gateway.schema.RecordKind;
import cn.bazhong.credit.gateway.schema.Subject;
import cn.bazhong.credit.gateway.schema.Unit;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.Period;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What a penalty becomes on the city credit website: personal data reduced, the 公示期 end chosen, stable ids. */
class PublicationItemsTest {

    static final String PERSON_ID = "11010519491231002X";
    static final String REP_ID = "360426199101010071";
    static final LocalDate TODAY = LocalDate.of(2026, 12, 5);
    final PublicationItems items = new PublicationItems(new Catalog("test", "511900", Map.of(), Map.of(), Map.of()), PersonalFields.CLEAR,
            new PublicationSettings.LocalRules(6, 4, Period.ofYears(3)));

    static CreditRecord penalty(Subject subject, LocalDate decided, LocalDate validUntil, LocalDate publicityUntil, Operation op) {
        AdminPenalty p = new AdminPenalty("巴环罚〔2026〕1号", "超标排放", "当事人" + PERSON_ID + "超标排放", "大气污染防治法", List.of("罚款"),
                "罚款1万元", BigDecimal.ONE, null, null, decided, validUntil, publicityUntil, new Unit("巴中市生态环境局", "11511900MB1540041T"),
                null, null);
        return new CreditRecord("SSTHJJ:ADMIN_PENALTY:11511900MB1540041T:巴环罚〔2026〕1号", "v1", RecordKind.ADMIN_PENALTY, op, "k", subject,
                p, null, null, null);
    }

    static JsonNode json(OutboundEvent e) throws Exception {
        return RecordJson.mapper().readTree(new String(e.body(), StandardCharsets.UTF_8));
    }

    @Test
    void a_persons_id_number_is_masked_by_the_local_rule_and_never_appears_in_full_even_in_free_text() throws Exception {
        Subject person = new Subject(Subject.PERSON, "张三", null, null, null, null, null, null, null, "身份证", PERSON_ID);
        OutboundEvent e = items.ofRecord(penalty(person, TODAY.minusDays(3), null, null, Operation.UPSERT), TODAY).orElseThrow();
        JsonNode body = json(e);
        assertThat(body.path("type").asText()).isEqualTo("item.published");
        assertThat(body.path("item").path("subject").path("idNumber").asText()).isEqualTo("110105********002X");
        assertThat(new String(e.body(), StandardCharsets.UTF_8)).doesNotContain(PERSON_ID);
        // a withdrawal later names the same item, the same message twice has the same id
        assertThat(items.ofRecord(penalty(person, TODAY.minusDays(3), null, null, Operation.UPSERT), TODAY).orElseThrow().id()).isEqualTo(e.id());
        assertThat(json(items.ofRecord(penalty(person, TODAY.minusDays(3), null, null, Operation.WITHDRAW), TODAY).orElseThrow())
                .path("item").path("id").asText()).isEqualTo(body.path("item").path("id").asText());
    }

    @Test
    void a_legal_representative_is_published_by_name_without_id_number() throws Exception {
        Subject org = new Subject(Subject.ORGANISATION, "巴中市测试公司", "91511922MA6TL5RJXL", null, null, null, null, null,
                new Party("李四", "身份证", REP_ID), null, null);
        OutboundEvent e = items.ofRecord(penalty(org, TODAY.minusDays(3), null, null, Operation.UPSERT), TODAY).orElseThrow();
        assertThat(json(e).path("item").path("subject").path("legalRepresentative").asText()).isEqualTo("李四");
        assertThat(new String(e.body(), StandardCharsets.UTF_8)).doesNotContain(REP_ID).doesNotContain("360426");
    }

    @Test
    void the_publication_end_is_the_publicity_date_else_the_validity_else_the_local_period() {
        Subject org = new Subject(Subject.ORGANISATION, "x", "91511922MA6TL5RJXL", null, null, null, null, null, null, null, null);
        LocalDate decided = LocalDate.of(2026, 3, 1);
        assertThat(items.publicationEnd(penalty(org, decided, LocalDate.of(2027, 1, 1), LocalDate.of(2026, 9, 1), Operation.UPSERT)))
                .isEqualTo(LocalDate.of(2026, 9, 1));
        assertThat(items.publicationEnd(penalty(org, decided, LocalDate.of(2027, 1, 1), null, Operation.UPSERT))).isEqualTo(LocalDate.of(2027, 1, 1));
        assertThat(items.publicationEnd(penalty(org, decided, null, null, Operation.UPSERT))).isEqualTo(LocalDate.of(2029, 2, 28));
    }

    @Test
    void a_penalty_arriving_after_its_publication_end_is_sent_as_a_withdrawal_never_published() throws Exception {
        Subject org = new Subject(Subject.ORGANISATION, "x", "91511922MA6TL5RJXL", null, null, null, null, null, null, null, null);
        JsonNode body = json(items.ofRecord(penalty(org, TODAY.minusYears(2), TODAY.minusDays(1), null, Operation.UPSERT), TODAY).orElseThrow());
        assertThat(body.path("type").asText()).isEqualTo("item.withdrawn");
        assertThat(body.path("reason").asText()).isEqualTo("PUBLICATION_PERIOD_ENDED");
    }

    @Test
    void a_list_exits_reason_becomes_the_withdrawal_reason() {
        assertThat(PublicationItems.exitReason("CREDIT_REPAIR 巴信修〔2026〕7号: 已完成信用修复")).isEqualTo("CREDIT_REPAIR");
        assertThat(PublicationItems.exitReason("OBJECTION_UPHELD: 认定有误")).isEqualTo("OBJECTION_UPHELD");
        assertThat(PublicationItems.exitReason("EXPIRED")).isEqualTo("EXPIRED");
        assertThat(PublicationItems.exitReason("法院决定屏蔽")).isEqualTo("LIST_EXIT");
    }
}
