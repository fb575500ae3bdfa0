package cn.bazhong.credit.gateway.support;

import cn.bazhong.credit.gateway.ingest.RecordTraces;
import cn.bazhong.credit.gateway.schema.RecordJson;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** A delivered penalty record's trace as the pipeline writes it, for measuring what traces cost. */
public final class TraceSamples {

    private TraceSamples() {
    }

    /** A version as RecordVersion writes it: 32 hex digits. */
    public static String version(java.util.Random random) {
        byte[] hash = new byte[16];
        random.nextBytes(hash);
        return java.util.HexFormat.of().formatHex(hash);
    }

    /** The id of the {@code n}-th penalty record of a market-regulation file. */
    public static String recordId(long n) {
        return "SCJGJ:ADMIN_PENALTY:11511900MB1C05966T:巴市监处罚〔2026〕" + (1000 + n) + "号";
    }

    /** The "received" step as the ingest writes it for a line of a department's file. */
    public static String receivedLine(String version, long line) throws Exception {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("version", version);
        d.put("channel", "sftp");
        d.put("source", "XZCF_20251201_001.csv");
        d.put("position", "line " + line);
        d.put("mappingId", "scjgj-penalties");
        d.put("mappingVersion", 3);
        d.put("receiptId", "RCPT-SCJGJ-20261205-0001-7f3a9c");
        return RecordJson.mapper().writeValueAsString(new RecordTraces.Step(Instant.parse("2026-12-05T02:00:00.123Z"), "received", d));
    }

    /** The four steps of a delivered record: received, the dedup decision, its batch, the province's acceptance. */
    public static void delivered(RecordTraces.Steps steps, long n, String version) throws Exception {
        String id = recordId(n);
        String batch = "ADMIN_PENALTY-" + String.format("%024x", n / 200);
        steps.carried(id, receivedLine(version, n + 2))
                .dedupDecision(id, version, "new version: forwarded upstream")
                .batched(id, version, batch, Instant.parse("2026-12-05T02:00:02Z"))
                .upstreamResult(id, version, batch, "ACCEPTED", null, null);
    }
}
