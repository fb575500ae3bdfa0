package cn.bazhong.credit.gateway.resilience;

import cn.bazhong.credit.gateway.bench.ScjgjCsvGenerator;
import cn.bazhong.credit.gateway.security.ApiKeys;
import cn.bazhong.credit.gateway.support.ForkedGateway;
import cn.bazhong.credit.gateway.support.FreePorts;
import cn.bazhong.credit.gateway.support.TestSftpServer;
import cn.bazhong.credit.gateway.support.TopicOffsets;
import cn.bazhong.credit.simulators.province.ProvincialSimulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The gateway is killed with SIGKILL while it is in the middle of a large SFTP file, then started
 * again on the same data: every valid record of the file reaches the province, none twice.
 */
class CrashRecoveryTest {

    static final TestSftpServer SFTP = TestSftpServer.start();
    static final ProvincialSimulator PROVINCE = ProvincialSimulator.start(ProvincialSimulator.Settings.defaults());

    @AfterAll
    static void stop() {
        SFTP.close();
        PROVINCE.close();
    }

    @Test
    void a_gateway_killed_in_the_middle_of_a_large_file_loses_nothing_and_delivers_nothing_twice(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("XZCF_20251201_001.csv");
        ScjgjCsvGenerator.Summary summary = ScjgjCsvGenerator.write(file, 20_000, 7L);
        int kafka = FreePorts.next();
        Map<String, String> props = new HashMap<>();
        props.put("gateway.node-id", "crash");
        props.put("gateway.kafka.embedded.port", String.valueOf(kafka));
        props.put("gateway.kafka.embedded.controller-port", String.valueOf(FreePorts.next()));
        props.put("gateway.kafka.embedded.log-dir", tmp.resolve("kafka").toString());
        props.put("gateway.kafka.bootstrap-servers", "127.0.0.1:" + kafka);
        int hazelcast = FreePorts.next();
        props.put("gateway.hazelcast.port", String.valueOf(hazelcast));
        props.put("gateway.hazelcast.members", "127.0.0.1:" + hazelcast);
        props.putAll(cn.bazhong.credit.gateway.support.TestGateway.encryptionProperties()); // the restarted node opens what the first sealed
        props.put("gateway.hazelcast.cluster-name", "crash-" + hazelcast);
        props.put("server.port", String.valueOf(FreePorts.next()));
        props.put("gateway.upstream.base-url", PROVINCE.baseUri().toString());
        props.put("gateway.upstream.batch-size", "500");
        props.put("gateway.upstream.batch-wait", "300ms");
        props.put("gateway.feeds.swj.kafka.enabled", "false");
        // what the crash is about, without the work it does not need: no fan-out, three partitions per topic
        props.put("gateway.fanout.enabled", "false");
        props.put("gateway.topics.partitions", "3");
        props.put("gateway.access.departments.SCJGJ[0]", ApiKeys.hash("crash-test-key"));
        String sftp = "gateway.feeds.scjgj.sftp.";
        props.put(sftp + "enabled", "true");
        props.put(sftp + "host", "127.0.0.1");
        props.put(sftp + "port", String.valueOf(SFTP.port()));
        props.put(sftp + "username", TestSftpServer.USER);
        props.put(sftp + "password", TestSftpServer.PASSWORD);
        props.put(sftp + "known-hosts-file", SFTP.knownHosts().toString());
        props.put(sftp + "delay", "300");
        Path log = Files.createDirectories(Path.of("target/crash-test")).resolve("gateway-" + System.currentTimeMillis() + ".log");

        SFTP.drop("outbox/xzcf", file.getFileName().toString(), Files.readAllBytes(file), true);
        Path source = SFTP.root().resolve("outbox/xzcf").resolve(file.getFileName());
        String bootstrap = "127.0.0.1:" + kafka;

        try (ForkedGateway first = ForkedGateway.start(props, log)) {
            // kill it once part of the file is durable, before the whole file is
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
                    .until(() -> TopicOffsets.written(bootstrap, "credit.records") >= 5_000 || !first.isAlive());
            assertThat(first.isAlive()).as("the first gateway is running; see %s", log).isTrue();
            assertThat(source).as("the file is still being read when the gateway is killed").exists();
            first.kill();
        }
        assertThat(source).as("an interrupted file stays in place").exists();

        try (ForkedGateway second = ForkedGateway.start(props, log)) {
            Path receipt = SFTP.root().resolve("outbox/xzcf/.done").resolve(file.getFileName() + ".receipt.json");
            // the window holds the restart itself (over a minute on a loaded 2-core machine) and the whole file again
            await().atMost(Duration.ofMinutes(4)).until(() -> Files.exists(receipt) || !second.isAlive());
            assertThat(second.isAlive()).as("the restarted gateway is running; see %s", log).isTrue();
            await().atMost(Duration.ofMinutes(4)).until(() -> PROVINCE.records().size() >= summary.expectedAccepted());

            Map<String, Long> deliveries = PROVINCE.records().stream()
                    .collect(Collectors.groupingBy(r -> r.recordId() + "@" + r.version(), Collectors.counting()));
            assertThat(deliveries.values()).as("no record version delivered twice").allMatch(n -> n == 1);
            assertThat(deliveries).hasSize((int) summary.expectedAccepted());
            assertThat(PROVINCE.records()).hasSize((int) summary.expectedAccepted());
        }
    }
}
