package cn.bazhong.credit.gateway.ingest;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FeedSourceTest {

    @Test
    void a_replayed_message_keeps_the_topic_partition_offset_and_time_its_name_and_dead_letter_give_even_with_dashes_in_the_topic() {
        Instant sent = Instant.parse("2026-11-30T08:00:00Z");
        FeedSource replay = FeedSource.replay("swj-tax-lists", "dept-swj-credit-2-17", "dept-swj-credit-2-17.replay-4", sent);

        assertThat(replay.topic()).isEqualTo("dept-swj-credit");
        assertThat(replay.partition()).isEqualTo(2);
        assertThat(replay.offset()).isEqualTo(17L);
        assertThat(replay.name()).isEqualTo("dept-swj-credit-2-17");
        assertThat(replay.receiptId()).isEqualTo("dept-swj-credit-2-17.replay-4");
        assertThat(replay.channel()).isEqualTo("kafka");
        assertThat(replay.sourceTime()).isEqualTo(sent);
        // the same place as the message had when it was first read
        FeedSource first = FeedSource.message("swj-tax-lists", "dept-swj-credit", 2, 17, sent.toEpochMilli());
        assertThat(replay.name()).isEqualTo(first.receiptId());
    }

    @Test
    void a_name_that_is_not_topic_partition_offset_is_refused_naming_it() {
        for (String bad : new String[] {"dept.swj.credit", "dept.swj.credit-x-17", "dept.swj.credit-2-", "-2-17", "17"}) {
            assertThatThrownBy(() -> FeedSource.replay("swj-tax-lists", bad, "r", null))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'" + bad + "'");
        }
    }
}
