package cn.bazhong.credit.gateway.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The Prometheus alert rules and the Grafana dashboard under docs/ops are valid, and the rules are the
 * alerts docs/operations.md describes, no more and no fewer. {@code promtool} (Debian's {@code prometheus}
 * package, which {@code .ci/run} installs) checks the rules; without it on this machine those two tests
 * are skipped with a message saying so, the others still run.
 */
class OpsAssetsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Optional<Path> promtool() {
        return Stream.of(Optional.ofNullable(System.getenv("PATH")).orElse("").split(File.pathSeparator))
                .map(dir -> Path.of(dir, "promtool")).filter(Files::isExecutable).findFirst();
    }

    private static Path requirePromtool() {
        Optional<Path> promtool = promtool();
        assumeTrue(promtool.isPresent(), "promtool is not on the PATH: the alert rules were NOT checked here. "
                + "Install it with 'apt-get install prometheus' (Debian) to run this check; CI (.ci/run) installs it");
        return promtool.get();
    }

    private record Run(int exit, String output) {
    }

    private static Run run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("promtool ended").isTrue();
        return new Run(p.exitValue(), output);
    }

    @Test
    void promtool_finds_the_alert_rules_valid() throws Exception {
        Path promtool = requirePromtool();
        Run check = run(promtool.toString(), "check", "rules", OpsAssets.RULES.toString());
        assertThat(check.exit()).as(check.output()).isZero();
        assertThat(check.output()).contains("SUCCESS: " + rules().size() + " rules found");
    }

    @Test
    void promtool_refuses_a_rule_file_with_a_broken_expression_so_the_check_above_means_something() throws Exception {
        Path promtool = requirePromtool();
        Path broken = Files.createTempFile("broken-rules-", ".yml");
        Files.writeString(broken, OpsAssets.read(OpsAssets.RULES).replace("max(gateway_upstream_circuit_state) == 2",
                "max(gateway_upstream_circuit_state == 2"));
        Run check = run(promtool.toString(), "check", "rules", broken.toString());
        assertThat(check.exit()).as(check.output()).isNotZero();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> rules() {
        Map<String, Object> doc = new Yaml().load(OpsAssets.read(OpsAssets.RULES));
        List<Map<String, Object>> rules = new ArrayList<>();
        for (Map<String, Object> group : (List<Map<String, Object>>) doc.get("groups")) {
            rules.addAll((List<Map<String, Object>>) group.get("rules"));
        }
        return rules;
    }

    private static String normal(String promql) {
        return promql.replaceAll("\\s+", " ").replaceAll("\\( ", "(").replaceAll(" \\)", ")").trim();
    }

    /** The alert expressions of operations.md: in its promql blocks, each expression under a "# ... (for: ...)" or alert comment. */
    private static Map<String, String> documentedAlerts() {
        String doc = OpsAssets.read(Path.of("docs/operations.md"));
        Map<String, String> alerts = new java.util.LinkedHashMap<>();
        Matcher block = Pattern.compile("(?s)```promql\\n(.*?)```").matcher(doc);
        while (block.find()) {
            String[] lines = block.group(1).split("\\n");
            String comment = null;
            StringBuilder expr = new StringBuilder();
            for (String line : lines) {
                if (line.startsWith("# alert ")) {
                    comment = line.substring("# alert ".length());
                    expr.setLength(0);
                } else if (line.isBlank()) {
                    if (comment != null && !expr.isEmpty()) {
                        alerts.put(normal(expr.toString()), comment);
                    }
                    comment = null;
                    expr.setLength(0);
                } else if (comment != null) {
                    expr.append(' ').append(line);
                }
            }
            if (comment != null && !expr.isEmpty()) {
                alerts.put(normal(expr.toString()), comment);
            }
        }
        return alerts;
    }

    @Test
    @SuppressWarnings("unchecked")
    void the_rules_are_the_alerts_operations_md_describes_each_with_its_for_duration() {
        Map<String, String> documented = documentedAlerts();
        assertThat(documented).as("alerts found in docs/operations.md").hasSizeGreaterThanOrEqualTo(9);
        Map<String, Object> inRules = new java.util.LinkedHashMap<>();
        rules().forEach(r -> inRules.put(normal(r.get("expr").toString()), r.get("for")));
        assertThat(inRules.keySet()).as("rule expressions (docs/ops/prometheus/gateway-rules.yml) against the alerts "
                + "of docs/operations.md").containsExactlyInAnyOrderElementsOf(documented.keySet());
        documented.forEach((expr, comment) -> {
            Matcher forClause = Pattern.compile("\\(for: (\\w+)\\)").matcher(comment);
            Object ruleFor = inRules.get(expr);
            if (forClause.find()) {
                assertThat(String.valueOf(ruleFor)).as("for: of " + expr).isEqualTo(forClause.group(1).equals("0m") ? "null" : forClause.group(1));
            }
        });
        rules().forEach(r -> {
            assertThat(r.get("alert").toString()).matches("Gateway[A-Za-z]+");
            assertThat((Map<String, Object>) r.get("annotations")).containsKeys("summary", "description");
            assertThat((Map<String, Object>) r.get("labels")).containsKey("severity");
        });
    }

    @Test
    void the_dashboard_is_grafana_json_whose_panels_all_query_prometheus_through_its_datasource_variable() throws IOException {
        JsonNode dashboard = JSON.readTree(OpsAssets.DASHBOARD.toFile());
        assertThat(dashboard.path("uid").asText()).isEqualTo("credit-gateway");
        assertThat(dashboard.path("templating").path("list").findValuesAsText("name")).contains("datasource", "department");
        Set<Integer> ids = new HashSet<>();
        List<String> wrong = new ArrayList<>();
        int queries = 0;
        for (JsonNode panel : dashboard.path("panels")) {
            if (!ids.add(panel.path("id").asInt())) {
                wrong.add("duplicate panel id " + panel.path("id"));
            }
            if (panel.path("type").asText().equals("row")) {
                continue;
            }
            if (!panel.path("datasource").path("uid").asText().equals("${datasource}")) {
                wrong.add(panel.path("title").asText() + ": not on the datasource variable");
            }
            for (JsonNode target : panel.path("targets")) {
                queries++;
                if (OpsAssets.metricNames(target.path("expr").asText()).isEmpty()) {
                    wrong.add(panel.path("title").asText() + ": a query without a metric");
                }
            }
        }
        assertThat(wrong).isEmpty();
        assertThat(queries).isGreaterThan(10);
        Set<String> alertedMetrics = new TreeSet<>(OpsAssets.metricNames(OpsAssets.read(OpsAssets.RULES)));
        alertedMetrics.removeAll(OpsAssets.metricNames(OpsAssets.read(OpsAssets.DASHBOARD)));
        assertThat(alertedMetrics).as("metrics alerted on but not on the dashboard").isEmpty();
    }
}
