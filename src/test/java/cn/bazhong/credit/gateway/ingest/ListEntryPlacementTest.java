package cn.bazhong.credit.gateway.ingest;

import cn.bazhong.credit.gateway.infra.HazelcastMaps;
import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.schema.CreditRecord;
import cn.bazhong.credit.gateway.support.FreePorts;
import cn.bazhong.credit.gateway.support.HazelcastMembers;
import cn.bazhong.credit.gateway.support.TestBroker;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static cn.bazhong.credit.gateway.ingest.ListEntrySequenceTest.LISTED;
import static cn.bazhong.credit.gateway.ingest.ListEntrySequenceTest.T1;
import static cn.bazhong.credit.gateway.ingest.ListEntrySequenceTest.T2;
import static cn.bazhong.credit.gateway.ingest.ListEntrySequenceTest.T3;
import static cn.bazhong.credit.gateway.ingest.ListEntrySequenceTest.WITHDRAWN;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A list entry's place in its record's sequence is written while the record is published ({@link ListEntrySequence#begin}),
 * on a real KRaft broker and Hazelcast member: the cluster's map never runs ahead of the topic, and the record stays
 * locked cluster-wide until its place is settled or let go.
 */
class ListEntryPlacementTest {

    static final String TOPIC = "gateway.list-entry-sequence.placement";
    @RegisterExtension
    static final TestBroker KAFKA = new TestBroker("list-entry-placement");
    static HazelcastInstance member;
    static KafkaClients clients;
    static ListEntrySequence sequence;
    static IMap<String, String> latest;

    @BeforeAll
    static void start() throws Exception {
        clients = KAFKA.clients();
        int port = FreePorts.next();
        member = HazelcastMembers.start("list-entry-placement-" + port, port, port);
        sequence = new ListEntrySequence(clients, TOPIC, 1, (short) 1, member, new DedupIndex(member));
        latest = member.getMap(HazelcastMaps.LIST_ENTRY_SEQUENCE);
    }

    @AfterAll
    static void stop() {
        if (sequence != null) {
            sequence.close();
        }
        if (member != null) {
            member.shutdown();
        }
    }

    @Test
    void a_place_reaches_the_map_only_once_its_write_is_durable_and_the_record_is_locked_until_then() {
        String id = LISTED.recordId();
        latest.delete(id);
        ListEntrySequence.Placement placement = sequence.begin(LISTED, T1);
        assertThat(placement.record()).isSameAs(LISTED);
        assertThat(latest.get(id)).as("the map before the write is awaited").isNull();
        assertThat(lockedElsewhere(id)).isTrue();

        placement.settle();

        assertThat(latest.get(id)).contains(LISTED.version());
        assertThat(lockedElsewhere(id)).isFalse();
        assertThat(placesOnTheTopic(id)).last().asString().contains(LISTED.version());
    }

    @Test
    void a_place_let_go_leaves_the_map_as_it_was_and_the_same_message_placed_again_gets_the_same_version() {
        String id = LISTED.recordId();
        latest.delete(id);
        sequence.place(LISTED, T1);
        sequence.place(WITHDRAWN, T2);
        String withdrawn = latest.get(id);

        // the listing again, newer: a re-listing, whose publication then fails
        ListEntrySequence.Placement failed = sequence.begin(LISTED, T3);
        CreditRecord relisted = failed.record();
        assertThat(relisted.version()).isNotIn(LISTED.version(), WITHDRAWN.version());
        failed.release();
        assertThat(latest.get(id)).as("the map after a place was let go").isEqualTo(withdrawn);
        assertThat(lockedElsewhere(id)).isFalse();

        // the message read again: the same decision, the same version, and now the map takes it
        ListEntrySequence.Placement again = sequence.begin(LISTED, T3);
        assertThat(again.record().version()).isEqualTo(relisted.version());
        again.settle();
        again.release(); // after settle: nothing left to let go
        assertThat(latest.get(id)).isNotEqualTo(withdrawn).contains(LISTED.version());
        assertThat(lockedElsewhere(id)).isFalse();
    }

    /** Whether another thread (as another node would) finds the record locked. */
    private static boolean lockedElsewhere(String id) {
        return CompletableFuture.supplyAsync(() -> {
            if (latest.tryLock(id)) {
                latest.unlock(id);
                return false;
            }
            return true;
        }).join();
    }

    private static List<String> placesOnTheTopic(String id) {
        List<String> places = new ArrayList<>();
        clients.readToEnd(TOPIC, "placement-test-reader", r -> {
            if (id.equals(r.key())) {
                places.add(new String(r.value(), StandardCharsets.UTF_8));
            }
        });
        return places;
    }
}
