package cn.bazhong.credit.gateway.ingest;

import cn.bazhong.credit.gateway.schema.RecordJson;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A trace step is written by hand with a streaming generator; the line must be the one the record mapper writes. */
class TraceLinesTest {

    @Test
    void a_step_line_is_the_text_the_record_mapper_writes_and_reads_back_as_the_same_step() throws Exception {
        Map<String, Object> received = new LinkedHashMap<>();
        received.put("version", "9f2c\"quoted\"\\ and 中文");
        received.put("channel", "sftp");
        received.put("source", null); // left out, as the mapper leaves nulls out
        received.put("position", 12345678901L);
        received.put("topic", "swj.credit");
        received.put("partition", 3);
        received.put("offset", 42L);
        received.put("mappingVersion", 2);
        received.put("receiptId", "rcpt-1");
        Map<String, Object> other = new HashMap<>();
        other.put("status", "REJECTED");
        other.put("weight", 1.5);
        other.put("flag", true);
        List<RecordTraces.Step> steps = List.of(
                new RecordTraces.Step(Instant.parse("2026-12-05T10:00:00Z"), "received", received),
                new RecordTraces.Step(Instant.parse("2026-12-05T10:00:00.120Z"), "dedup", Map.of("version", "v1", "outcome", "new")),
                new RecordTraces.Step(Instant.parse("2026-12-05T10:00:00.123456789Z"), "upstream", other),
                new RecordTraces.Step(Instant.parse("1999-01-01T00:00:00.000001Z"), "batched", Map.of()));
        for (RecordTraces.Step step : steps) {
            String line = RecordTraces.write(step);
            assertThat(line).isEqualTo(RecordJson.mapper().writeValueAsString(step));
            RecordTraces.Step back = RecordJson.mapper().readValue(line, RecordTraces.Step.class);
            assertThat(back.at()).isEqualTo(step.at());
            assertThat(back.step()).isEqualTo(step.step());
            assertThat(back.detail()).containsAllEntriesOf(withoutNulls(step.detail()));
        }
    }

    private static Map<String, Object> withoutNulls(Map<String, Object> detail) {
        Map<String, Object> out = new HashMap<>();
        detail.forEach((k, v) -> {
            if (v != null && !(v instanceof Long l && l < Integer.MAX_VALUE)) {
                out.put(k, v);
            }
        });
        return out;
    }
}
