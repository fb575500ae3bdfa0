package cn.bazhong.credit.gateway.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The dry-run's contract with integrators: its outputs and exit codes. */
class MappingCheckCommandTest {

    private static final String SWJ = "samples/feeds/kafka/swj/messages-001.ndjson";

    @Test
    void an_input_where_every_record_passes_exits_0(@TempDir Path dir) throws IOException {
        Path input = Files.writeString(dir.resolve("ok.ndjson"), Files.readAllLines(Path.of(SWJ)).get(0) + "\n");

        MappingCheckRun run = MappingCheckRun.of("--mapping", "mappings/swj-tax-lists.yaml", "--input", input.toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.records()).hasSize(1);
        assertThat(run.report().path("accepted").asInt()).isEqualTo(1);
        assertThat(run.report().path("rejected")).isEmpty();
    }

    @Test
    void the_report_goes_to_the_named_file_and_ids_are_masked_on_request(@TempDir Path dir) throws IOException {
        Path report = dir.resolve("report.json");

        MappingCheckRun run = MappingCheckRun.of("--mapping", "mappings/zjfy-defaulters.yaml",
                "--input", "samples/feeds/sftp/zjfy/export/sxbzxr/SXBZXR_20250310.xml", "--report", report.toString(), "--mask-ids");

        assertThat(run.exitCode()).isEqualTo(1);
        String written = Files.readString(report, StandardCharsets.UTF_8);
        assertThat(written).startsWith("{\"accepted\":37,\"rejected\":[");
        assertThat(run.records()).filteredOn(r -> "自然人".equals(r.path("subject").path("category").asText()))
                .isNotEmpty()
                .allSatisfy(r -> assertThat(r.path("subject").path("idNumber").asText()).matches("\\d{6}\\*{8}[0-9X]{4}"));
        // the report never shows a full ID number, even without --mask-ids
        assertThat(written).doesNotContainPattern("\\d{17}[0-9X]");
    }

    @Test
    void a_broken_mapping_exits_2_and_says_where(@TempDir Path dir) throws IOException {
        Path mapping = Files.writeString(dir.resolve("swj-tax-lists.yaml"),
                Files.readString(Path.of("mappings/swj-tax-lists.yaml")).replace("subject.name: nsrmc", "subject.nmae: nsrmc"));

        MappingCheckRun run = MappingCheckRun.of("--mapping", mapping.toString(), "--input", SWJ);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.records()).isEmpty();
        assertThat(run.stderr()).contains("swj-tax-lists.yaml:").contains("fields.subject.nmae");
    }

    @Test
    void a_missing_or_unreadable_input_exits_2_with_the_reason(@TempDir Path dir) throws IOException {
        MappingCheckRun missing = MappingCheckRun.of("--mapping", "mappings/swj-tax-lists.yaml", "--input", dir.resolve("none.ndjson").toString());
        Path notArray = Files.writeString(dir.resolve("x.json"), "{\"XK_XDR_MC\": \"a\"}");
        MappingCheckRun wrongShape = MappingCheckRun.of("--mapping", "mappings/xzspj-licences.yaml", "--input", notArray.toString());
        MappingCheckRun noArgs = MappingCheckRun.of("--mapping", "mappings/xzspj-licences.yaml");

        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.stderr()).contains("no such file");
        assertThat(wrongShape.exitCode()).isEqualTo(2);
        assertThat(wrongShape.stderr()).contains("expected a JSON array").contains("rule syntax").contains("line 1, column 1");
        assertThat(noArgs.exitCode()).isEqualTo(2);
        assertThat(noArgs.stderr()).contains("usage:");
    }
}
