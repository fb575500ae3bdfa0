package cn.bazhong.credit.gateway.dist;

import cn.bazhong.credit.gateway.security.ApiKeys;
import cn.bazhong.credit.gateway.support.FreePorts;
import cn.bazhong.credit.gateway.support.Http;
import cn.bazhong.credit.gateway.support.TestJvmFlags;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The distribution archive that {@code ./mvnw package} builds, used as on a server: unpacked with
 * {@code tar xzf}, started with its one command {@code bin/gateway} from another folder, it holds what the
 * script and the systemd unit need, loads its config, routes and mappings, becomes ready and stops cleanly
 * on SIGTERM. Runs after {@code package} (failsafe: {@code ./mvnw -ntp verify -Dtest=none -Dit.test=DistributionArchiveIT
 * -Dsurefire.failIfNoSpecifiedTests=false}).
 */
class DistributionArchiveIT {

    /** A person's ID number (valid check digit), sent in a refused path to see it masked in the log. */
    static final String ID_NUMBER = "511902195009250256";
    private static final ObjectMapper JSON = new ObjectMapper();

    static Path unpacked;

    @BeforeAll
    static void unpack() throws Exception {
        Path archive;
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            archive = files.filter(f -> f.getFileName().toString().endsWith("-dist.tar.gz")).findFirst()
                    .orElseThrow(() -> new AssertionError("no target/*-dist.tar.gz: run ./mvnw package first"));
        }
        Path into = Files.createTempDirectory("gateway-dist-");
        Process tar = new ProcessBuilder("tar", "xzf", archive.toAbsolutePath().toString(), "-C", into.toString())
                .redirectErrorStream(true).start();
        String output = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(tar.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(tar.exitValue()).as(output).isZero();
        try (Stream<Path> top = Files.list(into)) {
            List<Path> dirs = top.toList();
            assertThat(dirs).as("one top folder").hasSize(1);
            unpacked = dirs.get(0);
        }
    }

    private static long count(String dir, String suffix) throws IOException {
        try (Stream<Path> files = Files.list(unpacked.resolve(dir))) {
            return files.filter(f -> f.getFileName().toString().endsWith(suffix)).count();
        }
    }

    @Test
    void the_archive_holds_the_jar_the_start_script_the_systemd_unit_config_routes_and_mappings_and_no_node_secrets()
            throws IOException {
        assertThat(unpacked.resolve("lib/credit-exchange-gateway.jar")).isRegularFile();
        assertThat(unpacked.resolve("bin/gateway")).isRegularFile().isExecutable();
        String script = Files.readString(unpacked.resolve("bin/gateway"));
        assertThat(script).contains("lib/credit-exchange-gateway.jar").contains("cd \"$home\"");
        for (String config : List.of("application.yaml", "application-production.yaml", "catalog.yaml", "subscriptions.yaml")) {
            assertThat(unpacked.resolve("config").resolve(config)).isRegularFile();
        }
        assertThat(unpacked.resolve("config/data-keys.json")).doesNotExist();
        assertThat(unpacked.resolve("config/known_hosts")).doesNotExist();
        assertThat(count("routes", ".camel.yaml")).isEqualTo(countHere("routes", ".camel.yaml")).isPositive();
        assertThat(count("mappings", ".yaml")).isEqualTo(countHere("mappings", ".yaml")).isPositive();
        String unit = Files.readString(unpacked.resolve("systemd/credit-gateway.service"));
        assertThat(unit).contains("ExecStart=/opt/credit-gateway/bin/gateway").contains("WorkingDirectory=/opt/credit-gateway")
                .contains("EnvironmentFile=-/etc/credit-gateway/gateway.env").contains("[Install]");
        assertThat(unpacked.resolve("systemd/gateway.env.example")).isRegularFile();
        assertThat(unpacked.resolve("ops/prometheus/gateway-rules.yml")).isRegularFile();
        assertThat(unpacked.resolve("ops/grafana/gateway.json")).isRegularFile();
    }

    /**
     * What {@code bin/gateway} gives the JVM, read from a stand-in {@code java} that prints its arguments: the default
     * heap unless {@code JAVA_OPTS} says otherwise, and the heap on transparent huge pages where this machine's kernel
     * gives them on request (docs/deployment.md, "Memory pages") unless {@code JAVA_OPTS} names the flag.
     */
    @Test
    void bin_gateway_gives_the_jvm_the_default_heap_and_huge_pages_where_the_kernel_offers_them_unless_java_opts_decides()
            throws Exception {
        Path javaHome = Files.createTempDirectory("gateway-dist-java-");
        Path java = Files.createDirectories(javaHome.resolve("bin")).resolve("java");
        Files.writeString(java, "#!/bin/sh\necho \"$@\"\n");
        assertThat(java.toFile().setExecutable(true)).isTrue();
        Path thp = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");
        boolean offered = Files.isReadable(thp) && Files.readString(thp).matches("(?s).*\\[(always|madvise)\\].*");

        List<String> byDefault = List.of(startedWith(javaHome, null).split(" "));
        assertThat(byDefault).contains("-Xmx1g", "-jar", "--gateway.node-id=script");
        if (offered) {
            assertThat(byDefault).contains("-XX:+UseTransparentHugePages");
        } else {
            assertThat(byDefault).noneMatch(a -> a.contains("TransparentHugePages"));
        }
        List<String> optedOut = List.of(startedWith(javaHome, "-Xmx3g -XX:-UseTransparentHugePages").split(" "));
        assertThat(optedOut).contains("-Xmx3g", "-XX:-UseTransparentHugePages").doesNotContain("-Xmx1g", "-XX:+UseTransparentHugePages");
    }

