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
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Browsing a list type pages through its subjects by key, through the view's index: each once, in order,
 * either way, the same from either member of a cluster of two; the totals under the pages are running counts
 * that follow every change and equal a count made again from the view.
 */
class ListTypePagesTest {

    private static final String[] TYPES = {"COURT_DEFAULTER", "TAX_A", "SAFETY_BLACK"};

    private static HazelcastInstance member;
    private static HazelcastInstance other;
    private static ListView view;
    /** The same view, read through the other member. */
    private static ListView otherView;
    /** subject key → record id → its list type and status. */
    private static final TreeMap<String, Map<String, Map.Entry<String, ListStatus>>> HELD = new TreeMap<>();

    @BeforeAll
    static void fill() {
        int port = FreePorts.next();
        int otherPort = FreePorts.next();
        member = HazelcastMembers.start("list-pages-" + port, port, port, otherPort);
        member.getConfig().addMapConfig(HazelcastMaps.configureListEntries(new MapConfig(ListView.MAP)));
        other = HazelcastMembers.start("list-pages-" + port, otherPort, port, otherPort);
        view = new ListView(member);
        otherView = new ListView(other);
        Random random = new Random(11);
        for (int i = 0; i < 700; i++) {
            if (i == 350) {
                view.ensureIndexes(); // as at a start: over what the view holds, and kept for what follows
            }
            String key = random.nextBoolean() ? "O:9151" + String.format("%014d", Math.abs(random.nextLong()) % 100_000_000_000_000L)
                    : "P:" + HexFormat.of().formatHex(longBytes(random.nextLong())) + HexFormat.of().formatHex(longBytes(random.nextLong()));
            int entries = 1 + random.nextInt(3);
            for (int e = 0; e < entries; e++) {
                String type = TYPES[random.nextInt(TYPES.length)];
                ListStatus status = ListStatus.values()[random.nextInt(ListStatus.values().length)];
                String recordId = key + ":" + e;
                view.put(key, state(recordId, type, status));
                HELD.computeIfAbsent(key, k -> new HashMap<>()).put(recordId, Map.entry(type, status));
            }
        }
    }

    @AfterAll
    static void stop() {
        other.shutdown();
        member.shutdown();
    }

    private static byte[] longBytes(long v) {
        return java.nio.ByteBuffer.allocate(8).putLong(v).array();
    }

    private static EntryState state(String recordId, String type, ListStatus status) {
        return new EntryState(recordId, type, ListCategory.BLACK, null, null, null, LocalDate.of(2026, 1, 1), LocalDate.of(2030, 1, 1), status,
                null, null, null, null, null, "v0", ListChange.LISTED.wireName(), Instant.EPOCH, "evt_listing", null, null);
    }

    private static List<String> expected(String type, ListStatus status) {
        return HELD.entrySet().stream().filter(e -> e.getValue().values().stream()
                        .anyMatch(h -> h.getKey().equals(type) && (status == null || h.getValue() == status)))
                .map(Map.Entry::getKey).toList();
    }

    @Test
    void paging_forward_after_the_last_key_shows_every_subject_of_the_type_once_in_key_order() {
        for (String type : TYPES) {
            for (ListStatus status : new ListStatus[] {null, ListStatus.ACTIVE, ListStatus.EXITED}) {
                List<String> want = expected(type, status);
                List<String> seen = new ArrayList<>();
                String after = null;
                int pages = 0;
                while (true) {
                    ListView.TypePage page = view.ofListType(type, status, after, null, 7);
                    assertThat(page.total()).isEqualTo(want.size());
                    assertThat(page.hasPrevious()).isEqualTo(after != null);
                    page.subjects().forEach(s -> {
                        seen.add(s.getKey());
                        assertThat(s.getValue()).isNotEmpty().allSatisfy(e -> {
                            assertThat(e.listType()).isEqualTo(type);
                            if (status != null) {
                                assertThat(e.status()).isEqualTo(status);
                            }
                        });
                    });
                    pages++;
                    if (!page.hasNext()) {
                        break;
                    }
                    assertThat(page.subjects()).hasSize(7);
                    after = page.subjects().get(page.subjects().size() - 1).getKey();
                }
                assertThat(seen).as(type + " " + status).isEqualTo(want);
                assertThat(pages).isEqualTo(Math.max(1, (want.size() + 6) / 7));
            }
        }
    }

