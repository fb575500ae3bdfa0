package cn.bazhong.credit.gateway.validation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextTest {

    @Test
    void clean_returns_null_for_null_and_for_values_with_nothing_left() {
        assertThat(Text.clean(null)).isNull();
        assertThat(Text.clean("")).isNull();
        assertThat(Text.clean(" \t\r\n\u00A0\u3000")).isNull();
        assertThat(Text.clean("\uFEFF\u200B")).isNull();
    }

    @Test
    void clean_returns_the_same_instance_when_nothing_needs_changing() {
        String value = "巴中市市场监督管理局（巴州区）";

        assertThat(Text.clean(value)).isSameAs(value);
    }

    @Test
    void clean_trims_tabs_line_breaks_no_break_spaces_and_ideographic_spaces() {
        assertThat(Text.clean("\t 巴中市 \r\n")).isEqualTo("巴中市");
        assertThat(Text.clean("\u00A0巴中市\u3000")).isEqualTo("巴中市");
    }

    @Test
    void clean_keeps_whitespace_inside_the_value() {
        assertThat(Text.clean(" 张 三 ")).isEqualTo("张 三");
        assertThat(Text.clean("张\u3000三")).isEqualTo("张\u3000三");
    }

    @Test
    void clean_removes_byte_order_marks_and_zero_width_characters_anywhere() {
        assertThat(Text.clean("\uFEFF巴中\u200B市\u200C\u200D\u2060")).isEqualTo("巴中市");
        assertThat(Text.clean("\uFEFF 巴中市")).isEqualTo("巴中市");
        assertThat(Text.clean("巴中市 \u200B")).isEqualTo("巴中市");
    }

    @Test
    void clean_converts_full_width_letters_and_digits_to_ascii() {
        assertThat(Text.clean("ＡＢＣａｂｃ０１２９ＸＺｚ")).isEqualTo("ABCabc0129XZz");
    }

    @Test
    void clean_leaves_full_width_punctuation_alone() {
        String value = "（巴中）〔2024〕第１号，罚款。、；：";

        assertThat(Text.clean(value)).isEqualTo("（巴中）〔2024〕第1号，罚款。、；：");
    }

    @Test
    void half_width_converts_all_full_width_ascii_variants_and_the_ideographic_space() {
        assertThat(Text.halfWidth("２０２４－０１－０５　１０：３０")).isEqualTo("2024-01-05 10:30");
        assertThat(Text.halfWidth("（ａ）！～，")).isEqualTo("(a)!~,");
        assertThat(Text.halfWidth("\uFF01\uFF5E")).isEqualTo("!~");
    }

    @Test
    void half_width_leaves_chinese_characters_and_cjk_punctuation_alone() {
        String value = "罚款、警告。";

        assertThat(Text.halfWidth(value)).isSameAs(value);
        assertThat(Text.halfWidth(null)).isNull();
    }

    @Test
    void code_removes_all_whitespace_converts_full_width_and_upper_cases() {
        assertThat(Text.code(" ９１１１００００６０００３７３４１ｌ ")).isEqualTo("91110000600037341L");
        assertThat(Text.code("9111 0000\t6000\u00A03734\u30001l")).isEqualTo("91110000600037341L");
        assertThat(Text.code("\uFEFF60003734－1")).isEqualTo("60003734-1");
        assertThat(Text.code("ma1b3n1n")).isEqualTo("MA1B3N1N");
    }

    @Test
    void code_returns_the_same_instance_for_an_already_normal_code() {
        String value = "91110000600037341L";

        assertThat(Text.code(value)).isSameAs(value);
    }

    @Test
    void code_returns_null_when_nothing_is_left() {
        assertThat(Text.code(null)).isNull();
        assertThat(Text.code("")).isNull();
        assertThat(Text.code(" \t\u3000\uFEFF ")).isNull();
    }

    @Test
    void code_upper_cases_with_the_root_locale() {
        assertThat(Text.code("i")).isEqualTo("I");
        assertThat(Text.code("é1")).isEqualTo("É1");
    }

    @Test
    void replacement_characters_mark_bytes_that_did_not_decode() {
        assertThat(Text.hasReplacementChar("巴\uFFFD市")).isTrue();
        assertThat(Text.hasReplacementChar("巴中市")).isFalse();
        assertThat(Text.hasReplacementChar(null)).isFalse();
    }

    @Test
    void a_long_text_is_shortened_to_its_beginning_and_an_ellipsis_and_a_short_one_or_null_stays_as_it_is() {
        assertThat(Text.shorten("巴中市市场监督管理局", 3)).isEqualTo("巴中市…");
        assertThat(Text.shorten("巴中市", 3)).isEqualTo("巴中市");
        assertThat(Text.shorten(null, 3)).isNull();
    }
}
