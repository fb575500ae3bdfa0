package cn.bazhong.credit.gateway.upstream;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An upstream batch as the gateway keeps it on the batches topic: what goes to the province, plus
 * for each record the receipt and position it came from, so that the province's answer can be
 * routed back to the source department. Formed once; resent with the same id and content.
 */
public record BatchDocument(String batchId, String dataset, Instant formedAt, List<Entry> records) {

    public record Entry(String recordId, String version, String operation, Map<String, Object> data,
                        String receiptId, Long position, String department, String feed, String kind) {
    }
}
