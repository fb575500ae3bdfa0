package cn.bazhong.credit.gateway.ingest;

import cn.bazhong.credit.gateway.infra.logging.LogContext;
import cn.bazhong.credit.gateway.mapping.MappedRecords;
import cn.bazhong.credit.gateway.mapping.MappingDefinition;
import cn.bazhong.credit.gateway.mapping.MappingResult;
import cn.bazhong.credit.gateway.mapping.RecordMapper;
import cn.bazhong.credit.gateway.mapping.Violation;
import cn.bazhong.credit.gateway.mapping.source.RecordReader;
import cn.bazhong.credit.gateway.schema.CreditRecord;
import cn.bazhong.credit.gateway.schema.Provenance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Maps one source with its department's mapping, writes the accepted records durably, and returns
 * the receipt. Records identical to a version already forwarded upstream are counted as duplicates
 * and not written again. If the records cannot all be made durable, an exception is thrown and no
 * receipt is stored: the source is not acknowledged and will be read again.
 */
public class FeedIngestor {

    private static final Logger LOG = LoggerFactory.getLogger(FeedIngestor.class);

    private final MappingCatalog mappings;
    private final RecordPublisher publisher;
    private final DedupIndex dedup;
    private final ReceiptStore receipts;
    private final IngestMetrics metrics;
    private final RecordTraces traces;
    private final FullSnapshots snapshots;
    private final ListEntrySequence sequence;
    private final Clock clock;

    public FeedIngestor(MappingCatalog mappings, RecordPublisher publisher, DedupIndex dedup, ReceiptStore receipts,
                        IngestMetrics metrics, RecordTraces traces, FullSnapshots snapshots, ListEntrySequence sequence, Clock clock) {
        this.mappings = mappings;
        this.publisher = publisher;
        this.dedup = dedup;
        this.receipts = receipts;
        this.metrics = metrics;
        this.traces = traces;
        this.snapshots = snapshots;
        this.sequence = sequence;
        this.clock = clock;
    }

    /** Accepted records are checked against the dedup index this many at a time (one round trip). */
    static final int CHECK_CHUNK = 512;

    public Receipt ingest(FeedSource source, InputStream input) {
        return ingest(source, input, defaultOutput());
    }

    /**
     * The same, with one more write of the receipt beside the stored one (a Kafka feed's receipt to the
     * department's own topic): {@code alongside} sends it, given the receipt and its JSON, once the stored one is
     * durable ({@link ReceiptStore#save(Receipt, java.util.function.BiFunction)}). The source is acknowledged only when
     * both are durable; otherwise {@link RecordPublisher.NotDurableException} is thrown.
     */
    public Receipt ingest(FeedSource source, InputStream input,
                          java.util.function.BiFunction<Receipt, byte[], java.util.concurrent.Future<?>> alongside) {
        return ingest(source, mapping -> RecordReader.open(mapping.source(), input), output(receipt -> receipts.save(receipt, alongside)));
    }

    /**
     * The receipt of a source that could not be read at all and was set aside whole (a Kafka message without a value,
     * or one whose handling failed, kept on a dead-letter topic): nothing accepted, one rejection with
     * {@code rule} and {@code reason}, stored and then written {@code alongside} like any receipt, so that the source
     * learns what became of it and a source read again is answered with this receipt instead of being set aside twice.
     * Counted as received, rejected and {@code dead_lettered} (which the dead-letter alert watches). The receipt names
     * the feed's department, or {@code department} when the feed's mapping is not loaded (a route left running after
     * its mapping was removed): such a source gets its receipt too.
     */
    public Receipt refuse(FeedSource source, String department, String rule, String reason,
                          java.util.function.BiFunction<Receipt, byte[], java.util.concurrent.Future<?>> alongside) {
        MappingDefinition mapping = mappings.get(source.mappingId());
        String dept = mapping != null ? mapping.department() : department;
        String feed = String.valueOf(source.mappingId());
        Receipt.Rejections rejected = new Receipt.Rejections();
        // an exception's message can be long (it may quote the input): the receipt keeps its beginning
        rejected.add(new Receipt.RejectedRecord(1, "(message)", rule, cn.bazhong.credit.gateway.validation.Text.shorten(reason, 1_000)));
        Instant now = Instant.now(clock);
        Receipt receipt = new Receipt(source.receiptId(), dept, feed, source.channel(), source.name(),
                now, now, 0, 0, 0, rejected.total(), rejected.byRule(), rejected.listed(), 0, List.of(), 0, null, source.sourceTime());
        receipts.save(receipt, alongside);
        metrics.count(dept, feed, "received", 1);
        metrics.count(dept, feed, "rejected", 1);
        metrics.count(dept, feed, "dead_lettered", 1);
        return receipt;
    }

