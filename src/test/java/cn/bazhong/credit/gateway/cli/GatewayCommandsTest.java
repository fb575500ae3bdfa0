package cn.bazhong.credit.gateway.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The jar's command line: every command answers --help, and wrong arguments exit 2 with the usage. */
class GatewayCommandsTest {

    record Run(int exitCode, String stdout, String stderr) {
    }

    private static Run jar(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = GatewayCommands.run(args, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void every_command_and_group_answers_help_with_its_usage_and_exit_0() {
        String jar = GatewayCommands.JAR;
        for (String[] command : new String[][]{
                {"mapping", "check"}, {"mapping", "draft"}, {"catalog", "check"}, {"keys", "new-kek"}, {"keys", "rotate-data-key"},
                {"keys", "rotate-kek"}, {"keys", "reencrypt"}, {"keys", "new-sm2"}, {"access", "new-key"}, {"mapping"}, {"keys"}}) {
            String[] args = java.util.stream.Stream.concat(java.util.Arrays.stream(command), java.util.stream.Stream.of("--help"))
                    .toArray(String[]::new);
            Run run = jar(args);
            assertThat(run.exitCode()).as(String.join(" ", args)).isZero();
            assertThat(run.stdout()).as(String.join(" ", args)).startsWith("usage: " + jar + " " + String.join(" ", command));
        }
        Run top = jar("--help");
        assertThat(top.exitCode()).isZero();
        assertThat(top.stdout()).contains("mapping").contains("catalog").contains("keys").contains("access");
        assertThat(jar("mapping", "check", "--help").stdout()).contains("Exit codes:").contains("--progress");
        Run help = jar("help", "mapping");
        assertThat(help.exitCode()).isZero();
        assertThat(help.stdout()).startsWith("usage: " + jar + " mapping").contains("draft  Writes a first mapping file from a sample");
    }

    @Test
    void wrong_arguments_exit_2_with_the_usage_and_the_reason() {
        Run unknown = jar("mapping", "chek");
        assertThat(unknown.exitCode()).isEqualTo(GatewayCommands.USAGE);
        assertThat(unknown.stderr()).contains("usage: ").contains("unknown command " + GatewayCommands.JAR + " mapping chek");
        Run missing = jar("mapping", "draft", "--input", "x.csv");
        assertThat(missing.exitCode()).isEqualTo(GatewayCommands.USAGE);
        assertThat(missing.stderr()).contains("--department").contains("--kind");
        Run badKind = jar("mapping", "draft", "--input", "x.csv", "--department", "SCJGJ", "--kind", "PENALTY");
        assertThat(badKind.exitCode()).isEqualTo(GatewayCommands.USAGE);
        assertThat(badKind.stderr()).contains("ADMIN_PENALTY");
    }
}
