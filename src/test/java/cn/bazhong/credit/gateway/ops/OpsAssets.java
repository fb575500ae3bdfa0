package cn.bazhong.credit.gateway.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The operations assets under docs/ops and the metric names their queries use. */
final class OpsAssets {

    static final Path RULES = Path.of("docs/ops/prometheus/gateway-rules.yml");
    static final Path DASHBOARD = Path.of("docs/ops/grafana/gateway.json");
    /** Metric names as PromQL writes them: the gateway's own and the standard ones the dashboard shows. */
    private static final Pattern METRIC = Pattern.compile("\\b((?:gateway|jvm|process|http_server|system)_[a-z0-9_]+)\\b");

    private OpsAssets() {
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Set<String> metricNames(String text) {
        Set<String> names = new TreeSet<>();
        Matcher m = METRIC.matcher(text);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }
}
