package cn.bazhong.credit.gateway.ingest;

import cn.bazhong.credit.gateway.infra.HazelcastMaps;
import cn.bazhong.credit.gateway.schema.CreditRecord;
import cn.bazhong.credit.gateway.schema.RecordJson;
import cn.bazhong.credit.gateway.validation.IdNumbers;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The provenance trail of each record for {@code GET /api/v1/records/{id}/trace}: where it came
 * from, what deduplication decided, which upstream batch carried it and what the province answered,
 * each with its time. Personal ID numbers never enter a trace.
 *
 * <p>Tracing must cost the records it describes next to nothing, so a stage collects the steps of
 * a whole chunk of records in {@link Steps} and writes each record's new steps in one asynchronous
 * single-key operation. At most {@link #MAX_IN_FLIGHT} such operations are outstanding; when
 * Hazelcast cannot keep up for {@link #MAX_WAIT}, steps are dropped and counted, without further
 * waits, until it catches up, rather than holding up the pipeline (a trace is an operator's
 * convenience; the record itself is in Kafka). Steps are
 * read back in the order of their times, since stages write them independently.
 */
public class RecordTraces {

    public record Step(Instant at, String step, Map<String, Object> detail) {
    }

    public static final int MAX_IN_FLIGHT = 1024;
    public static final Duration MAX_WAIT = Duration.ofSeconds(5);
    private static final Logger LOG = LoggerFactory.getLogger(RecordTraces.class);

    private final IMap<String, String> traces;
    private final Clock clock;
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean saturated;

    public RecordTraces(HazelcastInstance hazelcast, Clock clock) {
        this.traces = hazelcast.getMap(HazelcastMaps.TRACES);
        this.clock = clock;
    }

    /** A new, empty set of steps to collect and then {@link Steps#write() write} at once. */
    public Steps steps() {
        return new Steps();
    }

    /**
     * The "received" step of a record as one JSON line, to travel with the record (in a Kafka header)
     * and be stored by the dedup stage with its decision ({@link Steps#carried}).
     */
    public String receivedLine(CreditRecord record, FeedSource source) {
        return write(new Step(Instant.now(clock), "received", sourceDetail(record, source))) + "\n";
    }

    /** Trace steps lost because Hazelcast did not take them in time (since start). */
    public long dropped() {
        return dropped.get();
    }

    public List<Step> find(String recordId) {
        String json = traces.get(recordId);
        if (json == null) {
            return null;
        }
        List<Step> steps = read(json);
        steps.sort(Comparator.comparing(Step::at)); // stable: steps of the same instant keep their order
        return steps;
    }

    /**
     * The ids of the records received with any of these receipts (a file, request or message each), in
     * id order; at most {@code limit}. The members scan their own traces for the receipt ids (a trace
     * names its receipt in its {@code received} step), so this costs a pass over the traces: an
     * operator's search, not a hot path.
     */
    public List<String> recordsOfReceipts(java.util.Collection<String> receiptIds, int limit) {
        if (receiptIds.isEmpty()) {
            return List.of();
        }
        List<String> needles = new ArrayList<>();
        for (String id : receiptIds) {
            try {
                needles.add("\"receiptId\":" + RecordJson.mapper().writeValueAsString(id));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        return traces.keySet(new Mentions(needles)).stream().sorted().limit(limit).toList();
    }

    /** Traces whose text holds one of the needles; runs on the members, where the traces are. */
    static final class Mentions implements com.hazelcast.query.Predicate<String, String>, java.io.Serializable {
        private static final long serialVersionUID = 1L;
        private final ArrayList<String> needles;

        Mentions(List<String> needles) {
            this.needles = new ArrayList<>(needles);
        }

        @Override
        public boolean apply(Map.Entry<String, String> entry) {
            String value = entry.getValue();
            return value != null && needles.stream().anyMatch(value::contains);
        }
    }

    /** Steps of many records, written together. Not thread-safe: one per chunk and thread. */
    public final class Steps {
        private final Map<String, String> byRecord = new HashMap<>();

        /** A step written earlier as a line ({@link #receivedLine}) and carried with the record. */
        public Steps carried(String recordId, String line) {
            if (line != null && !line.isEmpty()) {
                byRecord.merge(recordId, line.endsWith("\n") ? line : line + "\n", String::concat);
            }
            return this;
        }

        public Steps duplicateAtIngress(CreditRecord record, FeedSource source) {
            Map<String, Object> d = sourceDetail(record, source);
            d.put("outcome", "duplicate of a version already delivered; dropped");
            return add(record.recordId(), "dedup", d);
        }

        public Steps dedupDecision(String recordId, String version, String decision) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("version", version);
            d.put("outcome", decision);
            return add(recordId, "dedup", d);
        }

        /** The record went into a batch formed at {@code formedAt}. */
        public Steps batched(String recordId, String version, String batchId, Instant formedAt) {
            return add(recordId, formedAt, "batched", Map.of("version", version, "batchId", batchId));
        }

        public Steps upstreamResult(String recordId, String version, String batchId, String status, String code, String message) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("version", version);
            d.put("batchId", batchId);
            d.put("status", status);
            if (code != null) {
                d.put("code", code);
            }
            if (message != null) {
                d.put("message", IdNumbers.maskAll(message)); // the province's words may quote a person's ID number
            }
            return add(recordId, "upstream", d);
        }

        private Steps add(String recordId, String step, Map<String, Object> detail) {
            return add(recordId, Instant.now(clock), step, detail);
        }

        private Steps add(String recordId, Instant at, String step, Map<String, Object> detail) {
            String line = RecordTraces.write(new Step(at, step, detail)) + "\n";
            byRecord.merge(recordId, line, String::concat);
            return this;
        }

        /** Hands the steps to Hazelcast, one operation per record, without waiting for them. */
        public void write() {
            for (Map.Entry<String, String> record : byRecord.entrySet()) {
                if (!acquire()) {
                    dropped.incrementAndGet();
                    continue;
                }
                // the callback runs on the thread that completes the call: Hazelcast's default executor
                // would start a thread per callback on a two-core machine (see PipelinedCalls)
                traces.submitToKey(record.getKey(), new AppendSteps(record.getValue())).whenCompleteAsync((done, failure) -> {
                    inFlight.release();
                    if (failure != null) {
                        dropped.incrementAndGet();
                        LOG.warn("trace steps of {} were not stored: {}", record.getKey(), failure.toString());
                    }
                }, Runnable::run);
            }
            byRecord.clear();
        }
    }

    /**
     * A permit for one more write in flight. When none frees up within {@link #MAX_WAIT}, tracing is
     * saturated: from then on steps are dropped without waiting until a permit is free again, so a
     * stalled Hazelcast costs the pipeline one wait, not one per record.
     */
    private boolean acquire() {
        if (inFlight.tryAcquire()) {
            saturated = false;
            return true;
        }
        if (saturated) {
            return false;
        }
        try {
            if (inFlight.tryAcquire(MAX_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        saturated = true;
        LOG.warn("Hazelcast does not keep up with trace steps; dropping them until it does (counted in gateway_trace_steps_dropped_total)");
        return false;
    }

    private static Map<String, Object> sourceDetail(CreditRecord record, FeedSource source) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("version", record.version());
        d.put("channel", source.channel());
        d.put("source", source.name());
        if (record.provenance().position() != null) {
            d.put("position", record.provenance().position());
        }
        if (source.topic() != null) {
            d.put("topic", source.topic());
            d.put("partition", source.partition());
            d.put("offset", source.offset());
        }
        d.put("mappingId", record.provenance().mappingId());
        d.put("mappingVersion", record.provenance().mappingVersion());
        d.put("receiptId", source.receiptId());
        return d;
    }

    /** Steps are kept as one JSON document per line. */
    private static List<Step> read(String lines) {
        List<Step> steps = new ArrayList<>();
        for (String line : lines.split("\n")) {
            if (!line.isEmpty()) {
                try {
                    steps.add(RecordJson.mapper().readValue(line, Step.class));
                } catch (IOException e) {
                    throw new IllegalStateException("a stored trace could not be read", e);
                }
            }
        }
        return steps;
    }

    private static String write(Step step) {
        try {
            return RecordJson.mapper().writeValueAsString(step);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a trace step could not be written", e);
        }
    }

    /** Appends a record's new step lines to its trace, atomically on the member that owns it. */
    static final class AppendSteps implements com.hazelcast.map.EntryProcessor<String, String, Void>, java.io.Serializable {
        private static final long serialVersionUID = 2L;
        static final int MAX_STEPS = 200;
        private final String lines;

        AppendSteps(String lines) {
            this.lines = lines;
        }

        @Override
        public Void process(Map.Entry<String, String> entry) {
            String current = entry.getValue();
            String all = current == null ? lines : current + lines;
            int count = 0;
            for (int i = all.indexOf('\n'); i >= 0; i = all.indexOf('\n', i + 1)) {
                count++;
            }
            for (; count > MAX_STEPS; count--) {
                all = all.substring(all.indexOf('\n') + 1); // the oldest steps go
            }
            entry.setValue(all);
            return null;
        }
    }
}
