package cn.bazhong.credit.gateway.cli;

import cn.bazhong.credit.gateway.mapping.FieldMapping;
import cn.bazhong.credit.gateway.mapping.MappingDefinition;
import cn.bazhong.credit.gateway.mapping.MappingLoader;
import cn.bazhong.credit.gateway.mapping.source.SourceFormat;
import cn.bazhong.credit.simulators.departments.DemoFrontEndDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code mapping draft}: a first mapping file from a sample, which loads, for the integrator to finish. */
class MappingDraftCommandTest {

    record Run(int exitCode, String stdout, String stderr) {
    }

    private static Run draft(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new MappingDraftCommand(MappingCheckRun.TODAY).run(List.of(args), out, new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Canonical field → the source field a mapping reads it from, for fields read straight from one source field. */
    private static Map<String, String> plainSources(MappingDefinition mapping) {
        Map<String, String> out = new HashMap<>();
        for (FieldMapping f : mapping.fields()) {
            var first = f.alternatives().get(0);
            if (f.alternatives().size() == 1 && first.from() != null && first.from().size() == 1 && first.when() == null) {
                out.put(f.path(), first.from().get(0));
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "samples/feeds/sftp/scjgj/outbox/xzcf/XZCF_20250310_001.csv, SCJGJ, ADMIN_PENALTY, scjgj-penalties, 100",
            "samples/feeds/rest/xzspj/licences-001.json,                   XZSPJ, ADMIN_LICENSE, xzspj-licences,  100",
            "samples/feeds/rest/ssthjj/penalties-001.ndjson,               SSTHJJ, ADMIN_PENALTY, ssthjj-penalties, 60",
            "samples/feeds/kafka/swj/messages-001.ndjson,                  SWJ,   LIST_ENTRY,    swj-tax-lists,   60",
            "samples/feeds/sftp/zjfy/export/sxbzxr/SXBZXR_20250310.xml,    ZJFY,  LIST_ENTRY,    zjfy-defaulters, 60"})
    void a_draft_of_each_sample_feed_loads_reads_it_as_its_mapping_does_and_matches_most_of_its_fields(
            String sample, String department, String kind, String shipped, int percentMatched, @TempDir Path dir) throws Exception {
        Path output = dir.resolve(shipped + ".yaml");

        Run run = draft("--input", sample, "--department", department, "--kind", kind, "--output", output.toString());

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(MappingDraftCommand.LOADS);
        assertThat(run.stderr()).contains("the draft loads");
        MappingDefinition drafted = MappingLoader.load(output);
        MappingDefinition mapping = MappingLoader.load(Path.of("mappings", shipped + ".yaml"));
        assertThat(drafted.source().format()).isEqualTo(mapping.source().format());
        assertThat(drafted.source().charset()).isEqualTo(mapping.source().charset());
        assertThat(drafted.source().delimiter()).isEqualTo(mapping.source().delimiter());
        assertThat(drafted.source().recordElement()).isEqualTo(mapping.source().recordElement());
        assertThat(drafted.source().namespace()).isEqualTo(mapping.source().namespace());
        assertThat(drafted.department()).isEqualTo(department);

        // the fields the shipped mapping reads straight from a source field the sample holds: the draft found most of them by name
        String text = Files.readString(output);
        Map<String, String> expected = new HashMap<>(plainSources(mapping));
        expected.entrySet().removeIf(e -> e.getKey().startsWith("entry.attributes.") || !text.contains(e.getValue()));
        Map<String, String> found = plainSources(drafted);
        long same = expected.entrySet().stream().filter(e -> e.getValue().equals(found.get(e.getKey()))).count();
        assertThat(same * 100 / expected.size()).as("matched %s of %s: drafted %s, shipped %s", same, expected.size(), found, expected)
                .isGreaterThanOrEqualTo(percentMatched);
        assertThat(text).doesNotContainPattern("\\d{17}[0-9X]"); // no full ID number, even in comments
        assertThat(text).contains("TODO");
    }

    @Test
    void a_draft_names_its_guesses_and_gaps_in_comments() throws Exception {
        Run run = draft("--input", "samples/feeds/sftp/scjgj/outbox/xzcf/XZCF_20250310_001.csv", "--department", "SCJGJ",
                "--kind", "ADMIN_PENALTY");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        String yaml = run.stdout();
        assertThat(yaml).contains("encoding: GBK").contains("delimiter: \",\"");
        // dates and their style, amounts and their unit, what the department could not say
        assertThat(yaml).containsPattern("# 处罚决定日期 ← 处罚决定日期: dates written yyyy/MM/dd");
        assertThat(yaml).contains("from: 罚款金额(元)").contains("unit: yuan   # the name says 元"); // names as matched: half-width
        assertThat(yaml).contains("penalty.dataSource.uscc: TODO-penalty.dataSource.uscc").contains("usually the department itself");
        // a value the schema would refuse is pointed out before the first check
        assertThat(yaml).containsPattern("# TODO: \\d+ of \\d+ sample values break rule uscc-");
        assertThat(run.stderr()).startsWith("draft scjgj-penalties (csv, GBK) written to stdout: 23 of 23 source fields matched");
    }

    @Test
    void a_draft_never_overwrites_a_file_nor_writes_from_an_input_it_cannot_read(@TempDir Path dir) throws Exception {
        Path existing = Files.writeString(dir.resolve("scjgj-penalties.yaml"), "keep me");
        Run over = draft("--input", "samples/feeds/rest/xzspj/licences-001.json", "--department", "SCJGJ", "--kind", "ADMIN_PENALTY",
                "--output", existing.toString());
        Run missing = draft("--input", dir.resolve("none.csv").toString(), "--department", "SCJGJ", "--kind", "ADMIN_PENALTY");
        Path broken = Files.writeString(dir.resolve("x.json"), "[ {\"a\": 1}, {");
        Path brokenOut = dir.resolve("x-penalties.yaml");
        Run cut = draft("--input", broken.toString(), "--department", "X", "--kind", "ADMIN_PENALTY", "--output", brokenOut.toString());

        assertThat(over.exitCode()).isEqualTo(MappingDraftCommand.NOTHING_WRITTEN);
        assertThat(over.stderr()).contains("exists already");
        assertThat(Files.readString(existing)).isEqualTo("keep me");
        assertThat(missing.exitCode()).isEqualTo(MappingDraftCommand.NOTHING_WRITTEN);
        assertThat(missing.stderr()).contains("no such file");
        // a record cut off is named in the draft; the record before it is drafted
        assertThat(cut.exitCode()).as(cut.stderr()).isEqualTo(MappingDraftCommand.LOADS);
        assertThat(Files.readString(brokenOut)).contains("# TODO: the first record that could not be read").contains("#   a: ");
    }

    @Test
    void a_draft_of_a_front_end_table_reads_its_rows_and_matches_the_shipped_database_mapping(@TempDir Path dir) throws Exception {
        String url = "jdbc:h2:mem:draft-" + System.nanoTime() + ";MODE=PostgreSQL;DB_CLOSE_DELAY=-1";
        try (DemoFrontEndDatabase front = DemoFrontEndDatabase.start(url, "sa")) {
            front.startWriting(5, 3600); // the bureau's first batch; the next decision would come in an hour
            Path output = dir.resolve("jtysj-penalties.yaml");

            Run run = draft("--jdbc-url", url, "--user", "sa", "--table", "xzcf_front", "--department", "JTYSJ",
                    "--kind", "ADMIN_PENALTY", "--output", output.toString());

            assertThat(run.exitCode()).as(run.stderr()).isEqualTo(MappingDraftCommand.LOADS);
            assertThat(run.stderr()).contains("(rows, UTF-8)").contains("gateway.feeds.jtysj.jdbc");
            MappingDefinition drafted = MappingLoader.load(output);
            MappingDefinition shipped = MappingLoader.load(Path.of("mappings", "jtysj-penalties.yaml"));
            assertThat(drafted.source().format()).isEqualTo(shipped.source().format());
            Map<String, String> expected = new HashMap<>(plainSources(shipped));
            Map<String, String> found = plainSources(drafted);
            long same = expected.entrySet().stream().filter(e -> e.getValue().equalsIgnoreCase(String.valueOf(found.get(e.getKey())))).count();
            assertThat(same * 100 / expected.size()).as("matched %s of %s: drafted %s, shipped %s", same, expected.size(), found, expected)
                    .isGreaterThanOrEqualTo(80);
            assertThat(Files.readString(output)).doesNotContainPattern("\\d{17}[0-9X]").contains("table xzcf_front");
        }
    }

    @Test
    void a_table_name_that_is_not_a_name_or_a_database_that_cannot_be_reached_writes_nothing(@TempDir Path dir) {
        Path output = dir.resolve("jtysj-penalties.yaml");
        Run smuggled = draft("--jdbc-url", "jdbc:h2:mem:none", "--table", "xzcf_front; DROP TABLE xzcf_front", "--department", "JTYSJ",
                "--kind", "ADMIN_PENALTY", "--output", output.toString());
        Run unreachable = draft("--jdbc-url", "jdbc:postgresql://127.0.0.1:1/front?user=u&password=secret-pw", "--table", "xzcf_front",
                "--department", "JTYSJ", "--kind", "ADMIN_PENALTY", "--output", output.toString());
        Run both = draft("--jdbc-url", "jdbc:h2:mem:none", "--table", "t", "--input", "samples/feeds/rest/xzspj/licences-001.json",
                "--department", "JTYSJ", "--kind", "ADMIN_PENALTY");

        assertThat(smuggled.exitCode()).isEqualTo(MappingDraftCommand.NOTHING_WRITTEN);
        assertThat(smuggled.stderr()).contains("--table must name a table");
        assertThat(unreachable.exitCode()).isEqualTo(MappingDraftCommand.NOTHING_WRITTEN);
        assertThat(unreachable.stderr()).contains("could not be read").doesNotContain("secret-pw");
        assertThat(both.exitCode()).isEqualTo(MappingDraftCommand.NOTHING_WRITTEN);
        assertThat(both.stderr()).contains("either --input");
        assertThat(output).doesNotExist();
    }

    @Test
    void an_empty_table_writes_nothing_and_says_so(@TempDir Path dir) throws Exception {
        String url = "jdbc:h2:mem:draft-empty-" + System.nanoTime() + ";MODE=PostgreSQL;DB_CLOSE_DELAY=-1";
        try (java.sql.Connection db = java.sql.DriverManager.getConnection(url, "sa", "")) {
            db.createStatement().execute("CREATE TABLE xzcf_front (id INT PRIMARY KEY, ajmc VARCHAR(100), cfjg VARCHAR(100))");
            Path output = dir.resolve("jtysj-penalties.yaml");

            Run run = draft("--jdbc-url", url, "--user", "sa", "--table", "xzcf_front", "--department", "JTYSJ",
                    "--kind", "ADMIN_PENALTY", "--output", output.toString());

            assertThat(run.exitCode()).as(run.stderr()).isEqualTo(MappingDraftCommand.NOTHING_WRITTEN);
            assertThat(run.stderr()).contains("nothing written").contains("xzcf_front has no rows to draft from");
            assertThat(run.stdout()).isEmpty();
            assertThat(output).doesNotExist();
        }
    }

    @Test
    void a_column_of_binary_content_is_drafted_without_its_bytes(@TempDir Path dir) throws Exception {
        String url = "jdbc:h2:mem:draft-binary-" + System.nanoTime() + ";MODE=PostgreSQL;DB_CLOSE_DELAY=-1";
        try (java.sql.Connection db = java.sql.DriverManager.getConnection(url, "sa", "")) {
            db.createStatement().execute("CREATE TABLE xzcf_front (id INT PRIMARY KEY, ajmc VARCHAR(100), fj VARBINARY(64))");
            try (java.sql.PreparedStatement insert = db.prepareStatement("INSERT INTO xzcf_front VALUES (?, ?, ?)")) {
                insert.setInt(1, 1);
                insert.setString(2, "违法排污案");
                insert.setBytes(3, new byte[] {(byte) 0xFF, 0x00, (byte) 0xD8, 0x41});
                insert.executeUpdate();
            }
            Path output = dir.resolve("jtysj-penalties.yaml");

            Run run = draft("--jdbc-url", url, "--user", "sa", "--table", "xzcf_front", "--department", "JTYSJ",
                    "--kind", "ADMIN_PENALTY", "--output", output.toString());

            assertThat(run.exitCode()).as(run.stderr()).isEqualTo(MappingDraftCommand.LOADS);
            assertThat(run.stderr()).contains("columns FJ hold binary content");
            String yaml = Files.readString(output);
            assertThat(yaml).contains("# TODO: columns FJ hold binary content").contains("AJMC").doesNotContain("from: FJ");
            assertThat(MappingLoader.load(output).source().format()).isEqualTo(SourceFormat.ROWS);
        }
    }
}
