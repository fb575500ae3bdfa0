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

/** Browsing a list type pages through its subjects by key, through the view's indexes: each once, in order, either way. */
class ListTypePagesTest {

    private static final String[] TYPES = {"COURT_DEFAULTER", "TAX_A", "SAFETY_BLACK"};

    private static HazelcastInstance member;
    private static ListView view;
    /** subject key → list type → statuses it holds. */
    private static final TreeMap<String, Map<String, List<ListStatus>>> HELD = new TreeMap<>();

    @BeforeAll
    static void fill() {
        int port = FreePorts.next();
        member = HazelcastMembers.start("list-pages-" + port, port, port);
        member.getConfig().addMapConfig(HazelcastMaps.indexListEntries(new MapConfig(ListView.MAP)));
        view = new ListView(member);
        Random random = new Random(11);
        for (int i = 0; i < 700; i++) {
            String key = random.nextBoolean() ? "O:9151" + String.format("%014d", Math.abs(random.nextLong()) % 100_000_000_000_000L)
                    : "P:" + HexFormat.of().formatHex(longBytes(random.nextLong())) + HexFormat.of().formatHex(longBytes(random.nextLong()));
            int entries = 1 + random.nextInt(3);
            for (int e = 0; e < entries; e++) {
                String type = TYPES[random.nextInt(TYPES.length)];
                ListStatus status = ListStatus.values()[random.nextInt(ListStatus.values().length)];
                String recordId = key + ":" + e;
                view.put(key, state(recordId, type, status));
                HELD.computeIfAbsent(key, k -> new HashMap<>()).computeIfAbsent(type, t -> new ArrayList<>()).add(status);
            }
        }
    }

    @AfterAll
    static void stop() {
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
        return HELD.entrySet().stream().filter(e -> e.getValue().containsKey(type)
                        && (status == null || e.getValue().get(type).contains(status)))
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
        } finally {
            view.remove("O:0000", "O:0000:0");
        }
    }
}
