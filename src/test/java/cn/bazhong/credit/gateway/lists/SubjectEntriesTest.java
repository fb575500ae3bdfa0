package cn.bazhong.credit.gateway.lists;

import cn.bazhong.credit.gateway.infra.HazelcastMaps;
import cn.bazhong.credit.gateway.schema.ListCategory;
import cn.bazhong.credit.gateway.schema.ListStatus;
import cn.bazhong.credit.gateway.schema.Party;
import cn.bazhong.credit.gateway.schema.Subject;
import cn.bazhong.credit.gateway.support.FreePorts;
import cn.bazhong.credit.gateway.support.HazelcastMembers;
import com.hazelcast.config.MapConfig;
import com.hazelcast.core.HazelcastInstance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The list view's values ({@link SubjectEntries}) in Hazelcast's own form, on a real member configured as the
 * gateway's map (its two indexes included): what a listed subject costs its member, every field surviving the
 * trip, and a value Java-serialized by the earlier version still read and updated.
 */
class SubjectEntriesTest {

    static final int PORT = FreePorts.next();
    static final HazelcastInstance MEMBER = start();
    static final LocalDate DAY = LocalDate.of(2026, 3, 2);

    static HazelcastInstance start() {
        HazelcastInstance member = HazelcastMembers.start("subject-entries-" + PORT, PORT, PORT);
        member.getConfig().addMapConfig(HazelcastMaps.configureListEntries(new MapConfig(ListView.MAP)));
        new ListView(member).ensureIndexes();
        return member;
    }

    @AfterAll
    static void stop() {
        MEMBER.shutdown();
    }

    /** A court defaulter as the list-state topic holds one (the benchmark's shape). */
    static EntryState defaulter(int i) {
        String uscc = "91511900MA" + String.format("%08d", i);
        Subject subject = new Subject(Subject.ORGANISATION, "巴中市测试企业" + i + "有限公司", uscc, null, null, null, null, null, null, null, null);
        return new EntryState("ZJFY:LIST_ENTRY:（2025）川19执" + i + "号", "COURT_DEFAULTER", ListCategory.BLACK, "四川省巴中市中级人民法院",
                "（2025）川19执" + i + "号", DAY.minusDays(300), DAY.minusDays(300), DAY.plusYears(4), ListStatus.ACTIVE, null, null,
                "被执行人于判决生效后十日内支付申请执行人货款", "有履行能力而拒不履行", subject, "v" + i, ListChange.LISTED.wireName(),
                Instant.parse("2025-05-06T02:03:04Z"), "evt_" + i, "11511900MB1C05966T", null)
                .after(null);
    }

    @Test
    void a_listed_subject_costs_its_member_under_900_bytes() {
        ListView view = new ListView(MEMBER);
        for (int i = 0; i < 2_000; i++) {
            view.put("O:MEMORY" + i, defaulter(i));
        }
        long bytes = MEMBER.getMap(ListView.MAP).getLocalMapStats().getOwnedEntryMemoryCost();
        long perSubject = bytes / 2_000;
        System.out.printf("list view: %d bytes of the member's memory per listed subject%n", perSubject);
        assertThat(view.entry("O:MEMORY7", defaulter(7).recordId())).isEqualTo(defaulter(7));
        // measured: 777 bytes field by field; 991 with each state as JSON, 2,019 Java-serialized as before 2026-12-06
        assertThat(perSubject).as("bytes per listed subject").isLessThan(900);
    }

    @Test
    void a_listed_subject_is_kept_once_on_its_member_serialized_with_no_object_beside_it_after_the_indexes_read_it() {
        ListView view = new ListView(MEMBER);
        view.put("O:MEMORY-ONCE", defaulter(5));
        assertThat(view.ofListType("COURT_DEFAULTER", ListStatus.ACTIVE, "O:MEMORY-ONC", null, 1).subjects()).extracting(Map.Entry::getKey)
                .containsExactly("O:MEMORY-ONCE");

        // the record on the member that owns the key: Hazelcast's default for a map with indexes keeps the object
        // its indexes read beside the bytes (twice the view's heap, docs/benchmarks.md)
        var map = (com.hazelcast.map.impl.proxy.MapProxyImpl<?, ?>) MEMBER.getMap(ListView.MAP);
        var context = ((com.hazelcast.map.impl.MapService) map.getService()).getMapServiceContext();
        int partition = MEMBER.getPartitionService().getPartition("O:MEMORY-ONCE").getPartitionId();
        var record = context.getExistingRecordStore(partition, ListView.MAP).getRecord(context.toData("O:MEMORY-ONCE"));
        assertThat(record.getValue()).isInstanceOf(com.hazelcast.internal.serialization.Data.class);
        assertThat(com.hazelcast.map.impl.record.Records.getCachedValue(record)).isSameAs(com.hazelcast.map.impl.record.Record.NOT_CACHED);
    }

