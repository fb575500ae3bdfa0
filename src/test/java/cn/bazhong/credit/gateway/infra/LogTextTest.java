package cn.bazhong.credit.gateway.infra;

import cn.bazhong.credit.gateway.infra.logging.LogText;
import cn.bazhong.credit.gateway.validation.IdNumber;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LogTextTest {

    @Test
    void a_line_break_in_logged_text_cannot_start_a_forged_line() {
        String forged = "/api/v1/x\r\n2026-12-05T08:00:00 INFO admin ops replayed everything\u0007";

        String safe = LogText.safe(forged);

        assertThat(safe).doesNotContain("\r", "\n", "\u0007").contains("\\r\\n2026-12-05", "\\u0007");
    }

    @Test
    void personal_id_numbers_are_masked_wherever_they_stand_in_the_text() {
        String text = "'511902199001011238' is not one of 身份证; old form 511902900101123, again:511902200012310022.";

        String safe = LogText.safe(text);

        assertThat(safe).doesNotContain("511902199001011238", "511902900101123", "511902200012310022")
                .contains(IdNumber.mask("511902199001011238"), IdNumber.mask("511902900101123"), IdNumber.mask("511902200012310022"));
    }

    @Test
    void credit_codes_record_ids_and_other_long_numbers_are_left_as_they_are() {
        String text = "91511903JAMRDAJRXR SCJGJ:川巴市监罚〔2026〕101号 offset 123456789012345678901 batch B-1733390400000";

        assertThat(LogText.safe(text)).isEqualTo(text);
    }
}
