package cn.bazhong.credit.simulators.province;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class RecordChecksTest {

    @Test
    void a_complete_penalty_and_a_complete_licence_pass() {
        assertThat(RecordChecks.check("ADMIN_PENALTY", "UPSERT", Batches.penaltyData("W-1"))).isEmpty();
        assertThat(RecordChecks.check("ADMIN_LICENSE", "UPSERT", Batches.licenseData("L-1"))).isEmpty();
    }

    @Test
    void every_missing_or_blank_required_field_is_named() {
        Map<String, Object> data = Batches.penaltyData("W-1");
        data.remove("CF_SY");
        data.put("CF_CFJGDM", " ");
        data.put("CF_YJ", null);

        Optional<RecordChecks.Rejection> rejection = RecordChecks.check("ADMIN_PENALTY", "UPSERT", data);

        assertThat(rejection).hasValueSatisfying(r -> {
            assertThat(r.code()).isEqualTo("MISSING_FIELD");
            assertThat(r.message()).contains("CF_SY", "CF_YJ", "CF_CFJGDM");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"2022/01/30", "20220130", "2022-02-30", "2022-1-30", "30-01-2022"})
    void a_penalty_date_not_written_yyyy_MM_dd_is_a_bad_format(String date) {
        Map<String, Object> data = Batches.penaltyData("W-1");
        data.put("CF_GSJZQ", date);

        assertThat(RecordChecks.check("ADMIN_PENALTY", "UPSERT", data))
                .contains(new RecordChecks.Rejection("BAD_FORMAT", "CF_GSJZQ is not a yyyy-MM-dd date"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1,200", "1.2E3", "12万", "-3", ".5", "12."})
    void a_fine_that_is_not_a_plain_decimal_is_a_bad_format(String amount) {
        Map<String, Object> data = Batches.penaltyData("W-1");
        data.put("CF_NR_FK", amount);

        assertThat(RecordChecks.check("ADMIN_PENALTY", "UPSERT", data))
                .hasValueSatisfying(r -> assertThat(r.message()).contains("CF_NR_FK"));
    }

    @Test
    void a_fine_may_be_a_decimal_string_or_a_json_number_and_may_be_absent() {
        Map<String, Object> data = Batches.penaltyData("W-1");
        for (Object amount : new Object[] {"0.62", "100", 12, new BigDecimal("0.5")}) {
            data.put("CF_NR_FK", amount);
            assertThat(RecordChecks.check("ADMIN_PENALTY", "UPSERT", data)).as(String.valueOf(amount)).isEmpty();
        }
        data.remove("CF_NR_FK");
        data.remove("CF_GSJZQ");
        assertThat(RecordChecks.check("ADMIN_PENALTY", "UPSERT", data)).isEmpty();
    }

    @Test
    void a_licence_missing_its_issuer_code_or_with_a_bad_date_is_rejected() {
        Map<String, Object> noCode = Batches.licenseData("L-1");
        noCode.remove("XK_XKJGDM");
        Map<String, Object> badDate = Batches.licenseData("L-1");
        badDate.put("XK_YXQZI", "2099/12/31");

        assertThat(RecordChecks.check("ADMIN_LICENSE", "UPSERT", noCode))
                .contains(new RecordChecks.Rejection("MISSING_FIELD", "missing required field XK_XKJGDM"));
        assertThat(RecordChecks.check("ADMIN_LICENSE", "UPSERT", badDate))
                .hasValueSatisfying(r -> assertThat(r.code()).isEqualTo("BAD_FORMAT"));
    }

    @Test
    void a_licence_valid_until_before_it_is_valid_from_is_a_bad_format() {
        Map<String, Object> data = Batches.licenseData("L-1");
        data.put("XK_YXQZI", "2023-02-28");

        assertThat(RecordChecks.check("ADMIN_LICENSE", "UPSERT", data))
                .contains(new RecordChecks.Rejection("BAD_FORMAT", "XK_YXQZI precedes XK_YXQZ"));
    }

    @Test
    void withdrawals_and_other_datasets_are_not_checked() {
        assertThat(RecordChecks.check("ADMIN_PENALTY", "WITHDRAW", Map.of())).isEmpty();
        assertThat(RecordChecks.check("LIST_ENTRY", "UPSERT", Map.of())).isEmpty();
        assertThat(RecordChecks.check("MEASURE_FEEDBACK", "UPSERT", Map.of())).isEmpty();
    }
}
