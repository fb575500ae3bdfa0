package cn.bazhong.credit.gateway.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * The jar's command line (picocli): {@code mapping check}, {@code mapping draft}, {@code catalog check},
 * {@code keys …} and {@code access new-key} run instead of the gateway, each with {@code --help}.
 * Wrong arguments print the command's usage and the reason on stderr and exit 2, the exit code every
 * command uses for "nothing could be done".
 */
public final class GatewayCommands {

    /** Exit code of wrong arguments, the same as each command's "cannot be used". */
    public static final int USAGE = 2;
    static final String JAR = "java -jar credit-exchange-gateway.jar";
    private static final Set<String> COMMANDS = Set.of("mapping", "catalog", "keys", "access", "help", "--help", "-h");

    private GatewayCommands() {
    }

    /** Whether the arguments name a command (else the gateway starts with them). */
    public static boolean handles(String[] args) {
        return args.length >= 1 && COMMANDS.contains(args[0]);
    }

    /** Runs the command the arguments name, from the jar's {@code main}. */
    public static int run(String[] args, Map<String, String> env) {
        return run(args, env, System.out, System.err);
    }

    /** Runs the command the arguments name, printing to {@code out} and {@code err}. */
    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        Clock clock = Clock.systemDefaultZone();
        CommandLine root = Group.line(JAR, "The gateway's tools, run without starting the gateway"
                + " (with no command, or other arguments, the jar starts the gateway).");
        root.addSubcommand("help", new CommandLine.HelpCommand());
        root.addSubcommand(group("mapping", "Mapping files: check one on a sample, or draft one from a sample.",
                new MappingCheckCommand(clock).streams(out, err), new MappingDraftCommand(clock).streams(out, err)));
        root.addSubcommand(group("catalog", "The catalog of measures and list types.", new CatalogCheckCommand().streams(out, err)));
        root.addSubcommand(new KeysCommand(Clock.systemUTC(), env, new SecureRandom()).streams(out, err).commandLine());
        root.addSubcommand(group("access", "Department API keys.", new AccessNewKeyCommand().streams(out)));
        return execute(root, List.of(args), out, err);
    }

    /** A command group ({@code mapping}, {@code catalog}, …) holding the given commands. */
    static CommandLine group(String name, String description, Object... commands) {
        CommandLine group = Group.line(name, description);
        for (Object c : commands) {
            group.addSubcommand(c instanceof CommandLine cl ? cl : new CommandLine(c));
        }
        return group;
    }

    /** Parses and runs {@code args} on {@code line}, with the gateway's error wording; returns the exit code. */
    static int execute(CommandLine line, List<String> args, OutputStream out, PrintStream err) {
        PrintWriter outWriter = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true);
        PrintWriter errWriter = new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true);
        line.setOut(outWriter);
        line.setErr(errWriter);
        line.setParameterExceptionHandler((ex, unused) -> {
            CommandLine failed = ex.getCommandLine();
            failed.usage(failed.getErr());
            failed.getErr().println(reason(ex));
            failed.getErr().flush();
            return USAGE;
        });
        line.setExecutionExceptionHandler((ex, failed, parsed) -> {
            if (ex instanceof IllegalArgumentException) {
                failed.usage(failed.getErr());
                failed.getErr().println(ex.getMessage());
                failed.getErr().flush();
                return USAGE;
            }
            throw ex;
        });
        try {
            return line.execute(args.toArray(String[]::new));
        } finally {
            outWriter.flush();
            errWriter.flush();
        }
    }

    private static String reason(CommandLine.ParameterException ex) {
        if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            String first = u.getUnmatched().get(0);
            if (u.isUnknownOption() || first.startsWith("-")) {
                return "unknown option " + first;
            }
            return "unknown command " + ex.getCommandLine().getCommandSpec().qualifiedName() + " " + first;
        }
        return ex.getMessage();
    }

    /** A group of commands; run without one, it shows its usage and exits 2. */
    @Command(mixinStandardHelpOptions = true, versionProvider = Version.class, synopsisHeading = "usage: ",
            synopsisSubcommandLabel = "COMMAND", commandListHeading = "%nCommands:%n")
    static final class Group implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().usage(spec.commandLine().getErr());
            spec.commandLine().getErr().println(spec.qualifiedName() + " needs a command");
            return USAGE;
        }

        /** A group's command line, named and described (the annotation cannot: both differ per group). */
        static CommandLine line(String name, String description) {
            CommandLine line = new CommandLine(new Group());
            line.getCommandSpec().name(name);
            line.getCommandSpec().usageMessage().description(description);
            return line;
        }
    }

    /** The version in the jar's manifest, or "development build" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = GatewayCommands.class.getPackage().getImplementationVersion();
            return new String[]{"credit-exchange-gateway " + (v == null ? "(development build)" : v)};
        }
    }
}
