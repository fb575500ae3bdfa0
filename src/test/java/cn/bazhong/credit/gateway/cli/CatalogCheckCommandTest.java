package cn.bazhong.credit.gateway.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code catalog check}: the start-up catalog lint as a command, one {@code file:line: problem} per line. */
class CatalogCheckCommandTest {

    record Run(int exitCode, String stdout, String stderr) {
    }

    private static Run check(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new CatalogCheckCommand().run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void the_shipped_catalog_passes_and_the_summary_counts_the_articles_to_confirm() {
        Run run = check();

        assertThat(run.exitCode()).isEqualTo(CatalogCheckCommand.PASSES);
        assertThat(run.stdout()).startsWith("config/catalog.yaml: catalog ").contains(" passes: ").contains("with an article of their legal basis to confirm");
        assertThat(run.stderr()).isEmpty();
    }

    @Test
    void a_broken_catalog_exits_1_with_each_problem_on_its_own_line(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("catalog.yaml");
        String shipped = Files.readString(Path.of("config/catalog.yaml"));
        Files.writeString(file, shipped.replace("implementingUnits: [JTYSJ]", "implementingUnits: [JTYSJ, NOBODY]")
                .replace("  GAJ:    { name: 巴中市公安局 }\n", "  GAJ:    { name: 巴中市公安局 }\n  MZJ:    { name: 巴中市民政局 }\n"));

        Run run = check("--file", file.toString());

        assertThat(run.exitCode()).isEqualTo(CatalogCheckCommand.PROBLEMS);
        assertThat(run.stdout()).isEmpty();
        List<String> lines = run.stderr().lines().toList();
        assertThat(lines).hasSize(2).allSatisfy(l -> assertThat(l).matches(java.util.regex.Pattern.quote(file.toString()) + ":\\d+: .+"));
        assertThat(lines.get(0)).contains("units.MZJ: dangling unit");
        assertThat(lines.get(1)).contains("unknown unit 'NOBODY'");
    }

    @Test
    void a_missing_file_or_wrong_arguments_exit_2() {
        assertThat(check("--file", "no/such/catalog.yaml").exitCode()).isEqualTo(CatalogCheckCommand.UNUSABLE);
        Run wrong = check("--fiel", "x");
        assertThat(wrong.exitCode()).isEqualTo(CatalogCheckCommand.UNUSABLE);
        assertThat(wrong.stderr()).startsWith("usage: catalog check");
    }
}
