package cn.bazhong.credit.gateway.lists;

import cn.bazhong.credit.gateway.support.FreePorts;
import cn.bazhong.credit.gateway.support.HazelcastMembers;
import com.hazelcast.core.HazelcastInstance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The subjects' view takes a poll's changes in one go (pipelined calls to the cluster) and ends as if it had
 * taken them one at a time, in their order: several changes to one subject in a poll keep their order.
 */
class SubjectRecordsTest {

    static final int PORT = FreePorts.next();
    static final HazelcastInstance MEMBER = HazelcastMembers.start("subject-records-" + PORT, PORT, PORT);
    static final LocalDate TODAY = LocalDate.of(2026, 12, 5);

    SubjectRecords view;

    @BeforeEach
    void emptyView() {
        MEMBER.getMap(SubjectRecords.MAP).clear();
        view = new SubjectRecords(MEMBER, 5, 3);
    }

    @AfterAll
    static void stop() {
        MEMBER.shutdown();
    }

    static SubjectRecord penalty(String id, String version, LocalDate decided) {
        return new SubjectRecord(id, version, "ADMIN_PENALTY", "罚〔" + id + "〕", decided, null, "罚款", "巴中市市场监督管理局",
                "11511900MB1C05966T", "SCJGJ", "SFTP", null);
    }

    static SubjectRecords.Change put(String subject, SubjectRecord r) {
        return new SubjectRecords.Change(subject, r, null);
    }

    static SubjectRecords.Change remove(String subject, String id) {
        return new SubjectRecords.Change(subject, null, id);
    }

    static List<String> ids(SubjectRecords.History h) {
        return h.records().stream().map(r -> r.recordId() + "@" + r.version()).toList();
    }

    @Test
    void changes_to_one_subject_in_a_poll_apply_in_their_order() {
        view.apply(List.of(
                put("A", penalty("p1", "v1", TODAY.minusDays(10))),
                put("B", penalty("q1", "v1", TODAY.minusDays(3))),
                put("A", penalty("p2", "v1", TODAY.minusDays(5))),
                remove("A", "p1"),
                put("A", penalty("p2", "v2", TODAY.minusDays(5))),
                remove("B", "q1"),
                put("B", penalty("q1", "v2", TODAY.minusDays(3)))), TODAY);

        assertThat(ids(view.of("A", TODAY))).containsExactly("p2@v2");
        assertThat(ids(view.of("B", TODAY))).containsExactly("q1@v2");
    }

    @Test
    void a_poll_ends_as_the_same_changes_taken_one_at_a_time() {
        List<SubjectRecords.Change> changes = new ArrayList<>();
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 400; i++) {
            String subject = "S" + random.nextInt(12);
            String id = "r" + random.nextInt(30);
            changes.add(random.nextInt(4) == 0 ? remove(subject, id)
                    : put(subject, penalty(id, "v" + i, TODAY.minusDays(random.nextInt(4_000)))));
        }
        view.apply(changes, TODAY);
        List<List<String>> inOneGo = new ArrayList<>();
        for (int s = 0; s < 12; s++) {
            inOneGo.add(ids(view.of("S" + s, TODAY)));
        }

        MEMBER.getMap(SubjectRecords.MAP).clear();
        for (SubjectRecords.Change c : changes) {
            if (c.record() == null) {
                view.remove(c.subjectKey(), c.removeId(), TODAY);
            } else {
                view.put(c.subjectKey(), c.record(), TODAY);
            }
        }
        for (int s = 0; s < 12; s++) {
            assertThat(ids(view.of("S" + s, TODAY))).as("subject S%d", s).isEqualTo(inOneGo.get(s));
        }
        assertThat(inOneGo).as("the changes left something in the view").anyMatch(l -> !l.isEmpty());
    }
    @Test
    void every_field_of_a_record_survives_the_trip_through_the_cluster_and_nulls_stay_null() {
        SubjectRecord full = new SubjectRecord("XZSPJ:COMMITMENT:承诺〔2026〕7号", "v3", "COMMITMENT", "承诺〔2026〕7号",
                TODAY.minusDays(40), TODAY.plusDays(20), "按期补齐材料", "巴中市行政审批局", "11511900MB1C05966T", "XZSPJ", "rest",
                java.time.Instant.parse("2026-12-05T02:03:04.567891Z"), "BROKEN", TODAY.minusDays(1));
        SubjectRecord sparse = new SubjectRecord("p9", "v1", "ADMIN_PENALTY", null, null, null, null, null, null, "SCJGJ", "SFTP", null);
        view.put("F", full, TODAY);
        view.put("F", sparse, TODAY);

        assertThat(view.of("F", TODAY).records()).containsExactly(full, sparse);
    }

    @Test
    void an_entry_written_by_the_previous_version_with_java_serialization_is_still_read() throws Exception {
        SubjectRecords.History old = new SubjectRecords.History();
        old.records.add(penalty("p1", "v1", TODAY.minusDays(2)));
        old.truncated = true;
        // the bytes Hazelcast's Java serializer wrote for it: its type's header, then the object stream
        var serialization = ((com.hazelcast.spi.impl.SerializationServiceSupport) MEMBER).getSerializationService();
        byte[] header = serialization.toData(new JavaSerializedMarker()).toByteArray();
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        bytes.write(header, 0, com.hazelcast.internal.serialization.impl.HeapData.DATA_OFFSET);
        try (java.io.ObjectOutputStream stream = new java.io.ObjectOutputStream(bytes)) {
            stream.writeObject(old);
        }
        MEMBER.getMap(SubjectRecords.MAP).set("OLD", new com.hazelcast.internal.serialization.impl.HeapData(bytes.toByteArray()));

        SubjectRecords.History read = view.of("OLD", TODAY);
        assertThat(ids(read)).containsExactly("p1@v1");
        assertThat(read.truncated()).isTrue();
        view.put("OLD", penalty("p2", "v1", TODAY.minusDays(1)), TODAY);
        assertThat(ids(view.of("OLD", TODAY))).containsExactly("p2@v1", "p1@v1");
    }

    /** Any class Hazelcast has no serializer for but Java's: its data carries the Java serializer's type. */
    static final class JavaSerializedMarker implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
    }
}
