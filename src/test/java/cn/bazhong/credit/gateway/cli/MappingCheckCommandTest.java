package cn.bazhong.credit.gateway.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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

    @Test
    void a_long_check_shows_its_progress_and_ends_with_the_totals_per_rule(@TempDir Path dir) throws IOException {
        Path report = dir.resolve("report.json");
        java.util.concurrent.atomic.AtomicLong clock = new java.util.concurrent.atomic.AtomicLong();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        // a ticker that moves one second each time it is read: a progress line at least every two records
        int code = new MappingCheckCommand(MappingCheckRun.TODAY, () -> clock.addAndGet(1_000_000_000L)).run(List.of(
                        "--mapping", "mappings/zjfy-defaulters.yaml", "--input", "samples/feeds/sftp/zjfy/export/sxbzxr/SXBZXR_20250310.xml",
                        "--report", report.toString()),
                java.io.OutputStream.nullOutputStream(), new java.io.PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(code).isEqualTo(MappingCheckCommand.SOME_REJECTED);
        List<String> lines = err.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines.get(0)).matches("mapping check: \\d+ records, at record \\d+, [0-9.]+ of [0-9.]+ MB read \\(\\d+ %\\), [0-9,]+ records/s, \\d+ rejected");
        assertThat(lines).anyMatch(l -> l.matches("mapping check: 40 records, 37 accepted, 3 rejected in [0-9.]+ s \\([0-9,]+ records/s\\)"));
        assertThat(lines.subList(lines.size() - 3, lines.size())).allMatch(l -> l.matches("  [a-z-]+ +1"));
        String written = Files.readString(report, StandardCharsets.UTF_8);
        assertThat(written).endsWith(",\"rejectedByRule\":{\"date\":1,\"id-check\":1,\"uscc-charset\":1}}\n");
    }

    @Test
    void a_quick_check_with_the_report_in_a_file_prints_nothing_on_stderr(@TempDir Path dir) {
        MappingCheckRun run = MappingCheckRun.of("--mapping", "mappings/swj-tax-lists.yaml", "--input", SWJ,
                "--report", dir.resolve("r.json").toString());

        assertThat(run.stderr()).isEmpty();
    }

    @Test
    void a_json_file_cut_off_inside_a_record_is_a_syntax_rejection_not_a_failure_of_the_file(@TempDir Path dir) throws IOException {
        // read from a file: the parser closes it at its end, and the reader must not take that for a broken stream
        Path cut = Files.writeString(dir.resolve("cut.json"), "[ {\"XK_XDR_MC\": \"a\"}, {");

        MappingCheckRun run = MappingCheckRun.of("--mapping", "mappings/xzspj-licences.yaml", "--input", cut.toString());

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(MappingCheckCommand.SOME_REJECTED);
        assertThat(run.report().path("rejected").get(1).path("rule").asText()).isEqualTo("syntax");
        assertThat(run.report().path("rejected").get(1).path("message").asText()).contains("Unexpected end-of-input");
    }
}
