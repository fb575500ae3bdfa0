package cn.bazhong.credit.gateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The oracle: every sample record of every department gets exactly the outcome listed in
 * samples/feeds/expected.json, through the integrator's dry-run command.
 */
class SampleFeedsTest {

    private static final Path FEEDS = Path.of("samples/feeds");

    @ParameterizedTest(name = "{0} reproduces expected.json")
    @CsvSource({
            "SCJGJ, scjgj-penalties",
            "ZJFY, zjfy-defaulters",
            "XZSPJ, xzspj-licences",
            "SSTHJJ, ssthjj-penalties",
            "SWJ, swj-tax-lists"})
    void every_sample_record_gets_the_outcome_expected_json_lists(String department, String mappingId) throws IOException {
        JsonNode feed = new ObjectMapper().readTree(FEEDS.resolve("expected.json").toFile()).path("feeds").path(department);
        MappingCheckRun run = MappingCheckRun.of(
                "--mapping", "mappings/" + mappingId + ".yaml",
                "--input", FEEDS.resolve(feed.path("file").asText()).toString());

        Map<Long, JsonNode> accepted = new HashMap<>();
        for (JsonNode r : run.records()) {
            accepted.put(r.path("provenance").path("position").asLong(), r);
        }
        Map<Long, JsonNode> rejected = new HashMap<>();
        for (JsonNode r : run.report().path("rejected")) {
            rejected.put(r.path("position").asLong(), r);
        }

        int valid = 0;
        for (JsonNode expected : feed.path("records")) {
            long position = expected.path("position").asLong();
            if (expected.path("valid").asBoolean()) {
                valid++;
                assertThat(rejected).as("record at %d is valid", position).doesNotContainKey(position);
                assertThat(accepted).as("record at %d is accepted", position).containsKey(position);
                assertValid(department, expected, accepted.get(position));
                if (expected.has("duplicateOf")) {
                    // a re-sent record (same content) maps to the same id and the same version as its original
                    long original = feed.path("records").get(expected.path("duplicateOf").asInt()).path("position").asLong();
                    assertThat(accepted.get(position).path("recordId")).isEqualTo(accepted.get(original).path("recordId"));
                    assertThat(accepted.get(position).path("version")).isEqualTo(accepted.get(original).path("version"));
                }
            } else {
                assertThat(accepted).as("record at %d is invalid", position).doesNotContainKey(position);
                JsonNode got = rejected.get(position);
                assertThat(got).as("record at %d is rejected", position).isNotNull();
                assertThat(got.path("field").asText()).as("field of record %d", position).isEqualTo(expected.path("field").asText());
                assertThat(got.path("rule").asText()).as("rule of record %d", position).isEqualTo(expected.path("rule").asText());
                assertThat(got.path("message").asText()).as("message of record %d", position).isNotBlank();
            }
        }
        assertThat(accepted).hasSize(valid);
        assertThat(rejected).hasSize(feed.path("records").size() - valid);
        assertThat(run.report().path("accepted").asInt()).isEqualTo(valid);
        assertThat(run.exitCode()).isEqualTo(rejected.isEmpty() ? 0 : 1);
    }

    private static void assertValid(String department, JsonNode expected, JsonNode record) {
        long position = expected.path("position").asLong();
        JsonNode subject = record.path("subject");
        String code = "自然人".equals(subject.path("category").asText()) ? subject.path("idNumber").asText() : subject.path("uscc").asText();
        assertThat(code).as("subject code of record %d", position).isEqualTo(expected.path("subjectCode").asText());
        String businessKey = record.path("businessKey").asText();
        String expectedKey = expected.path("businessKey").asText();
        if (record.has("penalty")) {
            // the schema's penalty key is 处罚机关 code + 决定书文号
            assertThat(businessKey).isEqualTo(record.path("penalty").path("authority").path("uscc").asText() + ":" + expectedKey);
            assertThat(record.path("penalty").path("decisionNo").asText()).isEqualTo(expectedKey);
        } else if (record.has("licence")) {
            assertThat(businessKey).isEqualTo(record.path("licence").path("authority").path("uscc").asText() + ":" + expectedKey);
        } else {
            assertThat(businessKey).isEqualTo(expectedKey);
        }
        assertThat(record.path("recordId").asText()).isEqualTo(department + ":" + record.path("kind").asText() + ":" + businessKey);
        if (expected.has("fineWan")) {
            JsonNode fine = record.path("penalty").path("fineWan");
            if (expected.path("fineWan").isNull()) {
                assertThat(fine.isMissingNode()).as("no fine on record %d", position).isTrue();
            } else {
                assertThat(fine.decimalValue()).as("fine of record %d", position)
                        .isEqualByComparingTo(BigDecimal.valueOf(expected.path("fineWan").asDouble()));
            }
        }
        if (expected.has("decisionDate")) {
            assertThat(record.path("penalty").path("decisionDate").asText()).isEqualTo(expected.path("decisionDate").asText());
        }
        if (expected.has("exited")) {
            assertThat(record.path("entry").path("status").asText()).isEqualTo(expected.path("exited").asBoolean() ? "EXITED" : "ACTIVE");
        }
        if (expected.has("longTerm")) {
            assertThat(record.path("licence").path("longTerm").asBoolean()).isEqualTo(expected.path("longTerm").asBoolean());
        }
        if (expected.has("category")) {
            assertThat(subject.path("category").asText()).isEqualTo(expected.path("category").asText());
        }
        if (expected.has("black")) {
            assertThat(record.path("entry").path("category").asText()).isEqualTo(expected.path("black").asBoolean() ? "BLACK" : "RED");
        }
    }
}