    @Test
    void every_field_of_an_entry_survives_the_trip_through_the_cluster_and_nulls_stay_null() {
        Subject person = new Subject(Subject.PERSON, "张三", null, null, null, null, null, null, null, "身份证", "sealed:k1:AbC=",
                new Party("李四", "身份证", "sealed:k1:DeF="), new Party("王五", null, null));
        EntryState full = new EntryState("SWJ:LIST_ENTRY:X#" + Subject.LEGAL_REP, "MAJOR_TAX_VIOLATION", ListCategory.BLACK, "国家税务总局巴中市税务局",
                "巴税稽罚〔2026〕3号", DAY.minusDays(9), DAY.minusDays(8), DAY.plusYears(3), ListStatus.UNDER_OBJECTION, DAY, "异议成立",
                "《重大税收违法失信主体信息公布管理办法》", "偷税", person, "v7", ListChange.OBJECTION_FLAGGED.wireName(),
                Instant.parse("2026-03-02T08:09:10.123456789Z"), "evt_x", "11511900MB1C05966T",
                Map.of(Objections.FILED_ON, "2026-03-01", Objections.DUE, "2026-03-16"))
                .after(defaulter(1));
        EntryState sparse = new EntryState("p", "TAX_A", null, null, null, null, null, null, ListStatus.ACTIVE, null, null, null, null,
                null, "v1", null, null, null, null, null);
        ListView view = new ListView(MEMBER);
        view.put("O:FULL", full);
        view.put("O:FULL", sparse);

        assertThat(view.entry("O:FULL", full.recordId())).isEqualTo(full);
        assertThat(view.entry("O:FULL", "p")).isEqualTo(sparse);
        assertThat(full.history()).hasSizeGreaterThan(1);
    }

    @Test
    void a_value_written_by_the_previous_version_with_java_serialization_is_still_read_and_updated() throws Exception {
        HashMap<String, EntryState> old = new HashMap<>(Map.of(defaulter(3).recordId(), defaulter(3)));
        // the bytes Hazelcast's Java serializer wrote for the earlier SubjectEntries: its type's header, then the object stream
        var serialization = ((com.hazelcast.spi.impl.SerializationServiceSupport) MEMBER).getSerializationService();
        byte[] header = serialization.toData(new SubjectRecordsTest.JavaSerializedMarker()).toByteArray();
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        bytes.write(header, 0, com.hazelcast.internal.serialization.impl.HeapData.DATA_OFFSET);
        try (java.io.ObjectOutputStream stream = new java.io.ObjectOutputStream(bytes)) {
            stream.writeObject(new SubjectEntries("O:OLD", old));
        }
        MEMBER.getMap(ListView.MAP).set("O:OLD", new com.hazelcast.internal.serialization.impl.HeapData(bytes.toByteArray()));

        ListView view = new ListView(MEMBER);
        assertThat(view.entriesOf("O:OLD")).containsExactly(defaulter(3));
        view.put("O:OLD", defaulter(4));
        assertThat(view.entriesOf("O:OLD")).containsExactlyInAnyOrder(defaulter(3), defaulter(4));
        assertThat(MEMBER.<String, Object>getMap(ListView.MAP).get("O:OLD")).isInstanceOf(SubjectEntries.class);
        assertThat(((SubjectEntries) MEMBER.<String, Object>getMap(ListView.MAP).get("O:OLD")).subjectKey()).isEqualTo("O:OLD");
        // on the list type's pages (the index reads the subject's key from the value), after the other tests' subjects
        assertThat(view.ofListType("COURT_DEFAULTER", null, "O:O", null, 5).subjects()).extracting(Map.Entry::getKey)
                .containsExactly("O:OLD");
    }

    @Test
    void a_change_of_the_view_travels_in_its_own_form_at_under_half_the_bytes_and_applies_every_field() throws Exception {
        var serialization = ((com.hazelcast.spi.impl.SerializationServiceSupport) MEMBER).getSerializationService();
        EntryState state = defaulter(11).after(defaulter(10));
        ListView.Upsert upsert = new ListView.Upsert(state.recordId(), state);

        byte[] own = serialization.toData(upsert).toByteArray();
        java.io.ByteArrayOutputStream java = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream stream = new java.io.ObjectOutputStream(java)) {
            stream.writeObject(upsert);
        }
        assertThat(own.length).as("bytes of a change in its own form against Java serialization (%d)", java.size())
                .isLessThan(java.size() / 2);

        ListView.Upsert travelled = serialization.toObject(serialization.toData(upsert));
        MEMBER.<String, java.util.HashMap<String, EntryState>>getMap(ListView.MAP).executeOnKey("O:CHANGE-TRAVELLED", travelled);
        ListView view = new ListView(MEMBER);
        assertThat(view.entry("O:CHANGE-TRAVELLED", state.recordId())).isEqualTo(state);

        ListView.Upsert removal = serialization.toObject(serialization.toData(new ListView.Upsert(state.recordId(), null)));
        MEMBER.<String, java.util.HashMap<String, EntryState>>getMap(ListView.MAP).executeOnKey("O:CHANGE-TRAVELLED", removal);
        assertThat(view.entriesOf("O:CHANGE-TRAVELLED")).isEmpty();
    }

    @Test
    void a_change_java_serialized_by_the_previous_version_is_still_read_and_applied() throws Exception {
        var serialization = ((com.hazelcast.spi.impl.SerializationServiceSupport) MEMBER).getSerializationService();
        byte[] header = serialization.toData(new SubjectRecordsTest.JavaSerializedMarker()).toByteArray();
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        bytes.write(header, 0, com.hazelcast.internal.serialization.impl.HeapData.DATA_OFFSET);
        try (java.io.ObjectOutputStream stream = new java.io.ObjectOutputStream(bytes)) {
            stream.writeObject(new ListView.Upsert(defaulter(12).recordId(), defaulter(12)));
        }
        ListView.Upsert old = serialization.toObject(new com.hazelcast.internal.serialization.impl.HeapData(bytes.toByteArray()));

        MEMBER.<String, java.util.HashMap<String, EntryState>>getMap(ListView.MAP).executeOnKey("O:CHANGE-PREVIOUS", old);
        assertThat(new ListView(MEMBER).entriesOf("O:CHANGE-PREVIOUS")).containsExactly(defaulter(12));
    }
}
