package cn.bazhong.credit.gateway.lists;

import cn.bazhong.credit.gateway.infra.HazelcastMaps;
import cn.bazhong.credit.gateway.schema.ListCategory;
import cn.bazhong.credit.gateway.schema.ListStatus;
import cn.bazhong.credit.gateway.support.FreePorts;
import cn.bazhong.credit.gateway.support.HazelcastMembers;
import com.hazelcast.config.MapConfig;
import com.hazelcast.core.HazelcastInstance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The list view's indexes are added after the view is filled ({@link ListView#ensureIndexes}, on a thread of their own
 * at start: {@link ListViewIndexing}), on real members: before they are there the list pages and the expiry sweep
 * give the same answers, by scanning; once added, by one node, they serve every member, a member that joins later
 * included, and nobody adds them again.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ListViewIndexesTest {

    private static final LocalDate DAY = LocalDate.of(2026, 6, 1);
    private static final String[] TYPES = {"COURT_DEFAULTER", "TAX_A"};
    private static final int PORT = FreePorts.next();
    private static final int JOINER_PORT = FreePorts.next();
    private static HazelcastInstance member;
    private static HazelcastInstance joiner;
    private static ListView view;

    @BeforeAll
    static void fill() {
        member = HazelcastMembers.start("list-indexes-" + PORT, PORT, PORT, JOINER_PORT);
        member.getConfig().addMapConfig(HazelcastMaps.configureListEntries(new MapConfig(ListView.MAP)));
        view = new ListView(member);
        Random random = new Random(5);
        for (int i = 0; i < 400; i++) {
            String key = "O:9151190" + String.format("%011d", Math.abs(random.nextLong()) % 100_000_000_000L);
            for (int e = 0; e < 1 + random.nextInt(2); e++) {
                view.put(key, state(key + ":" + e, TYPES[random.nextInt(TYPES.length)],
                        ListStatus.values()[random.nextInt(ListStatus.values().length)], DAY.plusDays(random.nextInt(61) - 30)));
            }
        }
    }

    @AfterAll
    static void stop() {
        if (joiner != null) {
            joiner.shutdown();
        }
        member.shutdown();
    }

    private static EntryState state(String recordId, String type, ListStatus status, LocalDate validTo) {
        return new EntryState(recordId, type, ListCategory.BLACK, null, null, null, DAY.minusYears(1), validTo, status,
                null, null, null, null, null, "v0", ListChange.LISTED.wireName(), Instant.EPOCH, "evt_" + recordId, null, null);
    }

    /** Every page of every type and status (forward), and what the sweep finds expired on the day. */
    private static Map<String, List<String>> answers(ListView v) {
        Map<String, List<String>> answers = new TreeMap<>();
        for (String type : TYPES) {
            for (ListStatus status : new ListStatus[] {null, ListStatus.ACTIVE, ListStatus.UNDER_OBJECTION}) {
                List<String> seen = new ArrayList<>();
                String after = null;
                while (true) {
                    ListView.TypePage page = v.ofListType(type, status, after, null, 9);
                    page.subjects().forEach(s -> seen.add(s.getKey() + " " + s.getValue().size()));
                    if (!page.hasNext()) {
                        break;
                    }
                    after = page.subjects().get(page.subjects().size() - 1).getKey();
                }
                answers.put(type + " " + status, seen);
            }
        }
        List<String> expired = new ArrayList<>();
        v.forEachExpiredLocal(DAY, (subject, state) -> expired.add(subject + " " + state.recordId()));
        expired.sort(null);
        answers.put("expired", expired);
        return answers;
    }

    private static long indexedQueries(HazelcastInstance m) {
        return m.getMap(ListView.MAP).getLocalMapStats().getIndexedQueryCount();
    }

    @Test
    @Order(1)
    void the_pages_and_the_sweep_answer_the_same_by_scanning_before_the_indexes_are_added_and_through_them_after() {
        assertThat(view.indexed()).isFalse();
        Map<String, List<String>> scanned = answers(view);
        assertThat(indexedQueries(member)).isZero();
        assertThat(scanned.get("COURT_DEFAULTER null")).hasSizeGreaterThan(100);
        assertThat(scanned.get("expired")).isNotEmpty();

        assertThat(view.ensureIndexes()).isTrue();

        assertThat(view.indexed()).isTrue();
        assertThat(member.getMap(ListView.MAP).getLocalMapStats().getIndexStats())
                .containsKeys("list-entries-next-expiry", "list-entries-list-types");
        assertThat(answers(view)).isEqualTo(scanned);
        assertThat(indexedQueries(member)).isPositive();
        // entries written after the indexes are in them
        view.put("O:91511900000000000000", state("late", "TAX_A", ListStatus.ACTIVE, DAY.minusDays(1)));
        assertThat(view.ofListType("TAX_A", ListStatus.ACTIVE, null, null, 1).subjects()).extracting(Map.Entry::getKey)
                .containsExactly("O:91511900000000000000");
    }

    @Test
    @Order(2)
    void a_node_asking_again_adds_nothing_and_a_member_that_joins_later_answers_through_the_same_indexes() {
        assertThat(view.ensureIndexes()).isFalse();
        Map<String, List<String>> before = answers(view);

        joiner = HazelcastMembers.start("list-indexes-" + PORT, JOINER_PORT, PORT, JOINER_PORT);
        ListView joinerView = new ListView(joiner);
        await().atMost(Duration.ofSeconds(60)).until(() -> member.getPartitionService().isClusterSafe()
                && !joiner.getMap(ListView.MAP).localKeySet().isEmpty());
        assertThat(joinerView.indexed()).isTrue();
        assertThat(joinerView.ensureIndexes()).isFalse();
        assertThat(joiner.getMap(ListView.MAP).getLocalMapStats().getIndexStats())
                .containsKeys("list-entries-next-expiry", "list-entries-list-types");

        long joinerIndexed = indexedQueries(joiner);
        Map<String, List<String>> through = answers(joinerView);
        assertThat(through.get("COURT_DEFAULTER null")).isEqualTo(before.get("COURT_DEFAULTER null"));
        assertThat(through.get("TAX_A ACTIVE")).isEqualTo(before.get("TAX_A ACTIVE"));
        assertThat(indexedQueries(joiner)).isGreaterThan(joinerIndexed);
    }
}
