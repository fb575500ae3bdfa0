package cn.bazhong.credit.gateway.transport;

import cn.bazhong.credit.gateway.schema.RecordJson;
import com.fasterxml.jackson.core.JsonProcessingException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The answers that the one-way adapters (SFTP, Kafka) give on the province's behalf, in the REST
 * contract's terms, so that the sender's {@code upstream.BatchDelivery} treats every transport alike.
 */
public final class UpstreamAnswers {

    /** Batch ids as the batch stage forms them: {@code <DATASET>-<hex>}; safe as a file name and a record key. */
    private static final Pattern SAFE_BATCH_ID = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,199}");

    private UpstreamAnswers() {
    }

    /**
     * The batch was handed over: 200 with no per-record results (the province reports those out of
     * band), which the sender counts as accepted.
     */
    public static UpstreamTransport.Answer delivered(String batchId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("batchId", batchId);
        body.put("results", List.of());
        return new UpstreamTransport.Answer(200, json(body), null);
    }

    /** The batch cannot be carried as it is (resending it would not help): 400, so it is dead-lettered. */
    public static UpstreamTransport.Answer malformed(String batchId, String reason) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("batchId", batchId);
        body.put("error", reason);
        return new UpstreamTransport.Answer(400, json(body), null);
    }

    /** The batch is larger than the transport takes: 413, so the sender splits it. */
    public static UpstreamTransport.Answer tooLarge(String batchId, String reason) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("batchId", batchId);
        body.put("error", reason);
        return new UpstreamTransport.Answer(413, json(body), null);
    }

    public static boolean isSafeBatchId(String batchId) {
        return batchId != null && SAFE_BATCH_ID.matcher(batchId).matches();
    }

    private static String json(Map<String, Object> body) {
        try {
            return RecordJson.mapper().writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an answer could not be written as JSON", e);
        }
    }
}
