package cn.bazhong.credit.gateway.cli;

import cn.bazhong.credit.gateway.catalog.Catalog;
import cn.bazhong.credit.gateway.catalog.CatalogLoader;
import cn.bazhong.credit.gateway.catalog.CatalogRefused;
import cn.bazhong.credit.gateway.catalog.Measure;
import cn.bazhong.credit.gateway.yaml.ConfigFileException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code catalog check [--file config/catalog.yaml]}: the catalog lint the gateway runs when it starts,
 * without starting it. Every problem is one line on stderr, {@code file:line: key: problem}; a catalog
 * that passes gets a one-line summary on stdout (units, list types, measures, and how many measures
 * still have an article of their legal basis to confirm).
 * Exit codes: 0 the catalog passes, 1 it has problems, 2 it cannot be read or the arguments are wrong.
 */
@Command(name = "check", mixinStandardHelpOptions = true, versionProvider = GatewayCommands.Version.class,
        synopsisHeading = "usage: ",
        description = {"Checks the catalog as the gateway does when it starts, without starting it.",
                "Each problem is one 'file:line: key: problem' line on stderr; a catalog that passes gets a one-line summary on stdout."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the catalog passes", "1:it has problems (one per line on stderr)", "2:it cannot be read, or wrong arguments"})
public final class CatalogCheckCommand implements Callable<Integer> {

    public static final int PASSES = 0;
    public static final int PROBLEMS = 1;
    public static final int UNUSABLE = 2;

    @Option(names = "--file", paramLabel = "<catalog.yaml>", description = "the catalog (default: ${DEFAULT-VALUE})",
            defaultValue = "config/catalog.yaml")
    Path file;

    private PrintStream stdout = System.out;
    private PrintStream stderr = System.err;

    CatalogCheckCommand streams(PrintStream out, PrintStream err) {
        this.stdout = out;
        this.stderr = err;
        return this;
    }

    /** Runs the command on {@code args} (without the leading "catalog check"). */
    public int run(List<String> args, PrintStream stdout, PrintStream stderr) {
        streams(stdout, stderr);
        List<String> all = new ArrayList<>(List.of("check"));
        all.addAll(args);
        return GatewayCommands.execute(GatewayCommands.group("catalog", "The catalog of measures and list types.", this), all, stdout, stderr);
    }

    @Override
    public Integer call() {
        if (!Files.isReadable(file)) {
            stderr.println(file + ":0: cannot be read");
            return UNUSABLE;
        }
        try {
            Catalog catalog = CatalogLoader.load(file);
            long toConfirm = catalog.measures().values().stream().filter(Measure::articleToConfirm).count();
            stdout.printf("%s: catalog %s passes: %d units, %d list types, %d measures (%d with an article of their legal basis to confirm)%n",
                    file, catalog.version(), catalog.units().size(), catalog.listTypes().size(), catalog.measures().size(), toConfirm);
            return PASSES;
        } catch (CatalogRefused e) {
            e.problems().forEach(p -> stderr.println(p.getMessage()));
            return PROBLEMS;
        } catch (ConfigFileException e) {
            stderr.println(e.getMessage());
            return PROBLEMS;
        }
    }
}
