package cn.bazhong.credit.gateway.cli;

import cn.bazhong.credit.gateway.catalog.Catalog;
import cn.bazhong.credit.gateway.catalog.CatalogLoader;
import cn.bazhong.credit.gateway.catalog.CatalogRefused;
import cn.bazhong.credit.gateway.catalog.Measure;
import cn.bazhong.credit.gateway.yaml.ConfigFileException;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code catalog check [--file config/catalog.yaml]}: the catalog lint the gateway runs when it starts,
 * without starting it. Every problem is one line on stderr, {@code file:line: key: problem}; a catalog
 * that passes gets a one-line summary on stdout (units, list types, measures, and how many measures
 * still have an article of their legal basis to confirm).
 * Exit codes: 0 the catalog passes, 1 it has problems, 2 it cannot be read or the arguments are wrong.
 */
public final class CatalogCheckCommand {

    public static final int PASSES = 0;
    public static final int PROBLEMS = 1;
    public static final int UNUSABLE = 2;

    static final String USAGE = "usage: catalog check [--file <catalog.yaml>]   (default config/catalog.yaml)\n"
            + "  exit 0: passes, 1: problems (one 'file:line: problem' per line on stderr), 2: cannot be read";

    /** Runs the command on {@code args} (without the leading "catalog check"). */
    public int run(List<String> args, PrintStream stdout, PrintStream stderr) {
        Path file = Path.of("config/catalog.yaml");
        if (args.size() == 2 && args.get(0).equals("--file")) {
            file = Path.of(args.get(1));
        } else if (!args.isEmpty()) {
            stderr.println(USAGE);
            return UNUSABLE;
        }
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