    @Test
    void the_other_member_shows_the_same_pages_and_totals() {
        for (ListStatus status : new ListStatus[] {null, ListStatus.UNDER_OBJECTION}) {
            String after = null;
            while (true) {
                ListView.TypePage here = view.ofListType("COURT_DEFAULTER", status, after, null, 9);
                ListView.TypePage there = otherView.ofListType("COURT_DEFAULTER", status, after, null, 9);
                assertThat(there).isEqualTo(here);
                if (!here.hasNext()) {
                    break;
                }
                after = here.subjects().get(here.subjects().size() - 1).getKey();
            }
        }
    }

    @Test
    void paging_back_before_the_first_key_shows_the_same_subjects_in_the_same_order() {
        List<String> want = expected("TAX_A", null);
        List<String> seen = new ArrayList<>();
        String before = HELD.lastKey() + "~";
        while (true) {
            ListView.TypePage page = view.ofListType("TAX_A", null, null, before, 5);
            assertThat(page.hasNext()).isTrue();
            List<String> keys = page.subjects().stream().map(Map.Entry::getKey).toList();
            seen.addAll(0, keys);
            if (!page.hasPrevious()) {
                break;
            }
            before = keys.get(0);
        }
        assertThat(seen).isEqualTo(want);
    }

    @Test
    void the_index_holds_one_value_per_list_type_and_status_a_subject_holds_and_none_for_any_status() {
        List<Object> one = indexValues(new SubjectEntries("O:ONE", Map.of("r1", state("r1", "TAX_A", ListStatus.ACTIVE))));
        assertThat(one).containsExactly("TAX_A|ACTIVE\u0001O:ONE");
        List<Object> three = indexValues(new SubjectEntries("O:THREE", Map.of("r1", state("r1", "TAX_A", ListStatus.ACTIVE),
                "r2", state("r2", "TAX_A", ListStatus.ACTIVE), "r3", state("r3", "TAX_A", ListStatus.EXITED))));
        assertThat(three).containsExactly("TAX_A|ACTIVE\u0001O:THREE", "TAX_A|EXITED\u0001O:THREE");
    }

    private static List<Object> indexValues(SubjectEntries entries) {
        List<Object> values = new ArrayList<>();
        new ListTypes().extract(entries, null, new com.hazelcast.query.extractor.ValueCollector<>() {
            @Override
            public void addObject(Object value) {
                values.add(value);
            }
        });
        return values;
    }

    @Test
    void a_type_nobody_holds_has_one_empty_page() {
        ListView.TypePage page = view.ofListType("NO_SUCH_TYPE", null, null, null, 20);
        assertThat(page.subjects()).isEmpty();
        assertThat(page.total()).isZero();
        assertThat(page.hasNext()).isFalse();
        assertThat(page.hasPrevious()).isFalse();
    }

    @Test
    void a_subject_added_below_the_first_one_seen_opens_the_first_page() {
        List<String> before = expected("SAFETY_BLACK", null);
        assertThat(view.ofListType("SAFETY_BLACK", null, null, null, 3).subjects().get(0).getKey()).isEqualTo(before.get(0));
        view.put("O:0000", state("O:0000:0", "SAFETY_BLACK", ListStatus.ACTIVE));
        try {
            assertThat(view.ofListType("SAFETY_BLACK", null, null, null, 3).subjects()).extracting(Map.Entry::getKey)
                    .containsExactly("O:0000", before.get(0), before.get(1));
            assertThat(view.ofListType("SAFETY_BLACK", null, null, null, 3).total()).isEqualTo(before.size() + 1);
        } finally {
            view.remove("O:0000", "O:0000:0");
        }
        ListView.TypePage first = view.ofListType("SAFETY_BLACK", null, null, null, 3);
        assertThat(first.subjects()).extracting(Map.Entry::getKey).containsExactly(before.get(0), before.get(1), before.get(2));
        assertThat(first.total()).isEqualTo(before.size());
    }

