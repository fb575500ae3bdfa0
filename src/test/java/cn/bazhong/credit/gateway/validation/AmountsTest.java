package cn.bazhong.credit.gateway.validation;

import static cn.bazhong.credit.gateway.validation.Amounts.Unit.WAN;
import static cn.bazhong.credit.gateway.validation.Amounts.Unit.YUAN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cn.bazhong.credit.gateway.validation.Amounts.Unit;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AmountsTest {

    private static void assertFailed(Checked<?> checked, Rule rule, String message) {
        assertThat(checked.isOk()).as("expected failure, got %s", checked).isFalse();
        assertThat(checked.rule()).isEqualTo(rule);
        assertThat(checked.message()).contains(message);
    }

    private static String wan(String raw, Unit declared) {
        Checked<BigDecimal> checked = Amounts.toWan(raw, declared);
        assertThat(checked.isOk()).as("%s -> %s", raw, checked).isTrue();
        return checked.value().toPlainString();
    }

    @Test
    void round_amounts_keep_a_plain_form_instead_of_an_exponent() {
        BigDecimal hundred = Amounts.toWan("1000000", YUAN).value();

        assertThat(hundred.scale()).isZero();
        assertThat(hundred.toString()).isEqualTo("100");
        assertThat(Amounts.toWan("500万元", YUAN).value().toString()).isEqualTo("500");
    }

    @Test
    void yuan_amounts_are_divided_by_ten_thousand_exactly() {
        assertThat(wan("120000.00", YUAN)).isEqualTo("12");
        assertThat(wan("2000", YUAN)).isEqualTo("0.2");
        assertThat(wan("6200.00", YUAN)).isEqualTo("0.62");
        assertThat(wan("1,234.5", YUAN)).isEqualTo("0.12345");
        assertThat(wan("1", YUAN)).isEqualTo("0.0001");
        assertThat(wan("0.01", YUAN)).isEqualTo("0.000001");
    }

    @Test
    void wan_amounts_are_returned_as_is_without_trailing_zeros() {
        assertThat(wan("12", WAN)).isEqualTo("12");
        assertThat(wan("3.50", WAN)).isEqualTo("3.5");
        assertThat(wan("100", WAN)).isEqualTo("100");
    }

    @Test
    void zero_is_zero_in_any_unit() {
        assertThat(wan("0", YUAN)).isEqualTo("0");
        assertThat(wan("0.00", YUAN)).isEqualTo("0");
        assertThat(wan("0", WAN)).isEqualTo("0");
        assertThat(wan("-0", WAN)).isEqualTo("0");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "５万元|YUAN|5", "5万|YUAN|5", "5万元|YUAN|5", " 3.5 万元 |YUAN|3.5", "20000元|WAN|2",
        "20,000 元|WAN|2", "¥20000|YUAN|2", "￥ 20,000.00 元|WAN|2", "¥5万|YUAN|5"})
    void a_unit_suffix_overrides_the_declared_unit(String raw, Unit declared, String expected) {
        assertThat(wan(raw, declared)).isEqualTo(expected);
    }

    @Test
    void full_width_padded_and_bom_amounts_are_normalised() {
        assertThat(wan("１２００００．００", YUAN)).isEqualTo("12");
        assertThat(wan("１２０，０００．００", YUAN)).isEqualTo("12");
        assertThat(wan("\t120000.00\r\n", YUAN)).isEqualTo("12");
        assertThat(wan("\uFEFF120000", YUAN)).isEqualTo("12");
        assertThat(wan("120000.00\u3000", YUAN)).isEqualTo("12");
        assertThat(wan("\u00A0¥120,000.00", YUAN)).isEqualTo("12");
        assertThat(wan(" 3.5 万元 ", YUAN)).isEqualTo("3.5");
        assertThat(wan("3.5\t万元", YUAN)).isEqualTo("3.5");
    }

    @Test
    void exact_thousands_grouping_is_accepted() {
        assertThat(wan("120,000.00", YUAN)).isEqualTo("12");
        assertThat(wan("1,234,567", YUAN)).isEqualTo("123.4567");
        assertThat(wan("999,999", WAN)).isEqualTo("999999");
        assertThat(wan("1,000", WAN)).isEqualTo("1000");
    }

    @Test
    void a_decimal_point_may_open_or_close_the_number() {
        assertThat(wan(".5", WAN)).isEqualTo("0.5");
        assertThat(wan("5.", WAN)).isEqualTo("5");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1,2345", "12,34,567", "1234,567", ",123", "1,234,56", "1,23", "1,234.5,6",
        "1.234,56", "1,,234", "1,234,"})
    void a_comma_that_is_not_an_exact_thousands_separator_fails_as_ambiguous(String raw) {
        assertFailed(Amounts.toWan(raw, YUAN), Rule.NUMBER,
                "'" + raw + "' has a comma that is not a thousands separator");
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "1.2.3", "1e5", "1E+5", "五千元", "万元", "元", "¥", ".", "1 000", "12 万 元",
        "--5", "¥¥5", "5元万", "(1,200)", "+5", "5%", "0x10", "1_000", "5亿元", "人民币5元"})
    void a_value_that_is_not_a_plain_amount_fails_with_number(String raw) {
        assertFailed(Amounts.toWan(raw, YUAN), Rule.NUMBER, "is not an amount");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-5", "-0.01", "¥-5", "-¥5", "\u22125", "-1,000元", "－５万元"})
    void a_negative_amount_fails_with_range(String raw) {
        assertFailed(Amounts.toWan(raw, YUAN), Rule.RANGE, "is negative");
    }

    @Test
    void empty_values_fail_as_required() {
        assertFailed(Amounts.toWan(null, YUAN), Rule.REQUIRED, "is empty");
        assertFailed(Amounts.toWan("", WAN), Rule.REQUIRED, "is empty");
        assertFailed(Amounts.toWan(" \t\u3000", WAN), Rule.REQUIRED, "is empty");
    }

    @Test
    void the_declared_unit_is_required() {
        assertThatThrownBy(() -> Amounts.toWan("5", null)).isInstanceOf(NullPointerException.class);
    }
}
