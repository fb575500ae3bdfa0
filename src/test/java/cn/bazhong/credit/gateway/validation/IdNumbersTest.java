package cn.bazhong.credit.gateway.validation;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class IdNumbersTest {

    @Test
    void eighteen_character_and_fifteen_digit_id_numbers_are_masked_wherever_a_text_quotes_them() {
        assertThat(IdNumbers.maskAll("'511902199210224381' is not one of 身份证, 护照号"))
                .isEqualTo("'511902********4381' is not one of 身份证, 护照号");
        assertThat(IdNumbers.maskAll("法定代表人11010519491231002X与511902921022438")).isEqualTo("法定代表人110105********002X与511902*****2438");
        assertThat(IdNumbers.maskAll("lower case x: 11010519491231002x.")).isEqualTo("lower case x: 110105********002x.");
    }

    @Test
    void a_wrong_check_digit_does_not_keep_a_number_from_being_masked() {
        assertThat(IdNumbers.maskAll("id 110101199001011238 fails")).isEqualTo("id 110101********1238 fails");
    }

    @Test
    void full_width_digits_are_digits_too() {
        assertThat(IdNumbers.maskAll("５１１９０２１９９２１０２２４３８１")).isEqualTo("５１１９０２********４３８１");
    }

    @Test
    void credit_codes_with_letters_longer_numbers_and_shorter_ones_are_left_alone() {
        String text = "91511921MA6GTJL9X3 11511900MB1530038P 5119021992102243811 1234567890123456 ABC511902199210224381 20250110";

        assertThat(IdNumbers.maskAll(text)).isSameAs(text);
        assertThat(IdNumbers.containsIdNumber(text)).isFalse();
    }

    @Test
    void null_stays_null_and_a_text_without_numbers_is_returned_as_it_is() {
        assertThat(IdNumbers.maskAll(null)).isNull();
        String plain = "nothing to mask";
        assertThat(IdNumbers.maskAll(plain)).isSameAs(plain);
    }
}
