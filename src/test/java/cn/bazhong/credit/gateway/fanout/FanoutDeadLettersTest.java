package cn.bazhong.credit.gateway.fanout;

import cn.bazhong.credit.gateway.infra.TopicProvisioner;
import cn.bazhong.credit.gateway.lists.EntryState;
import cn.bazhong.credit.gateway.lists.ListChange;
import cn.bazhong.credit.gateway.lists.ListChangeEvent;
import cn.bazhong.credit.gateway.schema.ListCategory;
import cn.bazhong.credit.gateway.schema.ListStatus;
import cn.bazhong.credit.gateway.support.FreePorts;
import cn.bazhong.credit.gateway.support.HazelcastMembers;
import cn.bazhong.credit.gateway.support.TestBroker;
import com.hazelcast.core.HazelcastInstance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A department's dead letters, replayed, go back in the order their changes happened: the dead-letter topic is keyed
 * by event, so its partitions hold a department's letters in no common order, and a subject's exit put back before
 * its listing would leave the department applying measures to a subject no longer listed.
 */
class FanoutDeadLettersTest {

    static final String LETTERS = "gateway.fanout.dead-letters.order";
    static final String REDELIVERIES = "gateway.fanout.redeliveries.order";
    static final Instant T0 = Instant.parse("2026-12-01T02:00:00Z");
    @RegisterExtension
    static final TestBroker KAFKA = new TestBroker("fanout-dead-letters");
    static HazelcastInstance member;

    @BeforeAll
    static void start() {
        TopicProvisioner.ensure(KAFKA.clients(), List.of(TopicProvisioner.topic(LETTERS, 8, (short) 1, Map.of()),
                TopicProvisioner.topic(REDELIVERIES, 1, (short) 1, Map.of())));
        int port = FreePorts.next();
        member = HazelcastMembers.start("fanout-dead-letters-" + port, port, port);
    }

    @AfterAll
    static void stop() {
        if (member != null) {
            member.shutdown();
        }
    }

    @Test
    void replayed_dead_letters_go_back_in_the_order_their_changes_happened() {
        List<String> written = new ArrayList<>();
        try (Redeliveries redeliveries = new Redeliveries(KAFKA.clients(), REDELIVERIES, "t");
             FanoutDeadLetters letters = new FanoutDeadLetters(KAFKA.clients(), LETTERS, redeliveries, member, "t", Clock.systemUTC(), null)) {
            for (int i = 0; i < 16; i++) {
                ListChangeEvent change = change(i);
                written.add(change.id());
                letters.add(new FanoutDeadLetters.Letter("D01", change, "503 after 3 attempts", 503, 3, T0.plusSeconds(i)));
            }

            assertThat(letters.replay("D01", null)).isEqualTo(16);
        }

        List<String> putBack = new ArrayList<>();
        KAFKA.clients().readToEnd(REDELIVERIES, "order-check", r -> putBack.add(new String(r.value()).replaceAll(".*\"id\":\"([^\"]+)\".*", "$1")));
        assertThat(putBack).as("the changes put back, in order").containsExactlyElementsOf(written);
    }

    /** The i-th change of one subject's entry: listed, then updated, and so on, one second apart. */
    private static ListChangeEvent change(int i) {
        String change = i % 2 == 0 ? ListChange.LISTED.wireName() : ListChange.EXITED.wireName();
        EntryState state = new EntryState("SWJ:tax-lists:1", "TAX_A", ListCategory.RED, null, null, null, LocalDate.of(2026, 1, 1), null,
                i % 2 == 0 ? ListStatus.ACTIVE : ListStatus.EXITED, null, null, null, null, null, "v" + i, change, T0.plusSeconds(i),
                "evt_" + i, null, null);
        return new ListChangeEvent(ListChangeEvent.idOf(state.recordId(), state.version(), change), change, T0.plusSeconds(i),
                "O:91511900MA62XXXX1X", state);
    }
}
