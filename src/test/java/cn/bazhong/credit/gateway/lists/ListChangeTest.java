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
}
