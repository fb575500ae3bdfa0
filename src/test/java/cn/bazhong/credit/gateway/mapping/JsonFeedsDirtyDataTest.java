package cn.bazhong.credit.gateway.mapping;

import cn.bazhong.credit.gateway.schema.CreditRecord;
import cn.bazhong.credit.gateway.schema.ListCategory;
import cn.bazhong.credit.gateway.schema.ListStatus;
import cn.bazhong.credit.gateway.schema.Operation;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;

/** New records for the JSON-array, NDJSON and Kafka-message feeds, dirty data included. */
class JsonFeedsDirtyDataTest {

    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private static byte[] utf8(String s, boolean bom) {
        byte[] text = s.getBytes(StandardCharsets.UTF_8);
        if (!bom) {
            return text;
        }
        byte[] out = new byte[text.length + 3];
        System.arraycopy(BOM, 0, out, 0, 3);
        System.arraycopy(text, 0, out, 3, text.length);
        return out;
    }

    private static String licence(String name, String category, String from, String to, String extra) {
        return """
                {"XK_XDR_MC": %s, "XK_XDR_LB": "法人及非法人组织", "XK_XDR_SHXYM": "91511921MA6GTJL9X3",
                 "XK_FRDB": "丁秀志", "XK_FR_ZJLX": "身份证", "XK_FR_ZJHM": "511902199210224381",
                 "XK_XKWS": "关于准予的决定", "XK_WSH": "巴审批许〔2025〕1号", "XK_XKLB": %s, "XK_XKBH": 20250001,
                 "XK_JDRQ": "2025/01/02", "XK_YXQZ": %s, "XK_YXQZI": %s, "XK_XKJG": "巴中市行政审批局",
                 "XK_XKJGDM": "11511900MB1530038P", "XK_LYDW": "巴中市行政审批局", "XK_LYDWDM": "11511900MB1530038P"%s}"""
                .formatted(name, category, from, to, extra);
    }

    @Test
    void a_json_array_with_a_bom_long_term_licences_and_numbers_for_text_is_read() {
        String body = "[" + licence("\"巴中市甲公司\"", "\"普通\"", "\"2025/01/02\"", "\"2099/12/31\"", "")
                + "," + licence("\" 巴中市乙公司 \"", "\"　核准　\"", "\"2025/01/02\"", "\"2030/01/01\"", "") + "]";
        MappedFeed feed = MappedFeed.map("xzspj-licences", utf8(body, true));

        CreditRecord first = feed.accepted(1);
        assertThat(first.licence().longTerm()).isTrue();
        assertThat(first.licence().validTo()).isEqualTo(LocalDate.of(2099, 12, 31));
        assertThat(first.licence().licenceNo()).isEqualTo("20250001");
        assertThat(feed.accepted(2).subject().name()).isEqualTo("巴中市乙公司");
        assertThat(feed.accepted(2).licence().category()).isEqualTo("核准");
        assertThat(feed.accepted(2).licence().longTerm()).isFalse();
    }

    @Test
    void a_validity_that_ends_before_it_starts_and_a_nested_object_are_rejected_alone() {
        String body = "[" + licence("\"巴中市甲公司\"", "\"普通\"", "\"2025/01/02\"", "\"2024/01/01\"", "")
                + "," + licence("{\"text\": \"巴中市乙公司\"}", "\"普通\"", "\"2025/01/02\"", "\"2030/01/01\"", "")
                + "," + licence("\"巴中市丙公司\"", "\"普通\"", "\"2025/01/02\"", "\"2030/01/01\"", "") + "]";
        MappedFeed feed = MappedFeed.map("xzspj-licences", utf8(body, false));

        assertThat(feed.rejected(1)).extracting(Violation::field, v -> v.rule().code()).containsExactly("XK_YXQZI", "range");
        assertThat(feed.rejected(2)).extracting(Violation::field, v -> v.rule().code()).containsExactly("(record)", "syntax");
        assertThat(feed.rejected(2).message()).contains("XK_XDR_MC");
        assertThat(feed.accepted(3).subject().name()).isEqualTo("巴中市丙公司");
    }

    @Test
    void a_json_array_broken_half_way_keeps_the_records_before_the_break() {
        String body = "[" + licence("\"巴中市甲公司\"", "\"普通\"", "\"2025/01/02\"", "\"2030/01/01\"", "")
                + ", {\"XK_XDR_MC\": \"巴中市乙公司\", \"XK_XDR_LB\" ";
        MappedFeed feed = MappedFeed.map("xzspj-licences", utf8(body, false));

        assertThat(feed.accepted(1).subject().name()).isEqualTo("巴中市甲公司");
        assertThat(feed.rejected(2).rule().code()).isEqualTo("syntax");
        assertThat(feed.positions()).containsExactly(1L, 2L);
    }

    private static String legacyPenalty(String no, String uscc, String sfz, String jg, String date) {
        return ("{\"CF_WSH\": \"巴环罚〔2025〕%s号\", \"CF_CFMC\": \"案\", \"CF_CFLB1\": \"罚款\", \"CF_CFLB2\": \"警告\", \"CF_SY\": \"超标排放大气污染物\","
                + " \"CF_YJ\": \"《大气污染防治法》第九十九条\", \"CF_XDR_MC\": \"某某\", \"CF_XDR_SHXYM\": \"%s\", \"CF_XDR_ZDM\": \"\","
                + " \"CF_XDR_SFZ\": \"%s\", \"CF_FR\": \"韩静\", \"CF_JG\": \"%s\", \"CF_JDRQ\": \"%s\", \"CF_XZJG\": \"巴中市生态环境局\","
                + " \"CF_ZT\": \"0\", \"DFBM\": \"511900\", \"SJC\": \"2023-04-02 10:00:00\", \"BZ\": \"\"}")
                .formatted(no, uscc, sfz, jg, date);
    }

