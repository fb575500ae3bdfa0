package cn.bazhong.credit.simulators.province;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What the province has received: every batch id seen with the hash of its content and the answer
 * given, the batches processed and the records accepted. One lock, so that a batch resent while the
 * first copy is still being processed is answered from the first copy, never processed twice.
 */
final class BatchLedger {

    /** The outcome of offering a batch. */
    enum Seen { FIRST_TIME, SAME_CONTENT, DIFFERENT_CONTENT }

    /** What offering a batch produced: for {@code FIRST_TIME} and {@code SAME_CONTENT} the 200 body to send. */
    record Offer(Seen seen, byte[] answer) {
    }

    /** The result of processing a batch the first time: its answer body and what to remember. */
    record Processed(byte[] answer, ReceivedBatch batch, List<ReceivedRecord> accepted) {
    }

    private record Remembered(String contentHash, byte[] answer) {
    }

    private final Map<String, Remembered> byBatchId = new HashMap<>();
    private final List<ReceivedBatch> batches = new ArrayList<>();
    private final List<ReceivedRecord> records = new ArrayList<>();

    /**
     * Processes a batch unless its id was seen before: the same content gets the stored answer again,
     * different content gets nothing. {@code process} runs under the ledger's lock.
     */
    synchronized Offer offer(String batchId, String contentHash, Supplier<Processed> process) {
        Remembered earlier = byBatchId.get(batchId);
        if (earlier != null) {
            return earlier.contentHash().equals(contentHash)
                    ? new Offer(Seen.SAME_CONTENT, earlier.answer())
                    : new Offer(Seen.DIFFERENT_CONTENT, null);
        }
        Processed processed = process.get();
        byBatchId.put(batchId, new Remembered(contentHash, processed.answer()));
        batches.add(processed.batch());
        records.addAll(processed.accepted());
        return new Offer(Seen.FIRST_TIME, processed.answer());
    }

    synchronized List<ReceivedBatch> batches() {
        return List.copyOf(batches);
    }

    synchronized List<ReceivedRecord> records() {
        return List.copyOf(records);
    }

    synchronized void clear() {
        byBatchId.clear();
        batches.clear();
        records.clear();
    }
}
