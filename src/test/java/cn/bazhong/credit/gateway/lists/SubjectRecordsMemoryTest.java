package cn.bazhong.credit.gateway.lists;

import cn.bazhong.credit.gateway.support.FreePorts;
import cn.bazhong.credit.gateway.support.HazelcastMembers;
import com.hazelcast.core.HazelcastInstance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The subjects' view keeps five years of every subject's penalties and licences: what one record costs the
 * member that owns its subject (issue 15, target 3; a cluster keeps one backup on another member as well).
 */
class SubjectRecordsMemoryTest {

    static final int PORT = FreePorts.next();
    static final HazelcastInstance MEMBER = HazelcastMembers.start("subject-memory-" + PORT, PORT, PORT);
    static final LocalDate TODAY = LocalDate.of(2026, 12, 5);

    @AfterAll
    static void stop() {
        MEMBER.shutdown();
    }

    static SubjectRecord penalty(int i) {
        return new SubjectRecord("SCJGJ:ADMIN_PENALTY:11511900MB1C05966T:巴市监处罚〔2026〕" + (1000 + i) + "号",
                "5f0c1d2e3a4b5c6d7e8f901a2b3c4d5e", "ADMIN_PENALTY", "巴市监处罚〔2026〕" + (1000 + i) + "号",
                TODAY.minusDays(i % 1_500), TODAY.plusYears(1), "罚款：罚款人民币1000元", "巴中市市场监督管理局", "11511900MB1C05966T",
                "SCJGJ", "SFTP", Instant.parse("2026-12-05T02:00:00Z"));
    }

    @Test
    void a_record_in_the_subjects_view_costs_its_member_under_half_a_kilobyte() {
        SubjectRecords view = new SubjectRecords(MEMBER, 5, 500);
        List<SubjectRecords.Change> changes = new ArrayList<>();
        // 1,000 subjects with one record each, 100 subjects with ten each
        for (int i = 0; i < 1_000; i++) {
            changes.add(new SubjectRecords.Change("one-" + i, penalty(i), null));
        }
        for (int i = 0; i < 1_000; i++) {
            changes.add(new SubjectRecords.Change("ten-" + (i % 100), penalty(10_000 + i), null));
        }
        view.apply(changes, TODAY);

        long bytes = MEMBER.getMap(SubjectRecords.MAP).getLocalMapStats().getOwnedEntryMemoryCost();
        long perRecord = bytes / changes.size();
        System.out.printf("subjects' view: %d bytes of the member's memory per record (%d records of %d subjects)%n",
                perRecord, changes.size(), MEMBER.getMap(SubjectRecords.MAP).size());
        assertThat(view.of("ten-7", TODAY).records()).hasSize(10);
        // measured: 418 bytes, field by field (690 when a subject's records were one Java-serialized list)
        assertThat(perRecord).as("bytes per record").isLessThan(512);
    }
}
