package cn.bazhong.credit.gateway.upstream;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Batch documents as the sender stage renders them, for the upstream adapter tests. */
final class UpstreamAdapterFixtures {

    static final WireFormat WIRE = new WireFormat(new UpstreamSettings.SourceUnit("巴中市社会信用体系建设领导小组办公室", "11511900MB1599991T"));

    private UpstreamAdapterFixtures() {
    }

    /** A batch of {@code records} penalties (or other dataset) with the id the batch stage would give it. */
    static BatchDocument batch(String dataset, int records, String seed) {
        List<BatchDocument.Entry> entries = new ArrayList<>();
        for (int i = 0; i < records; i++) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("CF_XDR_MC", "巴中市某某商贸有限公司" + seed + i);
            data.put("CF_WSH", "巴市监罚〔2024〕" + seed + "-" + i + "号");
            data.put("CF_NR_FK", "0.5");
            entries.add(new BatchDocument.Entry("SCJGJ:" + dataset + ":11511900MB1510010D:" + seed + "-" + i, "v" + i,
                    "UPSERT", data, "receipt-" + seed, (long) i, "SCJGJ", "penalties", dataset));
        }
        return new BatchDocument(BatchStage.batchId(dataset, entries), dataset, Instant.parse("2024-05-01T08:00:00Z"), entries);
    }

    static byte[] document(BatchDocument batch) {
        return WIRE.document(batch);
    }
}
