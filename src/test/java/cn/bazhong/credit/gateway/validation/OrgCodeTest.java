package cn.bazhong.credit.gateway.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OrgCodeTest {

    private static final String CHECK_CHARS = "0123456789X";

    private static void assertFailed(Checked<?> checked, Rule rule, String message) {
        assertThat(checked.isOk()).as("expected failure, got %s", checked).isFalse();
        assertThat(checked.rule()).isEqualTo(rule);
        assertThat(checked.message()).contains(message);
    }

    @Test
    void a_hyphenated_code_is_returned_as_nine_characters_without_hyphen() {
        assertThat(OrgCode.check("60003734-1")).isEqualTo(Checked.ok("600037341"));
    }

    @Test
    void a_nine_character_code_is_returned_as_is() {
        assertThat(OrgCode.check("600037341")).isEqualTo(Checked.ok("600037341"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"６０００３７３４－１", " 60003734 - 1 ", "\uFEFF600037341", "\t600037341\n"})
    void full_width_spaced_and_bom_input_is_normalised(String dirty) {
        assertThat(OrgCode.check(dirty)).isEqualTo(Checked.ok("600037341"));
    }

    @Test
    void lower_case_letters_are_upper_cased() {
        assertThat(OrgCode.check("ma1b3n1n-2")).isEqualTo(Checked.ok("MA1B3N1N2"));
    }

    @Test
    void check_values_10_and_11_are_written_x_and_0() {
        assertThat(OrgCode.checkChar("MA600018")).isEqualTo('X');
        assertThat(OrgCode.checkChar("MA600004")).isEqualTo('0');
        assertThat(OrgCode.check("MA600018-x")).isEqualTo(Checked.ok("MA600018X"));
        assertThat(OrgCode.check("MA600004-0")).isEqualTo(Checked.ok("MA6000040"));
    }

    @Test
    void a_wrong_check_character_fails_naming_the_expected_one() {
        assertFailed(OrgCode.check("60003734-2"), Rule.ORG_CODE_CHECK,
                "check character is '2' but GB 11714 gives '1'");
    }

    @Test
    void a_check_character_that_is_not_a_digit_or_x_fails() {
        assertFailed(OrgCode.check("60003734-A"), Rule.ORG_CODE_CHECK,
                "check character 'A' at position 10 is not a digit or X");
    }

    @Test
    void a_body_character_that_is_not_a_digit_or_letter_fails_naming_its_position() {
        assertFailed(OrgCode.check("6000373*-1"), Rule.ORG_CODE_CHECK, "character '*' at position 8");
    }

    @Test
    void a_hyphen_in_the_wrong_place_fails() {
        assertFailed(OrgCode.check("6000-37341"), Rule.ORG_CODE_CHECK, "hyphen at position 5");
    }

    @Test
    void a_code_of_the_wrong_length_fails_naming_the_length() {
        assertFailed(OrgCode.check("60003734"), Rule.ORG_CODE_CHECK, "has 8 characters");
        assertFailed(OrgCode.check("91110000600037341L"), Rule.ORG_CODE_CHECK, "has 18 characters");
    }

    @Test
    void an_empty_code_fails_as_required() {
        assertFailed(OrgCode.check(null), Rule.REQUIRED, "is empty");
        assertFailed(OrgCode.check(" \u3000"), Rule.REQUIRED, "is empty");
    }

    @Test
    void check_char_rejects_a_body_that_is_not_8_digits_or_letters() {
        assertThatThrownBy(() -> OrgCode.checkChar("6000373")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OrgCode.checkChar("6000373a")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ten_thousand_generated_codes_pass_and_every_other_check_character_fails() {
        Random random = new Random(11714L);
        String bodyChars = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
        for (int n = 0; n < 10_000; n++) {
            StringBuilder body = new StringBuilder(8);
            for (int i = 0; i < 8; i++) {
                body.append(bodyChars.charAt(random.nextInt(bodyChars.length())));
            }
            char check = OrgCode.checkChar(body.toString());
            String code = body + "-" + check;

            assertThat(OrgCode.check(code)).as(code).isEqualTo(Checked.ok(body.toString() + check));
            for (int k = 0; k < CHECK_CHARS.length(); k++) {
                char other = CHECK_CHARS.charAt(k);
                if (other != check) {
                    assertThat(OrgCode.check(body + "-" + other).rule()).isEqualTo(Rule.ORG_CODE_CHECK);
                }
            }
        }
    }
}
