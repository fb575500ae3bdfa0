package cn.bazhong.credit.gateway.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The version is a published stability contract: equal content must give the same version on any
 * machine and in every release. The expected values below were computed with the first
 * implementation (Jackson {@code writeValueAsBytes} into a byte array, then SHA-256), before the
 * JSON was streamed into the digest; they must never change.
 */
class RecordVersionTest {

    @Test
    void a_penalty_of_an_organisation_keeps_its_published_version() {
        assertThat(FullRecords.of(RecordKind.ADMIN_PENALTY).version()).isEqualTo("60e1d2208b77a9d3d3b4469c0ae43b9b");
    }

    @Test
    void a_licence_keeps_its_published_version() {
        assertThat(FullRecords.of(RecordKind.ADMIN_LICENSE).version()).isEqualTo("18a9d6f22e6b7beb2117688e372c3aee");
    }

    @Test
    void a_list_entry_with_attributes_keeps_its_published_version() {
        assertThat(FullRecords.of(RecordKind.LIST_ENTRY).version()).isEqualTo("fb10752989057ce6e4dfee2104006f5f");
    }

    @Test
    void a_penalty_of_a_person_keeps_its_published_version() {
        CreditRecord record = FullRecords.stamp(RecordKind.ADMIN_PENALTY, "k", FullRecords.person(), FullRecords.penalty(),
                null, null);

        assertThat(record.version()).isEqualTo("de48e089160ca6db1b572f38f8b0a9c4");
    }

    @Test
    void the_version_ignores_provenance_and_any_version_the_record_already_carries() {
        CreditRecord record = FullRecords.of(RecordKind.ADMIN_PENALTY);
        Provenance elsewhere = new Provenance("SCJGJ", "rest", null, 99L, "req-2", null, null, null,
                Instant.parse("2026-01-01T00:00:00Z"), "scjgj-penalties", 2);
        CreditRecord moved = new CreditRecord(record.recordId(), "stale", record.kind(), record.operation(),
                record.businessKey(), record.subject(), record.penalty(), record.licence(), record.entry(), elsewhere);

        assertThat(RecordVersion.of(moved)).isEqualTo(record.version());
    }

    @Test
    void a_corrected_value_gives_a_new_version_and_correcting_it_back_gives_the_old_one() {
        AdminPenalty p = FullRecords.penalty();
        AdminPenalty corrected = new AdminPenalty(p.decisionNo(), p.violationType(), p.facts(), p.basis(), List.of("罚款"),
                p.content(), p.fineWan(), p.confiscatedWan(), p.suspendedLicence(), LocalDate.of(2024, 1, 31),
                p.validUntil(), p.publicityUntil(), p.authority(), p.dataSource(), p.remarks());
        String original = FullRecords.of(RecordKind.ADMIN_PENALTY).version();

        String changed = FullRecords.stamp(RecordKind.ADMIN_PENALTY, "11420000MB15291767:巴市监处罚〔2024〕1号",
                FullRecords.company(), corrected, null, null).version();
        String back = FullRecords.stamp(RecordKind.ADMIN_PENALTY, "11420000MB15291767:巴市监处罚〔2024〕1号",
                FullRecords.company(), FullRecords.penalty(), null, null).version();

        assertThat(changed).isNotEqualTo(original);
        assertThat(back).isEqualTo(original);
    }

    @Test
    void the_same_content_gives_the_same_version_on_other_threads() throws Exception {
        String expected = "60e1d2208b77a9d3d3b4469c0ae43b9b";
        String[] seen = new String[4];
        Thread[] threads = new Thread[seen.length];
        for (int i = 0; i < threads.length; i++) {
            int slot = i;
            threads[i] = new Thread(() -> seen[slot] = FullRecords.of(RecordKind.ADMIN_PENALTY).version());
            threads[i].start();
        }
        for (Thread t : threads) {
            t.join();
        }

        assertThat(seen).containsOnly(expected);
    }
}
