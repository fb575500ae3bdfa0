package cn.bazhong.credit.gateway.lists;

import cn.bazhong.credit.gateway.infra.HazelcastMaps;
import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.infra.TopicProvisioner;
import cn.bazhong.credit.gateway.schema.ListCategory;
import cn.bazhong.credit.gateway.schema.ListStatus;
import cn.bazhong.credit.gateway.schema.RecordJson;
import cn.bazhong.credit.gateway.schema.Subject;
import cn.bazhong.credit.gateway.support.FreePorts;
import cn.bazhong.credit.gateway.support.HazelcastMembers;
import cn.bazhong.credit.gateway.support.TestBroker;
import com.hazelcast.config.MapConfig;
import com.hazelcast.core.HazelcastInstance;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * After a full restart the list view and the pending objections are filled again from the list-state topic
 * ({@link ListStateStage#rebuild}), on a real KRaft broker and Hazelcast member. The topic is read before
 * compaction has run, so it holds every state an entry went through: the view must end with the last one of
 * each entry, whatever polls and partitions the states came in.
 */
class ListViewRebuildTest {

    static final String TOPIC = "credit.list-state.rebuild";
    /** More than one poll of the loader (5,000 records) over six partitions. */
    static final int PLAIN_SUBJECTS = 12_000;
    static final LocalDate DAY = LocalDate.of(2026, 3, 2);

    /** Sends the broker did not take: the fixture's own failure, reported as such rather than as a short view. */
    static final java.util.Queue<String> FAILED_SENDS = new java.util.concurrent.ConcurrentLinkedQueue<>();

    @RegisterExtension
    static final TestBroker KAFKA = new TestBroker("list-rebuild");
    static HazelcastInstance member;
    static KafkaClients clients;

    @BeforeAll
    static void start() throws Exception {
        clients = KAFKA.clients();
        int port = FreePorts.next();
        member = HazelcastMembers.start("list-rebuild-" + port, port, port);
        member.getConfig().addMapConfig(HazelcastMaps.configureListEntries(new MapConfig(ListView.MAP)));
    }

    @AfterAll
    static void stop() {
        if (member != null) {
            member.shutdown();
        }
    }

    /** A full restart: the cluster's maps start empty. */
    @BeforeEach
    void emptyMaps() {
        member.getMap(ListView.MAP).clear();
        member.getMap(ListTypeTotals.MAP).clear();
        member.getMap(Objections.MAP).clear();
        member.getMap(HazelcastMaps.LIST_VIEW_MARKS).clear();
    }

    @Test
    void a_node_starting_while_another_fills_the_view_waits_and_then_finds_it_whole_without_filling_it_again() throws Exception {
        ListView filling = new ListView(member);
        java.util.concurrent.CountDownLatch halfWay = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch goOn = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CompletableFuture<Boolean> first = java.util.concurrent.CompletableFuture.supplyAsync(() -> filling.fillOnce(() -> {
            for (int i = 0; i < 100; i++) {
                filling.put("O:HALF" + i, state("HALF" + i, "TAX_A", ListStatus.ACTIVE, null));
                if (i == 49) {
                    halfWay.countDown();
                    try {
                        goOn.await();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }));
        halfWay.await();

        // the other node: its start asks for the view while the first one is half-way
        ListView other = new ListView(member);
        int[] seen = {-1};
        Thread second = new Thread(() -> {
            other.fillOnce(() -> {
                throw new AssertionError("filled a second time");
            });
            seen[0] = other.size();
        });
        second.start();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() ->
                second.getState() == Thread.State.WAITING || second.getState() == Thread.State.TIMED_WAITING);
        assertThat(seen[0]).as("answered before the view was whole").isEqualTo(-1);

        goOn.countDown();
        assertThat(first.get(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        second.join(30_000);
        assertThat(second.isAlive()).isFalse();
        assertThat(seen[0]).isEqualTo(100);
    }

    @Test
    void a_fill_that_stopped_half_way_is_made_again_and_a_view_written_before_the_mark_is_taken_as_whole() {
        ListView view = new ListView(member);
        assertThatThrownBy(() -> view.fillOnce(() -> {
            view.put("O:CUT", state("CUT-1", "TAX_A", ListStatus.ACTIVE, null));
            throw new IllegalStateException("the node stops");
        })).hasMessage("the node stops");
        assertThat(member.<String, String>getMap(HazelcastMaps.LIST_VIEW_MARKS).get("filled")).startsWith("being filled since ");

        int[] fills = {0};
        assertThat(view.fillOnce(() -> fills[0]++)).isTrue();
        assertThat(view.fillOnce(() -> fills[0]++)).isFalse();
        assertThat(fills[0]).isEqualTo(1);
        // filled again from nothing: what the stopped fill wrote is not kept unless the topic says it again (its
        // tombstone may have been compacted away since)
        assertThat(view.entriesOf("O:CUT")).isEmpty();

        // a gateway of the version before left a view and no mark: it is whole
        view.put("O:OLD", state("OLD-1", "TAX_A", ListStatus.ACTIVE, null));
        member.getMap(HazelcastMaps.LIST_VIEW_MARKS).clear();
        assertThat(view.fillOnce(() -> fills[0]++)).isFalse();
        assertThat(fills[0]).isEqualTo(1);
        assertThat(member.<String, String>getMap(HazelcastMaps.LIST_VIEW_MARKS).get("filled")).isEqualTo("whole");
    }

    @Test
    void a_fill_writes_each_subject_with_all_its_entries_of_every_poll_and_leaves_out_subjects_whose_entries_all_went() {
        ListView view = new ListView(member);
        SubjectsMet met = new SubjectsMet();
        view.loadAll(List.of(
                new ListView.Loaded("O:A", "A-1", state("A-1", "TAX_A", ListStatus.ACTIVE, null)),
                new ListView.Loaded("O:B", "B-1", state("B-1", "TAX_A", ListStatus.ACTIVE, null)),
                new ListView.Loaded("O:B", "B-2", state("B-2", "COURT_DEFAULTER", ListStatus.ACTIVE, null)),
                new ListView.Loaded("O:B", "B-1", null),
                new ListView.Loaded("O:C", "C-1", state("C-1", "TAX_A", ListStatus.ACTIVE, null)),
                new ListView.Loaded("O:C", "C-1", null),
                new ListView.Loaded("O:A", "A-1", state("A-1", "TAX_A", ListStatus.EXITED, null))), met);
        assertThat(view.entriesOf("O:A")).extracting(EntryState::recordId, EntryState::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("A-1", ListStatus.EXITED));
        assertThat(view.entriesOf("O:B")).extracting(EntryState::recordId).containsExactly("B-2");
        assertThat(member.getMap(ListView.MAP).containsKey("O:C")).as("a subject whose entries of the poll all went").isFalse();

        // the next poll: entries of subjects met before are merged into what the view holds
        view.loadAll(List.of(
                new ListView.Loaded("O:A", "A-2", state("A-2", "SAFETY_BLACK", ListStatus.ACTIVE, null)),
                new ListView.Loaded("O:B", "B-2", null),
                new ListView.Loaded("O:C", "C-2", state("C-2", "TAX_A", ListStatus.ACTIVE, null))), met);
        assertThat(view.entriesOf("O:A")).extracting(EntryState::recordId, EntryState::status).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("A-1", ListStatus.EXITED), org.assertj.core.groups.Tuple.tuple("A-2", ListStatus.ACTIVE));
        assertThat(member.getMap(ListView.MAP).containsKey("O:B")).as("a subject whose last entry went").isFalse();
        assertThat(view.entriesOf("O:C")).extracting(EntryState::recordId).containsExactly("C-2");
        // every value knows its subject, whichever way it was written (the list-type index names subjects by it)
        assertThat(member.<String, java.util.HashMap<String, EntryState>>getMap(ListView.MAP).get("O:A"))
                .isInstanceOfSatisfying(SubjectEntries.class, e -> assertThat(e.subjectKey()).isEqualTo("O:A"));
        assertThat(member.<String, java.util.HashMap<String, EntryState>>getMap(ListView.MAP).get("O:C"))
                .isInstanceOfSatisfying(SubjectEntries.class, e -> assertThat(e.subjectKey()).isEqualTo("O:C"));
    }

    @Test
    void the_subjects_a_fill_met_are_always_known_and_others_rarely_taken_for_them() {
        SubjectsMet met = new SubjectsMet();
        for (int i = 0; i < 200_000; i++) {
            met.add("O:91511900MA" + i);
        }
        int missed = 0;
        int mistaken = 0;
        for (int i = 0; i < 200_000; i++) {
            missed += met.mayHave("O:91511900MA" + i) ? 0 : 1;
            mistaken += met.mayHave("P:91511900MA" + i) ? 1 : 0;
        }
        assertThat(missed).isZero();
        assertThat(mistaken).as("subjects never added taken for met, of 200,000").isLessThan(20);
    }

    @Test
    void a_state_that_cannot_be_read_stops_the_rebuild_naming_where_it_lies() throws Exception {
        String topic = TOPIC + ".broken";
        compacted(topic, 1);
        try (KafkaProducer<String, byte[]> producer = clients.producer("list-rebuild-broken")) {
            producer.send(new ProducerRecord<>(topic, "O:FINE|FINE-1", RecordJson.mapper().writeValueAsBytes(
                    state("FINE-1", "TAX_A", ListStatus.ACTIVE, null))));
            producer.send(new ProducerRecord<>(topic, "O:CUT|CUT-1", "{\"recordId\":\"CUT-1\",\"listT".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            producer.flush();
        }

        assertThatThrownBy(() -> ListStateStage.rebuild(clients, topic, new ListView(member), new Objections(member)))
                .isInstanceOf(java.io.UncheckedIOException.class)
                .hasMessageContaining("list state at 0/1 cannot be read");
    }

    @Test
    void a_full_restart_fills_the_view_and_the_pending_objections_with_the_last_state_of_every_entry_and_drops_stale_objections() throws Exception {
        compacted(TOPIC, 6);
        try (KafkaProducer<String, byte[]> producer = clients.bulkProducer("list-rebuild-test")) {
            // a subject met in an early poll and again in later ones: whole at first, then changed entry by entry
            write(producer, "O:SPREAD", state("SPREAD-1", "SAFETY_BLACK", ListStatus.ACTIVE, null));
            for (int i = 0; i < PLAIN_SUBJECTS; i++) {
                write(producer, "O:PLAIN" + i, state("PLAIN" + i, "TAX_A", ListStatus.ACTIVE, null));
            }
            write(producer, "O:SPREAD", state("SPREAD-2", "SAFETY_BLACK", ListStatus.ACTIVE, null));
            write(producer, "O:SPREAD", state("SPREAD-1", "SAFETY_BLACK", ListStatus.EXITED, null));
            // two entries of one subject (in whatever partitions their keys fall), the second updated to an exit
            write(producer, "O:MULTI", state("MULTI-1", "TAX_A", ListStatus.ACTIVE, null));
            write(producer, "O:MULTI", state("MULTI-2", "COURT_DEFAULTER", ListStatus.ACTIVE, null));
            write(producer, "O:MULTI", state("MULTI-2", "COURT_DEFAULTER", ListStatus.EXITED, null));
            // an entry removed from the topic (a tombstone) after it was listed
            write(producer, "O:GONE", state("GONE-1", "COURT_DEFAULTER", ListStatus.ACTIVE, null));
            producer.send(new ProducerRecord<>(TOPIC, "O:GONE|GONE-1", null));
            // an objection decided (back to ACTIVE), and one still pending
            write(producer, "O:DECIDED", state("DECIDED-1", "COURT_DEFAULTER", ListStatus.UNDER_OBJECTION, DAY.plusDays(15)));
            write(producer, "O:DECIDED", state("DECIDED-1", "COURT_DEFAULTER", ListStatus.ACTIVE, null));
            write(producer, "O:PENDING", state("PENDING-1", "COURT_DEFAULTER", ListStatus.UNDER_OBJECTION, DAY.plusDays(15)));
            producer.flush();
        }
        assertThat(FAILED_SENDS).as("states the broker did not take").isEmpty();

        ListView view = new ListView(member);
        Objections objections = new Objections(member);
        // an objection the index still holds from before, which the list state says was decided
        objections.track("O:PLAIN5", state("PLAIN5", "TAX_A", ListStatus.UNDER_OBJECTION, DAY.plusDays(3)));
        ListStateStage.rebuild(clients, TOPIC, view, objections);

        assertThat(view.size()).isEqualTo(PLAIN_SUBJECTS + 4);
        assertThat(view.entriesOf("O:SPREAD")).extracting(EntryState::recordId, EntryState::status)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("SPREAD-1", ListStatus.EXITED),
                        org.assertj.core.groups.Tuple.tuple("SPREAD-2", ListStatus.ACTIVE));
        assertThat(view.entry("O:PLAIN0", "PLAIN0").status()).isEqualTo(ListStatus.ACTIVE);
        assertThat(view.entry("O:PLAIN" + (PLAIN_SUBJECTS - 1), "PLAIN" + (PLAIN_SUBJECTS - 1)).listType()).isEqualTo("TAX_A");
        assertThat(view.entriesOf("O:MULTI")).extracting(EntryState::recordId, EntryState::status)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("MULTI-1", ListStatus.ACTIVE),
                        org.assertj.core.groups.Tuple.tuple("MULTI-2", ListStatus.EXITED));
        assertThat(view.entriesOf("O:GONE")).isEmpty();
        assertThat(view.entry("O:DECIDED", "DECIDED-1").status()).isEqualTo(ListStatus.ACTIVE);
        assertThat(objections.list(false, DAY)).extracting(Objections.Pending::recordId, Objections.Pending::subjectKey, Objections.Pending::due)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("PENDING-1", "O:PENDING", DAY.plusDays(15)));
        // counted once, after the fill, while the node goes on starting: a change waits for the count
        view.awaitCounted();
        assertThat(view.totals().of(ListTypes.token("TAX_A", ListStatus.ACTIVE)).subjects()).isEqualTo(PLAIN_SUBJECTS + 1);
        assertThat(view.totals().of(ListTypes.token("COURT_DEFAULTER", ListStatus.EXITED)).subjects()).isEqualTo(1);
        assertThat(view.totals().of(ListTypes.token("COURT_DEFAULTER", ListStatus.ACTIVE)).subjects()).isEqualTo(1);
        assertThat(view.totals().of(ListTypes.token("COURT_DEFAULTER", ListStatus.UNDER_OBJECTION)).subjects()).isEqualTo(1);
        assertThat(view.totals().of(ListTypes.token("SAFETY_BLACK", ListStatus.EXITED)).subjects()).isEqualTo(1);
        assertThat(view.totals().of(ListTypes.token("SAFETY_BLACK", null)).subjects()).isEqualTo(1);
    }

    @Test
    void a_view_filled_while_the_node_starts_answers_no_read_until_it_is_whole_and_its_changes_wait_for_it() throws Exception {
        String topic = TOPIC + ".meanwhile";
        compacted(topic, 3);
        try (KafkaProducer<String, byte[]> producer = clients.producer("list-rebuild-meanwhile")) {
            for (EntryState s : List.of(state("LATE-1", "COURT_DEFAULTER", ListStatus.ACTIVE, null),
                    state("LATE-2", "COURT_DEFAULTER", ListStatus.UNDER_OBJECTION, DAY.plusDays(15)))) {
                producer.send(new ProducerRecord<>(topic, "O:" + s.recordId() + "|" + s.recordId(), RecordJson.mapper().writeValueAsBytes(s)));
            }
            producer.flush();
        }
        ListView view = new ListView(member);
        Objections objections = new Objections(member);
        objections.filledWith(view);
        java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
        // the node's start reading a long list-state topic, held here until the test lets it go on
        view.fillMeanwhile(() -> {
            try {
                held.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            ListStateStage.rebuild(clients, topic, view, objections);
        }, java.time.Duration.ofMillis(200));

        assertThat(view.filled()).isFalse();
        assertThat(view.fillDetails()).containsEntry("view", "filling").containsKey("entriesRead");
        // a listed subject must never read as unlisted: every read is refused until the view is whole
        assertThatThrownBy(() -> view.entriesOf("O:LATE-1")).isInstanceOf(ListViewFilling.class).hasMessageContaining("being filled");
        assertThatThrownBy(() -> view.entry("O:LATE-1", "LATE-1")).isInstanceOf(ListViewFilling.class);
        assertThatThrownBy(() -> view.ofListType("COURT_DEFAULTER", null, null, null, 10)).isInstanceOf(ListViewFilling.class);
        assertThatThrownBy(() -> objections.list(false, DAY)).isInstanceOf(ListViewFilling.class);
        // whoever changes the view (the list-state stage, the expiry sweep) waits for it, however long
        java.util.concurrent.CompletableFuture<Void> change = java.util.concurrent.CompletableFuture.runAsync(view::awaitCounted);
        org.awaitility.Awaitility.await().during(java.time.Duration.ofMillis(500)).atMost(java.time.Duration.ofSeconds(5))
                .until(() -> !change.isDone());

        held.countDown();
        change.get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(view.filled()).isTrue();
        assertThat(view.fillDetails()).containsEntry("view", "whole");
        assertThat(view.entriesOf("O:LATE-1")).extracting(EntryState::status).containsExactly(ListStatus.ACTIVE);
        assertThat(objections.list(false, DAY)).extracting(Objections.Pending::recordId).containsExactly("LATE-2");
    }

    @Test
    void a_view_whose_fill_failed_answers_nothing_and_says_so_while_work_that_only_yields_to_the_fill_goes_on() {
        ListView view = new ListView(member);
        view.fillMeanwhile(() -> {
            throw new java.io.UncheckedIOException(new java.io.IOException("list state at 2/7 cannot be read"));
        }, java.time.Duration.ofMillis(200));

        view.awaitFillEnded(); // the dedup index's catch-up: it waits for the fill, not for its success
        assertThat(view.filled()).isFalse();
        assertThat(view.fillDetails()).containsEntry("view", "fill failed");
        assertThatThrownBy(() -> view.entriesOf("O:ANY")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("could not be filled").hasMessageContaining("list state at 2/7 cannot be read");
        assertThatThrownBy(view::awaitCounted).isInstanceOf(IllegalStateException.class);
    }

    /** A compacted topic, as the list-state topic is. */
    private static void compacted(String topic, int partitions) throws Exception {
        TopicProvisioner.ensure(clients, List.of(TopicProvisioner.topic(topic, partitions, (short) 1,
                Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))));
    }

    private static void write(KafkaProducer<String, byte[]> producer, String subjectKey, EntryState state) throws Exception {
        producer.send(new ProducerRecord<>(TOPIC, subjectKey + "|" + state.recordId(), RecordJson.mapper().writeValueAsBytes(state)),
                (metadata, e) -> {
                    if (e != null) {
                        FAILED_SENDS.add(subjectKey + ": " + e);
                    }
                });
    }

    private static EntryState state(String recordId, String listType, ListStatus status, LocalDate objectionDue) {
        String code = "91511900MA" + String.format("%08d", Math.abs(recordId.hashCode()) % 100_000_000);
        Subject subject = new Subject(Subject.ORGANISATION, "巴中市测试企业" + recordId, code, null, null, null, null, null, null, null, null);
        Map<String, String> attributes = objectionDue == null ? null
                : Map.of(Objections.FILED_ON, DAY.toString(), Objections.DUE, objectionDue.toString(), "objectionReason", "已履行");
        return new EntryState(recordId, listType, "TAX_A".equals(listType) ? ListCategory.RED : ListCategory.BLACK, "巴中市中级人民法院",
                null, DAY.minusDays(30), DAY.minusDays(30), DAY.plusYears(3), status, status == ListStatus.EXITED ? DAY : null,
                status == ListStatus.EXITED ? "已履行" : null, null, null, subject, "v-" + status, ListChange.LISTED.wireName(),
                Instant.parse("2026-03-02T08:00:00Z"), "evt-" + recordId, null, attributes);
    }
}
