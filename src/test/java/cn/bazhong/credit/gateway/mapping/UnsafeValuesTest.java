package cn.bazhong.credit.gateway.mapping;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Values nothing downstream should receive or show: control characters in text are rejected with
 * rule {@code control-char}; a full personal ID number quoted by a rejection message is masked.
 */
class UnsafeValuesTest {

    private static final String LICENCE = """
            {"XK_XDR_MC": "%s", "XK_XDR_LB": "法人及非法人组织", "XK_XDR_SHXYM": "91511921MA6GTJL9X3",
             "XK_FRDB": "丁秀志", "XK_FR_ZJLX": "%s", "XK_FR_ZJHM": "511902199210224381",
             "XK_XKWS": "关于准予的决定", "XK_WSH": "巴审批许〔2025〕1号", "XK_XKLB": "普通", "XK_XKBH": 20250001,
             "XK_JDRQ": "2025/01/02", "XK_YXQZ": "2025/01/02", "XK_YXQZI": "2030/01/01", "XK_XKJG": "巴中市行政审批局",
             "XK_XKJGDM": "11511900MB1530038P", "XK_LYDW": "巴中市行政审批局", "XK_LYDWDM": "11511900MB1530038P"}""";

    private static MappedFeed licence(String name, String legalRepIdType) {
        return MappedFeed.map("xzspj-licences", ("[" + LICENCE.formatted(name, legalRepIdType) + "]").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void a_name_holding_a_bell_nul_escape_or_delete_character_is_rejected_with_rule_control_char() {
        for (String control : new String[] {"\\u0007", "\\u0000", "\\u001b[31m", "\\u007f", "\\u0085"}) {
            MappedFeed feed = licence("巴中市" + control + "甲公司", "身份证");

            assertThat(feed.rejected(1)).as(control).extracting(Violation::field, v -> v.rule().code())
                    .containsExactly("XK_XDR_MC", "control-char");
            assertThat(feed.rejected(1).message()).as(control).contains("U+00");
        }
    }

    @Test
    void tabs_and_line_breaks_inside_a_name_are_not_control_characters() {
        assertThat(licence("巴中市\\t甲\\r\\n公司", "身份证").accepted(1).subject().name()).isEqualTo("巴中市\t甲\r\n公司");
    }

    @Test
    void an_id_number_written_where_its_type_belongs_is_quoted_only_masked_in_the_rejection() {
        Violation v = licence("巴中市甲公司", "511902199210224381").rejected(1);

        assertThat(v).extracting(Violation::field, x -> x.rule().code()).containsExactly("XK_FR_ZJLX", "enum");
        assertThat(v.message()).doesNotContain("511902199210224381").contains("511902********4381");
    }

    @Test
    void an_old_fifteen_digit_id_number_in_a_rejection_message_is_masked_too() {
        Violation v = licence("巴中市甲公司", "511902921022438").rejected(1);

        assertThat(v.message()).doesNotContain("511902921022438").contains("511902*****2438");
    }
}
