package cn.bazhong.credit.gateway.hostile;

import cn.bazhong.credit.gateway.ingest.*;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** A receipt never carries a full personal ID number in a message, whether the gateway or the province wrote it. */
class ReceiptMessagesTest {

    @Test
    void a_message_of_the_province_quoting_an_id_number_is_kept_masked_in_the_receipt() {
        Receipt.UpstreamRejection r = new Receipt.UpstreamRejection("ZJFY:LIST_ENTRY:（2024）川19执102号", 3, "E101",
                "CF_XDR_ZJHM 511903196012073255 与姓名不符", Instant.EPOCH);

        assertThat(r.message()).isEqualTo("CF_XDR_ZJHM 511903********3255 与姓名不符");
        assertThat(r.recordId()).isEqualTo("ZJFY:LIST_ENTRY:（2024）川19执102号");
    }

    @Test
    void a_rejection_message_is_masked_even_when_it_was_built_outside_the_mapping() {
        assertThat(new Receipt.RejectedRecord(2, "zjhm", "enum", "'51190319601207325X' is not allowed").message())
                .isEqualTo("'511903********325X' is not allowed");
    }
}
