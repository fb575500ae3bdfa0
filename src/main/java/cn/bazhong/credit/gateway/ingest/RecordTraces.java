package cn.bazhong.credit.gateway.ingest;

import cn.bazhong.credit.gateway.infra.HazelcastMaps;
import cn.bazhong.credit.gateway.schema.CreditRecord;
import cn.bazhong.credit.gateway.schema.RecordJson;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The provenance trail of each record for {@code GET /api/v1/records/{id}/trace}: where it came
 * from, what deduplication decided, which upstream batch carried it and what the province answered,
 * each with its time. Personal ID numbers never enter a trace. Steps are appended asynchronously,
 * one JSON line each, so that tracing costs the pipeline next to nothing.
 */
public class RecordTraces {

    public record Step(Instant at, String step, Map<String, Object> detail) {
    }

    private final IMap<String, String> traces;
    private final Clock clock;

    public RecordTraces(HazelcastInstance hazelcast, Clock clock) {
        this.traces = hazelcast.getMap(HazelcastMaps.TRACES);
        this.clock = clock;
    }

    public void received(CreditRecord record, FeedSource source) {
        Map<String, Object> d = sourceDetail(record, source);
        add(record.recordId(), "received", d);
    }

    public void duplicateAtIngress(CreditRecord record, FeedSource source) {
        Map<String, Object> d = sourceDetail(record, source);
        d.put("outcome", "duplicate of a version already delivered; dropped");
        add(record.recordId(), "dedup", d);
    }

    public void dedupDecision(String recordId, String version, String decision) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("version", version);
        d.put("outcome", decision);
        add(recordId, "dedup", d);
    }

    public void batched(String recordId, String version, String batchId) {
        add(recordId, "batched", Map.of("version", version, "batchId", batchId));
    }

    public void upstreamResult(String recordId, String version, String batchId, String status, String code, String message) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("version", version);
        d.put("batchId", batchId);
        d.put("status", status);
        if (code != null) {
            d.put("code", code);
        }
        if (message != null) {
            d.put("message", message);
        }
        add(recordId, "upstream", d);
    }

    public List<Step> find(String recordId) {
        String json = traces.get(recordId);
        return json == null ? null : read(json);
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

    private void add(String recordId, String step, Map<String, Object> detail) {
        Step s = new Step(Instant.now(clock), step, detail);
        // asynchronous and cheap: a trace must never slow the records it describes
        traces.submitToKey(recordId, new AppendStep(write(s)));
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

    /** Appends one step (JSON) to the JSON array held for the record, atomically on its owner member. */
    static final class AppendStep implements com.hazelcast.map.EntryProcessor<String, String, Void>, java.io.Serializable {
        private static final long serialVersionUID = 1L;
        private static final int MAX_STEPS = 200;
        private final String stepJson;

        AppendStep(String stepJson) {
            this.stepJson = stepJson;
        }

        @Override
        public Void process(Map.Entry<String, String> entry) {
            String current = entry.getValue();
            if (current == null) {
                entry.setValue(stepJson + "\n");
                return null;
            }
            int lines = 0;
            for (int i = current.indexOf('\n'); i >= 0; i = current.indexOf('\n', i + 1)) {
                lines++;
            }
            if (lines >= MAX_STEPS) {
                current = current.substring(current.indexOf('\n') + 1); // the oldest step goes
            }
            entry.setValue(current + stepJson + "\n");
            return null;
        }
    }
}