    @Test
    void totals_follow_entries_moving_between_list_types_and_statuses_and_equal_a_count_made_again() {
        Random random = new Random(5);
        List<String> subjects = new ArrayList<>(HELD.keySet());
        for (int i = 0; i < 150; i++) {
            String key = subjects.get(random.nextInt(subjects.size()));
            List<String> records = new ArrayList<>(HELD.get(key).keySet());
            String recordId = records.get(random.nextInt(records.size()));
            if (i % 10 == 9 && records.size() > 1) {
                view.remove(key, recordId);
                HELD.get(key).remove(recordId);
            } else {
                // another status, or another list type under the same record id
                String type = i % 3 == 0 ? TYPES[random.nextInt(TYPES.length)] : HELD.get(key).get(recordId).getKey();
                ListStatus status = ListStatus.values()[random.nextInt(ListStatus.values().length)];
                view.put(key, state(recordId, type, status));
                HELD.get(key).put(recordId, Map.entry(type, status));
            }
        }
        assertTotalsAsHeld(view);
        assertTotalsAsHeld(otherView);
        view.recountTotals();
        assertTotalsAsHeld(view);
    }

    @Test
    void a_subject_written_before_the_values_knew_their_keys_is_on_the_pages_once_the_view_is_keyed_and_counted() {
        HashMap<String, EntryState> legacy = new HashMap<>(Map.of("O:9151LEGACY:0", state("O:9151LEGACY:0", "LEGACY_TYPE", ListStatus.ACTIVE)));
        member.<String, HashMap<String, EntryState>>getMap(ListView.MAP).set("O:9151LEGACY", legacy);
        assertThat(view.ofListType("LEGACY_TYPE", null, null, null, 5).subjects()).isEmpty();

        view.keyEveryValue();
        view.recountTotals();

        ListView.TypePage page = otherView.ofListType("LEGACY_TYPE", ListStatus.ACTIVE, null, null, 5);
        assertThat(page.subjects()).extracting(Map.Entry::getKey).containsExactly("O:9151LEGACY");
        assertThat(page.total()).isEqualTo(1);
        assertTotalsAsHeld(view);
        view.remove("O:9151LEGACY", "O:9151LEGACY:0");
        assertThat(view.ofListType("LEGACY_TYPE", null, null, null, 5).total()).isZero();
    }

    @Test
    void changes_of_one_subject_from_two_threads_at_once_are_each_counted_once() throws Exception {
        String key = "O:9151CONCURRENT00";
        Runnable flip = () -> {
            for (int i = 0; i < 100; i++) {
                view.put(key, state(key + ":0", "TAX_A", i % 2 == 0 ? ListStatus.EXITED : ListStatus.ACTIVE));
            }
        };
        Thread a = new Thread(flip);
        Thread b = new Thread(() -> {
            for (int i = 0; i < 100; i++) {
                otherView.put(key, state(key + ":0", "TAX_A", i % 2 == 0 ? ListStatus.UNDER_OBJECTION : ListStatus.ACTIVE));
            }
        });
        a.start();
        b.start();
        a.join();
        b.join();
        ListStatus last = view.entry(key, key + ":0").status();
        HELD.put(key, new HashMap<>(Map.of(key + ":0", Map.entry("TAX_A", last))));
        assertTotalsAsHeld(view);
    }

    private static void assertTotalsAsHeld(ListView v) {
        for (String type : TYPES) {
            assertThat(v.ofListType(type, null, null, null, 5).total()).as(type).isEqualTo(expected(type, null).size());
            for (ListStatus status : ListStatus.values()) {
                assertThat(v.totals().of(ListTypes.token(type, status)).subjects()).as(type + " " + status)
                        .isEqualTo(expected(type, status).size());
            }
        }
    }
}
