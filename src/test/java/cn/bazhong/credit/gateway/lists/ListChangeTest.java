package cn.bazhong.credit.gateway.lists;

import cn.bazhong.credit.gateway.schema.ListCategory;
import cn.bazhong.credit.gateway.schema.ListStatus;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;

/** Which change departments hear of, from the entry's state before and its status after. */
class ListChangeTest {

    static EntryState state(ListStatus status, LocalDate validTo) {
        return new EntryState("r", "TAX_A", ListCategory.RED, null, null, null, LocalDate.of(2026, 1, 1), validTo, status,
                null, null, null, null, null, "v0", ListChange.LISTED.wireName(), Instant.EPOCH, "evt_listing", null, null);
    }

    @Test
    void a_first_sighting_is_a_listing_and_an_exit_of_an_unknown_entry_tells_nobody() {
        assertThat(ListChange.between(null, ListStatus.ACTIVE)).isEqualTo(ListChange.LISTED);
        assertThat(ListChange.between(null, ListStatus.UNDER_OBJECTION)).isEqualTo(ListChange.LISTED);
        assertThat(ListChange.between(null, ListStatus.EXITED)).isNull();
    }

    @Test
    void exits_objections_and_updates_of_a_listed_entry() {
        EntryState active = state(ListStatus.ACTIVE, null);
        EntryState objected = state(ListStatus.UNDER_OBJECTION, null);
        assertThat(ListChange.between(active, ListStatus.EXITED)).isEqualTo(ListChange.EXITED);
        assertThat(ListChange.between(active, ListStatus.UNDER_OBJECTION)).isEqualTo(ListChange.OBJECTION_FLAGGED);
        assertThat(ListChange.between(objected, ListStatus.ACTIVE)).isEqualTo(ListChange.OBJECTION_CLEARED);
        assertThat(ListChange.between(objected, ListStatus.EXITED)).isEqualTo(ListChange.EXITED);
        assertThat(ListChange.between(active, ListStatus.ACTIVE)).isEqualTo(ListChange.UPDATED);
    }

    @Test
    void an_exited_entry_listed_again_is_a_new_listing() {
        assertThat(ListChange.between(state(ListStatus.EXITED, null), ListStatus.ACTIVE)).isEqualTo(ListChange.LISTED);
        assertThat(ListChange.between(state(ListStatus.EXITED, null), ListStatus.EXITED)).isNull();
    }

    @Test
    void an_entry_past_its_validity_expires_the_day_after_with_a_version_and_event_of_its_own() {
        EntryState active = state(ListStatus.ACTIVE, LocalDate.of(2026, 11, 27));
        assertThat(active.expiredOn(LocalDate.of(2026, 11, 27))).isFalse();
        assertThat(active.expiredOn(LocalDate.of(2026, 11, 28))).isTrue();

        EntryState expired = active.expired(Instant.parse("2026-11-28T00:00:01Z"));
        assertThat(expired.status()).isEqualTo(ListStatus.EXITED);
        assertThat(expired.exitDate()).isEqualTo(LocalDate.of(2026, 11, 28));
        assertThat(expired.exitReason()).isEqualTo("EXPIRED");
        assertThat(expired.expiredOn(LocalDate.of(2026, 12, 1))).isFalse();
        // the same expiry derived again (another sweep, another node) is the same event
        assertThat(ListChangeEvent.of("O:x", expired).id())
                .isEqualTo(ListChangeEvent.of("O:x", active.expired(Instant.parse("2026-11-28T09:00:00Z"))).id());
    }

    @Test
    void an_entry_keeps_every_change_it_went_through_with_its_state_and_reads_back_a_state_written_before_it_did() throws Exception {
        Instant listedAt = Instant.parse("2026-01-05T02:00:00Z");
        EntryState listed = new EntryState("r", "TAX_A", ListCategory.RED, null, null, null, LocalDate.of(2026, 1, 1), LocalDate.of(2026, 6, 30),
                ListStatus.ACTIVE, null, null, null, null, null, "v1", ListChange.LISTED.wireName(), listedAt, "evt_listing", null, null)
                .after(null);
        EntryState objected = new EntryState("r", "TAX_A", ListCategory.RED, null, null, null, LocalDate.of(2026, 1, 1), LocalDate.of(2026, 6, 30),
                ListStatus.UNDER_OBJECTION, null, null, null, null, null, "v2", ListChange.OBJECTION_FLAGGED.wireName(),
                Instant.parse("2026-02-01T03:00:00Z"), "evt_listing", null, null).after(listed);
        EntryState resent = new EntryState("r", "TAX_A", ListCategory.RED, null, null, null, LocalDate.of(2026, 1, 1), LocalDate.of(2026, 6, 30),
                ListStatus.UNDER_OBJECTION, null, null, null, null, null, "v2b", null, null, "evt_listing", null, null).after(objected);
        EntryState expired = resent.expired(Instant.parse("2026-07-01T00:00:01Z"));
        assertThat(expired.history()).extracting(EntryState.Step::change).containsExactly("list.entry.listed",
                "list.entry.objection_flagged", "list.entry.exited");
        assertThat(expired.history().get(0).at()).isEqualTo(listedAt);

        // durable: the history travels with the state on the list-state topic
        byte[] json = cn.bazhong.credit.gateway.schema.RecordJson.mapper().writeValueAsBytes(expired);
        assertThat(cn.bazhong.credit.gateway.schema.RecordJson.mapper().readValue(json, EntryState.class)).isEqualTo(expired);
        // a state written before histories were kept: no history, and the next state starts from its last change
        String old = new String(json, java.nio.charset.StandardCharsets.UTF_8).replaceAll(",\"history\":\\[.*?\\]", "");
        assertThat(old).doesNotContain("history");
        EntryState legacy = cn.bazhong.credit.gateway.schema.RecordJson.mapper().readValue(old, EntryState.class);
        assertThat(legacy.history()).isEmpty();
        EntryState relisted = new EntryState("r", "TAX_A", ListCategory.RED, null, null, null, LocalDate.of(2026, 1, 1), null,
                ListStatus.ACTIVE, null, null, null, null, null, "v3", ListChange.LISTED.wireName(), Instant.parse("2026-08-01T00:00:00Z"),
                "evt_again", null, null).after(legacy);
        assertThat(relisted.history()).extracting(EntryState.Step::change).containsExactly("list.entry.exited", "list.entry.listed");
    }

    @Test
    void an_entry_keeps_its_latest_hundred_changes() {
        EntryState state = null;
        for (int i = 0; i < EntryState.HISTORY_KEPT + 5; i++) {
            state = new EntryState("r", "TAX_A", ListCategory.RED, null, null, null, null, null, ListStatus.ACTIVE, null, null, null, null,
                    null, "v" + i, ListChange.UPDATED.wireName(), Instant.EPOCH.plusSeconds(i), "evt", null, null).after(state);
        }
        assertThat(state.history()).hasSize(EntryState.HISTORY_KEPT);
        assertThat(state.history().get(0).at()).isEqualTo(Instant.EPOCH.plusSeconds(5));
        assertThat(state.history().get(EntryState.HISTORY_KEPT - 1).at()).isEqualTo(Instant.EPOCH.plusSeconds(EntryState.HISTORY_KEPT + 4));
    }
}
