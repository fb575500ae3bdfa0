package cn.bazhong.credit.gateway.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UsccTest {

    private static final String CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY";

    private static void assertFailed(Checked<?> checked, Rule rule, String message) {
        assertThat(checked.isOk()).as("expected failure, got %s", checked).isFalse();
        assertThat(checked.rule()).isEqualTo(rule);
        assertThat(checked.message()).contains(message);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "91110000600037341L", "91230500MA1B3N1N2M", "11420000MB15291767", "91511900MA62XQ1B76",
        "92511902MA6B0K2L7H", "12511900008123451H", "51511900MJQ123453D", "91511900MA600018X4",
        "91511900MA6000040G", "11511900MB1510010D"})
    void valid_codes_pass_unchanged(String code) {
        assertThat(Uscc.check(code)).isEqualTo(Checked.ok(code));
    }

    @Test
    void a_legacy_code_that_fails_its_check_character_is_rejected_with_uscc_check() {
        Checked<String> checked = Uscc.check("91350100M0001TGQXM");

        assertFailed(checked, Rule.USCC_CHECK, "check character is 'M' but GB 32100 gives '1'");
    }

    @Test
    void an_embedded_organisation_code_with_check_x_or_0_is_accepted() {
        assertThat(Uscc.check("91511900MA600018X4").isOk()).isTrue();
        assertThat(Uscc.check("91511900MA6000040G").isOk()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        " ９１１１００００６０００３７３４１ｌ ", "91110000600037341l", "\uFEFF91110000600037341L",
        "\t91110000600037341L\r\n", "9111 0000 6000 3734 1L", "\u00A091110000600037341L\u3000",
        "911100006000\u200B37341L", "９１１１００００６０００３７３４１Ｌ"})
    void full_width_lower_case_spaced_tabbed_and_bom_input_is_normalised_and_passes(String dirty) {
        assertThat(Uscc.check(dirty)).isEqualTo(Checked.ok("91110000600037341L"));
    }

    @Test
    void the_individual_business_placeholder_is_accepted_as_is() {
        assertThat(Uscc.check("00000000000000000X")).isEqualTo(Checked.ok("00000000000000000X"));
        assertThat(Uscc.check(" 00000000000000000x ")).isEqualTo(Checked.ok("00000000000000000X"));
        assertThat(Uscc.isPlaceholder("00000000000000000X")).isTrue();
        assertThat(Uscc.isPlaceholder("91110000600037341L")).isFalse();
        assertThat(Uscc.isPlaceholder(null)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "\t\r\n", "\uFEFF", "\u3000"})
    void empty_values_fail_as_required(String empty) {
        assertFailed(Uscc.check(empty), Rule.REQUIRED, "is empty");
    }

    @Test
    void null_fails_as_required() {
        assertFailed(Uscc.check(null), Rule.REQUIRED, "is empty");
    }

    @Test
    void a_code_of_the_wrong_length_fails_with_uscc_length_naming_the_length() {
        assertFailed(Uscc.check("91110000600037341"), Rule.USCC_LENGTH, "has 17 characters");
        assertFailed(Uscc.check("91110000600037341LL"), Rule.USCC_LENGTH, "has 19 characters");
        assertFailed(Uscc.check("600037341"), Rule.USCC_LENGTH, "has 9 characters");
    }

    @Test
    void a_character_outside_the_charset_fails_with_uscc_charset_naming_it_and_its_position() {
        assertFailed(Uscc.check("9111000060003Z341L"), Rule.USCC_CHARSET,
                "character 'Z' at position 14 is not allowed in a unified social credit code "
                        + "(GB 32100 excludes I, O, Z, S, V)");
    }

    @ParameterizedTest
    @ValueSource(chars = {'I', 'O', 'Z', 'S', 'V', '-', '*'})
    void each_excluded_character_is_rejected_with_uscc_charset(char excluded) {
        String code = "91230500MA1B3N1N2" + excluded;

        assertFailed(Uscc.check(code), Rule.USCC_CHARSET, "character '" + excluded + "' at position 18");
    }

    @Test
    void lower_case_o_is_upper_cased_and_then_rejected_as_a_letter_not_read_as_zero() {
        assertFailed(Uscc.check("91110000600o37341L"), Rule.USCC_CHARSET, "character 'O' at position 12");
    }

    @Test
    void an_undecodable_byte_is_named_by_its_code_point() {
        assertFailed(Uscc.check("9111000060003\uFFFD341L"), Rule.USCC_CHARSET, "character U+FFFD at position 14");
    }

    @Test
    void an_embedded_organisation_code_that_fails_gb_11714_is_rejected_with_uscc_check() {
        assertFailed(Uscc.check("91110000600037342L"), Rule.USCC_CHECK,
                "embedded organisation code 60003734-2 fails the GB 11714 check");
    }

    @Test
    void a_wrong_check_character_is_rejected_naming_the_expected_one() {
        assertFailed(Uscc.check("91110000600037341M"), Rule.USCC_CHECK,
                "check character is 'M' but GB 32100 gives 'L'");
    }

    @Test
    void check_char_computes_character_18() {
        assertThat(Uscc.checkChar("91110000600037341")).isEqualTo('L');
        assertThat(Uscc.checkChar("91350100M0001TGQX")).isEqualTo('1');
        assertThat(Uscc.checkChar("11420000MB1529176")).isEqualTo('7');
    }

    @Test
    void check_char_rejects_input_that_is_not_17_charset_characters() {
        assertThatThrownBy(() -> Uscc.checkChar("9111000060003734")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Uscc.checkChar("9111000060003734I")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Uscc.checkChar(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ten_thousand_generated_codes_pass_and_every_other_last_character_fails_with_uscc_check() {
        Random random = new Random(20240105L);
        for (int n = 0; n < 10_000; n++) {
            String code = randomUscc(random);

            assertThat(Uscc.check(code)).as(code).isEqualTo(Checked.ok(code));
            for (int k = 0; k < CHARSET.length(); k++) {
                char other = CHARSET.charAt(k);
                if (other == code.charAt(17)) {
                    continue;
                }
                Checked<String> checked = Uscc.check(code.substring(0, 17) + other);
                assertThat(checked.rule()).as(code + " with last " + other).isEqualTo(Rule.USCC_CHECK);
                assertThat(checked.message()).contains("check character is '" + other + "'");
            }
        }
    }

    @Test
    void any_single_character_substitution_in_a_generated_code_fails_with_uscc_check() {
        Random random = new Random(7L);
        for (int n = 0; n < 2_000; n++) {
            char[] code = randomUscc(random).toCharArray();
            int position = random.nextInt(18);
            char original = code[position];
            char replacement;
            do {
                replacement = CHARSET.charAt(random.nextInt(CHARSET.length()));
            } while (replacement == original);
            code[position] = replacement;
            String mutated = new String(code);

            assertThat(Uscc.check(mutated).rule()).as(mutated).isEqualTo(Rule.USCC_CHECK);
        }
    }

    /** A random valid code: any charset character except characters 17 (GB 11714) and 18 (GB 32100). */
    static String randomUscc(Random random) {
        StringBuilder code = new StringBuilder(18);
        for (int i = 0; i < 16; i++) {
            code.append(i >= 2 && i < 8
                    ? (char) ('0' + random.nextInt(10))
                    : CHARSET.charAt(random.nextInt(CHARSET.length())));
        }
        code.append(OrgCode.checkChar(code.substring(8, 16)));
        code.append(Uscc.checkChar(code.toString()));
        return code.toString();
    }
}
