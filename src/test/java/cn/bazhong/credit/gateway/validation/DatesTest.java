package cn.bazhong.credit.gateway.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DatesTest {

    private static final Checked<LocalDate> JAN_5 = Checked.ok(LocalDate.of(2024, 1, 5));

    private static void assertFailed(Checked<?> checked, Rule rule, String message) {
        assertThat(checked.isOk()).as("expected failure, got %s", checked).isFalse();
        assertThat(checked.rule()).isEqualTo(rule);
        assertThat(checked.message()).contains(message);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "2024-01-05", "2024-1-5", "2024/01/05", "2024/1/5", "2024.01.05", "2024.1.5",
        "2024年01月05日", "2024年1月5日", "20240105", "2024-01-5", "2024/1/05"})
    void every_accepted_style_parses(String value) {
        assertThat(Dates.parse(value)).isEqualTo(JAN_5);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "２０２４－０１－０５", "２０２４年１月５日", "２０２４０１０５", "２０２４／１／５", " 2024-01-05 ",
        "\t2024/1/5\r\n", "\uFEFF20240105", "\u00A02024年1月5日\u3000", "2024\u200B-01-05"})
    void full_width_padded_and_bom_dates_are_normalised(String value) {
        assertThat(Dates.parse(value)).isEqualTo(JAN_5);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "2024-01-05 10:30", "2024-01-05 10:30:15", "2024-01-05T10:30:15", "2024-01-05T10:30:15.123",
        "2024-01-05T10:30:15+08:00", "2024-01-05T10:30:15Z", "2024-01-05T10:30:15.123456789+0800",
        "2024-01-05 10:30:15.0", "2024/1/5 9:05", "2024/1/5\t09:05", "2024.1.5 23:59:59",
        "2024年1月5日 10:30", "20240105 10:30:00", "２０２４－０１－０５　１０：３０", "2024-01-05T10:30",
        "2024-01-05T10:30:15-05", "2024-01-05 00:00:00,000"})
    void a_trailing_time_is_ignored(String value) {
        assertThat(Dates.parse(value)).isEqualTo(JAN_5);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "2024-01-05 25:00", "2024-01-05 10:60", "2024-01-05 10", "2024-01-05 10:3", "2024-01-05T",
        "2024-01-05 garbage", "2024-01-05T10:30:15.", "2024-01-05T10:30:15+8",
        "2024-01-05T10:30:15 +08:00", "2024-01-0510:30", "2024-01-05 10:30:15 PM"})
    void a_malformed_time_part_fails_with_date(String value) {
        assertFailed(Dates.parse(value), Rule.DATE, "is not a date");
    }

    @Test
    void an_impossible_calendar_date_fails_with_date() {
        assertFailed(Dates.parse("2023/02/30"), Rule.DATE, "'2023/02/30' is not a real calendar date");
        assertFailed(Dates.parse("2024-13-01"), Rule.DATE, "'2024-13-01' is not a real calendar date");
        assertFailed(Dates.parse("2024-00-10"), Rule.DATE, "is not a real calendar date");
        assertFailed(Dates.parse("20240132"), Rule.DATE, "is not a real calendar date");
        assertFailed(Dates.parse("2024年4月31日"), Rule.DATE, "is not a real calendar date");
    }

    @Test
    void leap_days_parse_only_in_leap_years() {
        assertThat(Dates.parse("2024-02-29")).isEqualTo(Checked.ok(LocalDate.of(2024, 2, 29)));
        assertThat(Dates.parse("2000/2/29")).isEqualTo(Checked.ok(LocalDate.of(2000, 2, 29)));
        assertFailed(Dates.parse("2023-02-29"), Rule.DATE, "is not a real calendar date");
        assertFailed(Dates.parse("19000229"), Rule.DATE, "is not a real calendar date");
    }

    @Test
    void the_long_term_end_date_2099_12_31_parses_and_equals_long_term() {
        assertThat(Dates.LONG_TERM).isEqualTo(LocalDate.of(2099, 12, 31));
        assertThat(Dates.parse("2099/12/31")).isEqualTo(Checked.ok(Dates.LONG_TERM));
        assertThat(Dates.parse("20991231")).isEqualTo(Checked.ok(Dates.LONG_TERM));
    }

    @Test
    void years_outside_1900_to_2099_fail_with_date() {
        assertThat(Dates.parse("1900-01-01")).isEqualTo(Checked.ok(LocalDate.of(1900, 1, 1)));
        assertFailed(Dates.parse("1899-12-31"), Rule.DATE, "'1899-12-31' has year 1899");
        assertFailed(Dates.parse("2100-01-01"), Rule.DATE, "has year 2100; the year must be between 1900 and 2099");
        assertFailed(Dates.parse("00000000"), Rule.DATE, "has year 0");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "24-1-5", "240105", "24/01/05", "2024AB01", "二〇二四年一月五日", "2024-01/05", "2024/01-05",
        "2024-1-5日", "2024年1月5", "2024年1-5", "2024/1/5/", "1/5/2024", "05.01.2024", "2024-001-05",
        "2024-01-005", "2024--01-05", "2024", "2024-01", "202401051", "2024 01 05", "N/A", "长期",
        "2024-1-5X", "2024年1月5日期"})
    void anything_else_fails_with_date_quoting_the_value_and_listing_the_styles(String value) {
        Checked<LocalDate> checked = Dates.parse(value);

        assertFailed(checked, Rule.DATE, "'" + value + "' is not a date");
        assertThat(checked.message()).contains("yyyy-M-d", "yyyy/M/d", "yyyy.M.d", "yyyy年M月d日", "yyyyMMdd");
    }

    @Test
    void the_message_quotes_the_half_width_value() {
        assertFailed(Dates.parse("２４－１－５"), Rule.DATE, "'24-1-5' is not a date");
    }

    @Test
    void empty_values_fail_as_required() {
        assertFailed(Dates.parse(null), Rule.REQUIRED, "is empty");
        assertFailed(Dates.parse(""), Rule.REQUIRED, "is empty");
        assertFailed(Dates.parse(" \t\u3000"), Rule.REQUIRED, "is empty");
    }
}