    @Test
    void a_legacy_ndjson_line_that_is_broken_does_not_sink_its_neighbours_and_categories_are_derived() {
        String body = String.join("\n",
                legacyPenalty("1", "92511902MA6707MC1H", "", "罚款5万元", "20250110"),
                "{\"CF_WSH\": \"巴环罚〔2025〕2号\", broken",
                "",
                legacyPenalty("3", "", "511902199210224381", "罚款5,000元", "2025年1月10日"),
                legacyPenalty("4", "91511923XR0PN91839", "", "罚款２０万元", "20250110"));
        MappedFeed feed = MappedFeed.map("ssthjj-penalties", utf8(body, true));

        CreditRecord business = feed.accepted(1);
        assertThat(business.subject().category()).isEqualTo("个体工商户");
        assertThat(business.penalty().fineWan()).isEqualByComparingTo(new BigDecimal("5"));
        assertThat(business.penalty().kinds()).containsExactly("罚款", "警告");
        assertThat(business.penalty().validUntil()).isEqualTo(LocalDate.of(2028, 1, 9));
        assertThat(feed.rejected(2)).extracting(Violation::field, v -> v.rule().code()).containsExactly("(record)", "syntax");
        CreditRecord person = feed.accepted(4);
        assertThat(person.subject().category()).isEqualTo("自然人");
        assertThat(person.subject().idNumber()).isEqualTo("511902199210224381");
        assertThat(person.subject().legalRep()).isNull();
        assertThat(person.penalty().fineWan()).isEqualByComparingTo(new BigDecimal("0.5"));
        assertThat(feed.accepted(5).subject().category()).isEqualTo("法人及非法人组织");
        assertThat(feed.accepted(5).penalty().fineWan()).isEqualByComparingTo(new BigDecimal("20"));
    }

    @Test
    void a_legacy_fine_that_cannot_be_read_from_the_result_text_is_required() {
        MappedFeed feed = MappedFeed.map("ssthjj-penalties",
                utf8(legacyPenalty("1", "92511902MA6707MC1H", "", "处以罚款", "20250110"), false));

        assertThat(feed.rejected(1)).extracting(Violation::field, v -> v.rule().code()).containsExactly("CF_JG", "required");
    }

    @Test
    void tax_messages_become_red_or_black_entries_and_zt_0_withdraws() {
        String body = String.join("\n",
                "{\"lx\": \"NSXYA\", \"nsrsbh\": \"91511922ma6tl5rjxl\", \"nsrmc\": \"甲公司\", \"pjnd\": \"2024\", \"xyjb\": \"A\", \"pdrq\": \"20250410\", \"yxqz\": \"20251231\", \"zt\": \"1\"}",
                "{\"lx\": \"ZDSSWF\", \"nsrsbh\": \"91511903XFWA2JK10D\", \"nsrmc\": \"乙公司\", \"fddbr\": \"孔洋敏\", \"fddbrzjhm\": \"511902195009250256\", \"ajxz\": \"偷税\", \"wfss\": \"少缴税款\", \"cljd\": \"巴税稽罚〔2025〕1号\", \"gbrq\": \"20250718\", \"yxqz\": \"20280717\", \"zt\": \"0\"}",
                "{\"lx\": \"NSXYA\", \"nsrsbh\": \"91511922MA6TL5RJXL\", \"nsrmc\": \"甲公司\", \"pdrq\": \"20250410\", \"zt\": \"1\"}",
                "{\"lx\": \"ZDSSWF\", \"nsrsbh\": \"91511903XFWA2JK10D\", \"nsrmc\": \"乙公司\", \"gbrq\": \"20250718\", \"zt\": \"2\"}");
        MappedFeed feed = MappedFeed.map("swj-tax-lists", utf8(body, false));

        CreditRecord red = feed.accepted(1);
        assertThat(red.businessKey()).isEqualTo("NSXYA-2024-91511922MA6TL5RJXL");
        assertThat(red.entry().listType()).isEqualTo("TAX_A");
        assertThat(red.entry().category()).isEqualTo(ListCategory.RED);
        assertThat(red.entry().status()).isEqualTo(ListStatus.ACTIVE);
        assertThat(red.entry().attributes()).containsEntry("evaluationYear", "2024").containsEntry("creditLevel", "A");
        CreditRecord withdrawn = feed.accepted(2);
        assertThat(withdrawn.operation()).isEqualTo(Operation.WITHDRAW);
        assertThat(withdrawn.entry().category()).isEqualTo(ListCategory.BLACK);
        assertThat(withdrawn.subject().legalRep().idNumber()).isEqualTo("511902195009250256");
        assertThat(feed.rejected(3)).extracting(Violation::field, v -> v.rule().code()).containsExactly("pjnd", "required");
        assertThat(feed.rejected(4)).extracting(Violation::field, v -> v.rule().code()).containsExactly("zt", "enum");
    }
}