    /**
     * The same, writing the records and the receipt to {@code output}: a REST push writes them in its
     * own Kafka transaction, committed when {@link IngestOutput#complete} is called (see {@link FeedPushes}).
     */
    public Receipt ingest(FeedSource source, InputStream input, IngestOutput output) {
        return ingest(source, mapping -> RecordReader.open(mapping.source(), input), output);
    }

    /**
     * Rows a database feed read from a department's table (one page): each a map of column name to a
     * plain Java value, mapped with the feed's {@code rows} mapping. Written durably like a file's records;
     * if they cannot all be made durable, an exception is thrown and no receipt is stored.
     */
    public Receipt ingestRows(FeedSource source, List<? extends java.util.Map<String, ?>> rows) {
        return ingest(source, mapping -> {
            if (mapping.source().format() != cn.bazhong.credit.gateway.mapping.source.SourceFormat.ROWS) {
                throw new IllegalArgumentException("mapping " + mapping.id() + " reads " + mapping.source().format().id()
                        + ", not rows: a database feed needs source.format: rows");
            }
            return RecordReader.rows(rows);
        }, defaultOutput());
    }

    private IngestOutput defaultOutput() {
        return output(receipts::save);
    }

    /** The records to the records topic, the receipt as {@code complete} keeps it. */
    private IngestOutput output(java.util.function.Consumer<Receipt> complete) {
        return new IngestOutput() {
            @Override
            public RecordPublisher.Batch batch(String receiptId) {
                return publisher.batch(receiptId);
            }

            @Override
            public void complete(Receipt receipt) {
                complete.accept(receipt);
            }
        };
    }

    /** The mapping {@code source} is read with; an {@link IllegalArgumentException} when there is none. */
    private MappingDefinition mappingOf(FeedSource source) {
        MappingDefinition mapping = mappings.get(source.mappingId());
        if (mapping == null) {
            throw new IllegalArgumentException("no mapping " + source.mappingId());
        }
        return mapping;
    }

    private Receipt ingest(FeedSource source, java.util.function.Function<MappingDefinition, RecordReader> open, IngestOutput output) {
        MappingDefinition mapping = mappingOf(source);
        try (LogContext ignored = LogContext.with(LogContext.DEPARTMENT, mapping.department()).and(LogContext.FEED, mapping.id())
                .and(LogContext.RECEIPT, source.receiptId())) {
            return ingest(mapping, source, open, output);
        }
    }

