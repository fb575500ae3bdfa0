package cn.bazhong.credit.gateway.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdNumberTest {

    private static final LocalDate TODAY = LocalDate.of(2025, 6, 30);
    private static final DateTimeFormatter BASIC = DateTimeFormatter.BASIC_ISO_DATE;
    private static final String CHECK_CHARS = "0123456789X";

    private static void assertFailed(Checked<?> checked, Rule rule, String message) {
        assertThat(checked.isOk()).as("expected failure, got %s", checked).isFalse();
        assertThat(checked.rule()).isEqualTo(rule);
        assertThat(checked.message()).contains(message);
    }

    /** A valid 18-character number for the given region, birth date and sequence number. */
    private static String id(String region, String birth, String sequence) {
        String first17 = region + birth + sequence;
        return first17 + IdNumber.checkChar(first17);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "110101199001011237", "511902198506150022", "511902200002290048", "360426199101010071",
        "11010519491231002X"})
    void valid_numbers_pass_unchanged(String id) {
        assertThat(IdNumber.check(id, TODAY)).isEqualTo(Checked.ok(id));
    }

    @Test
    void a_lower_case_x_check_character_is_upper_cased() {
        assertThat(IdNumber.check("11010519491231002x", TODAY)).isEqualTo(Checked.ok("11010519491231002X"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "５１１９０２１９８５０６１５００２２", " 511902 19850615 0022 ", "\uFEFF511902198506150022",
        "\t511902198506150022\r\n", "511902198506150022\u3000"})
    void full_width_spaced_tabbed_and_bom_input_is_normalised(String dirty) {
        assertThat(IdNumber.check(dirty, TODAY)).isEqualTo(Checked.ok("511902198506150022"));
    }

    @Test
    void a_first_generation_15_digit_number_is_upgraded_to_18_characters() {
        String upgradedBody = "11010119900101123";
        char check = IdNumber.checkChar(upgradedBody);

        Checked<String> checked = IdNumber.check("110101900101123", TODAY);

        assertThat(check).isEqualTo('7');
        assertThat(checked).isEqualTo(Checked.ok(upgradedBody + check));
        assertThat(checked.value()).isEqualTo("110101199001011237");
    }

    @Test
    void a_first_generation_number_with_an_impossible_birth_date_fails() {
        assertFailed(IdNumber.check("110101900230123", TODAY), Rule.ID_CHECK,
                "birth date (characters 7-12) of identity number 110101*****0123 is not a real calendar date");
    }

    @Test
    void a_first_generation_number_with_a_letter_fails() {
        assertFailed(IdNumber.check("11010190010112X", TODAY), Rule.ID_CHECK,
                "character 'X' at position 15");
    }

    @Test
    void a_wrong_check_character_fails_naming_the_expected_one() {
        assertFailed(IdNumber.check("110101199001011233", TODAY), Rule.ID_CHECK,
                "check character is '3' but GB 11643 gives '7'");
    }

    @Test
    void an_x_where_a_digit_is_expected_fails_as_a_wrong_check_character() {
        assertFailed(IdNumber.check("11010119900101123X", TODAY), Rule.ID_CHECK,
                "check character is 'X' but GB 11643 gives '7'");
    }

    @Test
    void a_number_of_the_wrong_length_fails_naming_the_length() {
        assertFailed(IdNumber.check("11010119900101123", TODAY), Rule.ID_CHECK, "has 17 characters");
        assertFailed(IdNumber.check("1101011990010112377", TODAY), Rule.ID_CHECK, "has 19 characters");
        assertFailed(IdNumber.check("1101011990010", TODAY), Rule.ID_CHECK, "has 13 characters");
    }

    @Test
    void a_letter_among_the_first_17_characters_fails_naming_its_position() {
        assertFailed(IdNumber.check("11010119900101A237", TODAY), Rule.ID_CHECK,
                "character 'A' at position 15");
    }

    @Test
    void a_check_character_that_is_neither_digit_nor_x_fails() {
        assertFailed(IdNumber.check("11010119900101123Y", TODAY), Rule.ID_CHECK,
                "the check character must be a digit or X");
    }

    @Test
    void a_birth_date_that_is_not_a_real_calendar_date_fails() {
        assertFailed(IdNumber.check(id("110101", "19900230", "123"), TODAY), Rule.ID_CHECK,
                "is not a real calendar date (the day does not exist in that month)");
        assertFailed(IdNumber.check(id("110101", "19901301", "123"), TODAY), Rule.ID_CHECK,
                "is not a real calendar date (the month does not exist)");
        assertFailed(IdNumber.check(id("110101", "19900100", "123"), TODAY), Rule.ID_CHECK,
                "is not a real calendar date");
    }

    @Test
    void leap_days_are_accepted_only_in_leap_years() {
        assertThat(IdNumber.check(id("511902", "20000229", "004"), TODAY).isOk()).isTrue();
        assertThat(IdNumber.check(id("511902", "19960229", "004"), TODAY).isOk()).isTrue();
        assertFailed(IdNumber.check(id("511902", "20010229", "004"), TODAY), Rule.ID_CHECK,
                "is not a real calendar date");
        assertFailed(IdNumber.check(id("511902", "19000229", "004"), TODAY), Rule.ID_CHECK,
                "is not a real calendar date");
    }

    @Test
    void a_birth_date_after_today_fails_and_today_itself_passes() {
        assertThat(IdNumber.check(id("511902", "20250630", "001"), TODAY).isOk()).isTrue();
        assertFailed(IdNumber.check(id("511902", "20250701", "001"), TODAY), Rule.ID_CHECK,
                "is in the future (after 2025-06-30)");
    }

    @Test
    void a_birth_date_before_1900_fails_and_1900_01_01_passes() {
        assertThat(IdNumber.check(id("511902", "19000101", "001"), TODAY).isOk()).isTrue();
        assertFailed(IdNumber.check(id("511902", "18991231", "001"), TODAY), Rule.ID_CHECK,
                "is before 1900-01-01");
    }

    @Test
    void an_empty_number_fails_as_required() {
        assertFailed(IdNumber.check(null, TODAY), Rule.REQUIRED, "is empty");
        assertFailed(IdNumber.check(" \t", TODAY), Rule.REQUIRED, "is empty");
    }

    @Test
    void failure_messages_never_contain_the_full_number() {
        List<String> invalid = List.of(
                "110101199001011233", "11010119900101123X", "11010119900101123Y", "11010119900101A237",
                id("110101", "19900230", "123"), id("511902", "20250701", "001"),
                id("511902", "18991231", "001"), "110101900230123", "11010190010112X",
                "1101011990010112377", "11010119900101123", "1101011990010");
        for (String id : invalid) {
            Checked<String> checked = IdNumber.check(id, TODAY);

            assertThat(checked.isOk()).as(IdNumber.mask(id)).isFalse();
            assertThat(checked.message()).as(IdNumber.mask(id)).doesNotContain(id);
            assertThat(checked.message()).as(IdNumber.mask(id)).contains(IdNumber.mask(id));
        }
    }

    @Test
    void failure_messages_for_birth_dates_do_not_reveal_the_birth_date() {
        String id = id("511902", "20250701", "001");

        assertThat(IdNumber.check(id, TODAY).message()).doesNotContain("20250701").doesNotContain("2025-07-01");
    }

    @Test
    void mask_keeps_the_first_6_and_last_4_characters() {
        assertThat(IdNumber.mask("511902198506150022")).isEqualTo("511902********0022");
        assertThat(IdNumber.mask("110101900101123")).isEqualTo("110101*****1123");
        assertThat(IdNumber.mask("12345678901")).isEqualTo("123456*8901");
    }

    @Test
    void mask_hides_all_but_the_last_2_characters_of_short_values() {
        assertThat(IdNumber.mask("1234567890")).isEqualTo("********90");
        assertThat(IdNumber.mask("12345")).isEqualTo("***45");
        assertThat(IdNumber.mask("")).isEmpty();
        assertThat(IdNumber.mask(null)).isNull();
    }

    @Test
    void check_char_rejects_anything_but_17_digits_without_echoing_it() {
        assertThatThrownBy(() -> IdNumber.checkChar("1101011990010112"))
                .isInstanceOf(IllegalArgumentException.class)
                .message().doesNotContain("1101011990010112");
        assertThatThrownBy(() -> IdNumber.checkChar("1101011990010112A"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ten_thousand_generated_numbers_pass_and_every_other_check_character_fails() {
        Random random = new Random(11643L);
        LocalDate earliest = LocalDate.of(1900, 1, 1);
        long days = ChronoUnit.DAYS.between(earliest, TODAY) + 1;
        for (int n = 0; n < 10_000; n++) {
            String region = String.format("%06d", 110000 + random.nextInt(800000));
            String birth = earliest.plusDays(random.nextInt((int) days)).format(BASIC);
            String sequence = String.format("%03d", random.nextInt(1000));
            String first17 = region + birth + sequence;
            char check = IdNumber.checkChar(first17);
            String id = first17 + check;

            assertThat(IdNumber.check(id, TODAY)).as(IdNumber.mask(id)).isEqualTo(Checked.ok(id));
            for (int k = 0; k < CHECK_CHARS.length(); k++) {
                char other = CHECK_CHARS.charAt(k);
                if (other == check) {
                    continue;
                }
                Checked<String> checked = IdNumber.check(first17 + other, TODAY);
                assertThat(checked.rule()).isEqualTo(Rule.ID_CHECK);
                assertThat(checked.message()).contains("check character is '" + other + "' but GB 11643 gives '"
                        + check + "'");
            }
        }
    }

    @Test
    void any_single_digit_substitution_in_a_generated_number_fails_with_id_check() {
        Random random = new Random(99L);
        for (int n = 0; n < 2_000; n++) {
            String first17 = String.format("%06d", 110000 + random.nextInt(800000))
                    + LocalDate.of(1950, 1, 1).plusDays(random.nextInt(20000)).format(BASIC)
                    + String.format("%03d", random.nextInt(1000));
            char[] id = (first17 + IdNumber.checkChar(first17)).toCharArray();
            int position = random.nextInt(17);
            char original = id[position];
            char replacement;
            do {
                replacement = (char) ('0' + random.nextInt(10));
            } while (replacement == original);
            id[position] = replacement;

            assertThat(IdNumber.check(new String(id), TODAY).rule()).isEqualTo(Rule.ID_CHECK);
        }
    }
}
