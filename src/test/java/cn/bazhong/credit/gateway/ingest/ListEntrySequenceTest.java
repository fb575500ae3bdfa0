package cn.bazhong.credit.gateway.ingest;

import cn.bazhong.credit.gateway.mapping.MappingDefinition;
import cn.bazhong.credit.gateway.mapping.MappingLoader;
import cn.bazhong.credit.gateway.mapping.MappingResult;
import cn.bazhong.credit.gateway.mapping.RecordMapper;
import cn.bazhong.credit.gateway.mapping.source.RecordReader;
import cn.bazhong.credit.gateway.schema.CreditRecord;
import cn.bazhong.credit.gateway.schema.Provenance;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;

/** The per-record order of the tax bureau's messages by their own time: re-listings, re-sends, replays and stale messages. */
class ListEntrySequenceTest {

    static final Clock TODAY = Clock.fixed(Instant.parse("2026-11-27T02:00:00Z"), ZoneId.of("Asia/Shanghai"));
    static final MappingDefinition MAPPING = MappingLoader.load(Path.of("mappings", "swj-tax-lists.yaml"));
    static final String MESSAGE = "{\"lx\": \"ZDSSWF\", \"nsrsbh\": \"91511903XFWA2JK10D\", \"nsrmc\": \"乙公司\", \"ajxz\": \"偷税\","
            + " \"wfss\": \"少缴税款\", \"cljd\": \"巴税稽罚〔2026〕31号\", \"gbrq\": \"20260718\", \"yxqz\": \"20290717\", \"zt\": \"%s\"}";

    static CreditRecord message(String zt) {
        RecordMapper mapper = new RecordMapper(MAPPING, TODAY);
        Provenance provenance = new Provenance(MAPPING.department(), "kafka", null, null, null, "dept.swj.credit", 0, 1L,
                Instant.now(TODAY), MAPPING.id(), MAPPING.version());
        try (RecordReader reader = RecordReader.open(MAPPING.source(),
                new ByteArrayInputStream(MESSAGE.formatted(zt).getBytes(StandardCharsets.UTF_8)))) {
            return ((MappingResult.Accepted) mapper.map(reader.next(), provenance)).record();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static final CreditRecord LISTED = message("1");
    static final CreditRecord WITHDRAWN = message("0");
    static final Instant T1 = Instant.parse("2026-11-20T01:00:00Z");
    static final Instant T2 = T1.plusSeconds(3600);
    static final Instant T3 = T2.plusSeconds(3600);
    static final Instant T4 = T3.plusSeconds(3600);

    @Test
    void a_listing_withdrawn_and_sent_again_is_a_new_version_and_the_same_messages_again_are_not() {
        ListEntrySequence.Placed first = ListEntrySequence.decide(null, LISTED, T1);
        assertThat(first.record()).isSameAs(LISTED); // new content goes as it came: versions stay what they were
        ListEntrySequence.Placed withdrawn = ListEntrySequence.decide(first.after(), WITHDRAWN, T2);
        assertThat(withdrawn.record()).isSameAs(WITHDRAWN);
        ListEntrySequence.Placed relisted = ListEntrySequence.decide(withdrawn.after(), LISTED, T3);
        assertThat(relisted.record().version()).isNotIn(LISTED.version(), WITHDRAWN.version());
        assertThat(relisted.record().entry().attributes()).containsEntry(ListEntrySequence.SOURCE_TIME, T3.toString());
        ListEntrySequence.Latest now = relisted.after();

        // the bureau's topic replayed (the same messages with their own times): nothing new, nothing stale passes
        assertThat(ListEntrySequence.decide(now, LISTED, T1).record().version()).isEqualTo(relisted.record().version());
        assertThat(ListEntrySequence.decide(now, WITHDRAWN, T2).record()).isNull();
        assertThat(ListEntrySequence.decide(now, LISTED, T3).record().version()).isEqualTo(relisted.record().version());
        // the listing sent again later: the latest version again, a duplicate
        assertThat(ListEntrySequence.decide(now, LISTED, T4).record().version()).isEqualTo(relisted.record().version());

        // withdrawn a second time with the same content: a new version too, and its older copy stays stale
        ListEntrySequence.Placed again = ListEntrySequence.decide(now, WITHDRAWN, T4);
        assertThat(again.record().version()).isNotIn(WITHDRAWN.version(), relisted.record().version());
        assertThat(ListEntrySequence.decide(again.after(), LISTED, T3).record()).isNull();
        assertThat(ListEntrySequence.decide(again.after(), WITHDRAWN, T2).record().version()).isEqualTo(again.record().version());
    }

    @Test
    void a_listing_withdrawn_before_the_sequence_knew_the_record_is_listed_again_from_what_the_dedup_index_knows() {
        String forwarded = LISTED.version() + "@credit.records/0/7 " + WITHDRAWN.version() + "@credit.records/0/9";
        ListEntrySequence.Latest known = ListEntrySequence.fromForwarded(forwarded);

        assertThat(ListEntrySequence.decide(known, WITHDRAWN, T1).record()).isSameAs(WITHDRAWN); // the latest again: a duplicate
        ListEntrySequence.Placed relisted = ListEntrySequence.decide(known, LISTED, T1);
        assertThat(relisted.record().version()).isNotIn(LISTED.version(), WITHDRAWN.version());
        assertThat(ListEntrySequence.fromForwarded(null)).isNull();
    }
}