    private static String startedWith(Path javaHome, String javaOpts) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(unpacked.resolve("bin/gateway").toString(), "--gateway.node-id=script")
                .redirectErrorStream(true);
        builder.environment().put("JAVA_HOME", javaHome.toString());
        builder.environment().remove("JAVA_OPTS");
        if (javaOpts != null) {
            builder.environment().put("JAVA_OPTS", javaOpts);
        }
        Process script = builder.start();
        String output = new String(script.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(script.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(script.exitValue()).as(output).isZero();
        return output;
    }

    private static long countHere(String dir, String suffix) throws IOException {
        try (Stream<Path> files = Files.list(Path.of(dir))) {
            return files.filter(f -> f.getFileName().toString().endsWith(suffix)).count();
        }
    }

    /**
     * Started with structured (ECS JSON) logs, as an operator who ships logs to a search engine would: every line
     * the gateway logs is JSON, a push's lines carry its department, receipt and feed as fields, and a person's ID
     * number in a refused path is masked there as in the text logs.
     */
    @Test
    void bin_gateway_started_from_another_folder_with_json_logs_serves_its_mappings_takes_a_push_and_stops_on_sigterm()
            throws Exception {
        Path data = Files.createTempDirectory("gateway-dist-data-");
        int http = FreePorts.next();
        int kafka = FreePorts.next();
        int hazelcast = FreePorts.next();
        String viewerKey = "dist-viewer-key";
        String departmentKey = "dist-xzspj-key";
        List<String> command = new ArrayList<>(List.of(unpacked.resolve("bin/gateway").toString(),
                "--server.port=" + http,
                "--gateway.node-id=dist",
                "--gateway.kafka.embedded.port=" + kafka,
                "--gateway.kafka.embedded.controller-port=" + FreePorts.next(),
                "--gateway.kafka.bootstrap-servers=127.0.0.1:" + kafka,
                "--gateway.hazelcast.port=" + hazelcast,
                "--gateway.hazelcast.members=127.0.0.1:" + hazelcast,
                "--gateway.hazelcast.cluster-name=dist-" + hazelcast,
                "--gateway.feeds.swj.kafka.enabled=false",
                "--gateway.access.viewers.watch[0]=" + ApiKeys.hash(viewerKey),
                "--gateway.access.departments.XZSPJ[0]=" + ApiKeys.hash(departmentKey),
                "--logging.structured.format.console=ecs"));
        Path log = data.resolve("gateway.log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(new File("/")).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        // JAVA_OPTS replaces the script's default heap, as a deployer's would; the rest are the test JVMs' own flags
        // (C1 only, serial collector), which halve the CPU this start costs the suite and change nothing it checks,
        // and the test JVM's temporary directory
        builder.environment().put("JAVA_OPTS", "-Xmx512m " + TestJvmFlags.line());
        builder.environment().put("GATEWAY_DATA_DIR", data.toString());
        Process gateway = builder.start();
        String base = "http://127.0.0.1:" + http;
        try {
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> ready(base) || !gateway.isAlive());
            assertThat(gateway.isAlive()).as("the gateway runs; its output:%n%s", tail(log)).isTrue();
            Http.Response mappings = Http.get(base + "/api/v1/mappings", viewerKey);
            assertThat(mappings.status()).as(mappings.body()).isEqualTo(200);
            assertThat(mappings.body()).contains("xzspj-licences").contains("zjfy-defaulters");
            assertThat(data.resolve("kafka")).as("the data went to GATEWAY_DATA_DIR").isDirectory();

            // the access filter logs the path of a refused call: here with a person's ID number in it
            assertThat(Http.get(base + "/api/v1/receipts/" + ID_NUMBER, null).status()).isEqualTo(401);
            Http.Response pushed = Http.post(base + "/api/v1/feeds/xzspj/licences", departmentKey,
                    Files.readAllBytes(Path.of("samples/feeds/rest/xzspj/licences-001.json")), "Content-Type", "application/json");
            assertThat(pushed.status()).as(pushed.body()).isEqualTo(200);
            String receiptId = pushed.json().path("receiptId").asText();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                List<JsonNode> lines = jsonLines(log);
                assertThat(lines).anySatisfy(l -> {
                    assertThat(l.path("message").asText()).contains("authentication failed").contains(ID_NUMBER.substring(0, 6));
                    assertThat(l.path("log").path("level").asText()).isEqualTo("WARN");
                });
                assertThat(lines).anySatisfy(l -> {
                    assertThat(l.path("message").asText()).contains("accepted");
                    assertThat(l.path("department").asText()).isEqualTo("XZSPJ");
                    assertThat(l.path("receiptId").asText()).isEqualTo(receiptId);
                    assertThat(l.path("feed").asText()).isEqualTo("xzspj-licences");
                });
            });
        } finally {
            gateway.destroy();
            assertThat(gateway.waitFor(90, TimeUnit.SECONDS)).as("stopped on SIGTERM").isTrue();
        }
        assertThat(gateway.exitValue()).as(tail(log)).isIn(0, 143);
        String all = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(all).doesNotContain(ID_NUMBER);
        // everything the gateway logged is JSON (the banner and the JVM's own warnings are not log lines)
        long textLines = all.lines().filter(l -> l.matches("^\\d{2}:\\d{2}:\\d{2}.*(INFO|WARN|ERROR) .*")).count();
        assertThat(textLines).as("text log lines among the JSON ones").isZero();
        assertThat(jsonLines(log)).hasSizeGreaterThan(20);
    }

    private static List<JsonNode> jsonLines(Path log) throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            if (line.startsWith("{")) {
                lines.add(JSON.readTree(line));
            }
        }
        return lines;
    }

    private static boolean ready(String base) {
        try {
            return Http.get(base + "/actuator/health/readiness", null).status() == 200;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
}
