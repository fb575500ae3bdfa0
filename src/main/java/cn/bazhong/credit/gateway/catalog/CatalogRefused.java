package cn.bazhong.credit.gateway.catalog;

import cn.bazhong.credit.gateway.yaml.ConfigFileException;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A catalog with one or more problems. Located at the first of them (file, line, key, as any
 * {@link ConfigFileException}); {@link #problems()} lists them all, one {@code file:line: problem} each.
 */
public class CatalogRefused extends ConfigFileException {

    private final List<ConfigFileException> problems;

    public CatalogRefused(List<ConfigFileException> problems) {
        super(problems.get(0).file(), problems.get(0).line(), problems.get(0).key(), text(problems));
        this.problems = List.copyOf(problems);
    }

    private static String text(List<ConfigFileException> problems) {
        String first = problems.get(0).problem();
        if (problems.size() == 1) {
            return first;
        }
        return first + problems.subList(1, problems.size()).stream().map(p -> "\n" + p.getMessage()).collect(Collectors.joining())
                + "\n(" + problems.size() + " problems)";
    }

    public List<ConfigFileException> problems() {
        return problems;
    }
}