    private Receipt ingest(MappingDefinition mapping, FeedSource source, java.util.function.Function<MappingDefinition, RecordReader> open,
                           IngestOutput output) {
        Instant receivedAt = Instant.now(clock);
        Provenance provenance = new Provenance(mapping.department(), source.channel(),
                source.fromFiles() ? source.name() : null, null,
                "rest".equals(source.channel()) ? source.name() : null,
                source.topic(), source.partition(), source.offset(), receivedAt, mapping.id(), mapping.version());
        RecordMapper mapper = new RecordMapper(mapping, clock);
        RecordPublisher.Batch batch = output.batch(source.receiptId());
        Receipt.Rejections rejected = new Receipt.Rejections();
        long accepted = 0;
        long duplicates = 0;
        FullSnapshots.Settled settled = null;
        Receipt receipt;
        // a list entry's place in its record's sequence, written while the record is published (one at a time, see begin)
        ListEntrySequence.Placement placed = null;
        try (RecordReader reader = open.apply(mapping);
             MappedRecords results = MappedRecords.ordered(reader, mapper, provenance);
             SnapshotReconciliation snapshot = mapping.snapshot() ? snapshots.begin(mapping.id(), LocalDate.now(clock)) : null) {
            List<CreditRecord> pending = new ArrayList<>(CHECK_CHUNK);
            while (results.hasNext()) {
                MappingResult result = results.next();
                if (result instanceof MappingResult.Accepted a) {
                    // a full snapshot's member carries its exit/return cycle (a return is a new version, not a re-send)
                    CreditRecord record = snapshot == null ? a.record() : snapshot.accepted(a.record());
                    if (ListEntrySequence.applies(record, source, mapping.snapshot())) {
                        if (placed != null) {
                            placed.settle();
                        }
                        placed = sequence.begin(record, source.sourceTime());
                        record = placed.record(); // a re-listing is a new version
                        if (record == null) {
                            duplicates++; // stale: older than the record's latest message
                            continue;
                        }
                    }
                    pending.add(record);
                    if (pending.size() == CHECK_CHUNK) {
                        long[] counts = publishNew(pending, batch, source);
                        accepted += counts[0];
                        duplicates += counts[1];
                    }
                } else {
                    Violation v = ((MappingResult.Rejected) result).first();
                    rejected.add(new Receipt.RejectedRecord(result.position(), v.field(), v.rule().code(), v.message()));
                    if (snapshot != null) {
                        snapshot.rejected((MappingResult.Rejected) result); // its party keeps its listing
                    }
                }
            }
            long[] counts = publishNew(pending, batch, source);
            accepted += counts[0];
            duplicates += counts[1];
            if (snapshot != null) {
                // the snapshot's own records first, then the exits of the members it no longer holds, if it can be trusted
                batch.awaitDurable();
                settled = snapshots.settle(snapshot, mapping.department(), source, receivedAt, batch);
            }
            batch.awaitDurable();
            if (placed != null) {
                placed.settle();
            }
            receipt = new Receipt(source.receiptId(), mapping.department(), mapping.id(), source.channel(), source.name(),
                    receivedAt, Instant.now(clock), accepted, duplicates, settled == null ? 0 : settled.exited(), rejected.total(),
                    rejected.byRule(), rejected.listed(), 0, List.of(),
                    settled == null ? 0 : settled.withheld(), settled == null ? null : settled.withheldReason(), source.sourceTime());
            output.complete(receipt);
            if (settled != null) {
                settled.recordTaken().run(); // the source is taken: ledger and holds follow, still under the feed's lock
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + source.name(), e);
        } finally {
            if (placed != null) {
                placed.release(); // not settled: the sequence keeps the place it had, and the source is read again
            }
        }
        metrics.ingested(mapping, accepted, duplicates, rejected.total());
        LOG.info("{} {} from {}: {} accepted, {} duplicates, {} rejected", mapping.department(), mapping.id(),
                source.name(), accepted, duplicates, rejected.total());
        return receipt;
    }

    /** Sends the records not yet forwarded; returns {sent, duplicates}. Empties the list. */
    private long[] publishNew(List<CreditRecord> records, RecordPublisher.Batch batch, FeedSource source) {
        if (records.isEmpty()) {
            return new long[2];
        }
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (CreditRecord r : records) {
            ids.add(r.recordId());
        }
        java.util.Map<String, String> known = dedup.forwardedVersions(ids);
        long sent = 0;
        long duplicates = 0;
        RecordTraces.Steps steps = traces.steps();
        for (CreditRecord record : records) {
            if (DedupIndex.contains(known.get(record.recordId()), record.version())) {
                duplicates++;
                steps.duplicateAtIngress(record, source);
            } else {
                batch.send(record, traces.receivedLine(record, source)); // the dedup stage stores it
                sent++;
            }
        }
        steps.write();
        records.clear();
        return new long[] {sent, duplicates};
    }
}
