package cn.bazhong.credit.gateway.resilience;

import cn.bazhong.credit.gateway.support.ForkedGateway;
import cn.bazhong.credit.gateway.support.FreePorts;
import cn.bazhong.credit.gateway.support.FrontEndDatabase;
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
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The gateway is killed with SIGKILL while it reads a department's table page by page, then started
 * again on the same data: the page in hand is read again from the watermark, every row reaches the
 * province, none twice.
 */
class JdbcFeedCrashTest {

    static final FrontEndDatabase DB = FrontEndDatabase.start();
    static final ProvincialSimulator PROVINCE = ProvincialSimulator.start(ProvincialSimulator.Settings.defaults());
    static final int ROWS = 6_000;

    @AfterAll
    static void stop() {
        DB.close();
        PROVINCE.close();
    }

    @Test
    void a_gateway_killed_while_reading_a_table_loses_no_row_and_delivers_none_twice(@TempDir Path tmp) throws Exception {
        int kafka = FreePorts.next();
        Map<String, String> props = new HashMap<>();
        props.put("gateway.node-id", "jdbc-crash");
        props.put("gateway.kafka.embedded.port", String.valueOf(kafka));
        props.put("gateway.kafka.embedded.controller-port", String.valueOf(FreePorts.next()));
        props.put("gateway.kafka.embedded.log-dir", tmp.resolve("kafka").toString());
        props.put("gateway.kafka.bootstrap-servers", "127.0.0.1:" + kafka);
        int hazelcast = FreePorts.next();
        props.put("gateway.hazelcast.port", String.valueOf(hazelcast));
        props.put("gateway.hazelcast.members", "127.0.0.1:" + hazelcast);
        props.put("gateway.hazelcast.cluster-name", "jdbc-crash-" + hazelcast);
        props.put("server.port", String.valueOf(FreePorts.next()));
        props.put("gateway.upstream.base-url", PROVINCE.baseUri().toString());
        props.put("gateway.upstream.batch-size", "500");
        props.put("gateway.upstream.batch-wait", "300ms");
        props.put("gateway.feeds.swj.kafka.enabled", "false");
        // what the crash is about, without the work it does not need: no fan-out, three partitions per topic
        props.put("gateway.fanout.enabled", "false");
        props.put("gateway.topics.partitions", "3");
        String jdbc = "gateway.feeds.jtysj.jdbc.";
        props.put(jdbc + "enabled", "true");
        props.put(jdbc + "url", DB.url());
        props.put(jdbc + "user", FrontEndDatabase.USER);
        props.put(jdbc + "page-size", "100");
        props.put(jdbc + "delay", "300");
        Path log = Files.createDirectories(Path.of("target/crash-test")).resolve("jdbc-gateway-" + System.currentTimeMillis() + ".log");
        String bootstrap = "127.0.0.1:" + kafka;

        DB.insertPenalties(0, ROWS, "91511923E8PR7JY32Q");
        AtomicLong writtenBeforeTheKill = new AtomicLong();
        try (ForkedGateway first = ForkedGateway.start(props, log)) {
            // kill it in the middle of a page (pages of 100 rows): once part of the 21st page's records are written,
            // usually before the page is whole and its watermark stored
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(20)).until(() -> {
                writtenBeforeTheKill.set(TopicOffsets.written(bootstrap, "credit.records"));
                return writtenBeforeTheKill.get() >= 2_050 || !first.isAlive();
            });
            assertThat(first.isAlive()).as("the first gateway is running; see %s", log).isTrue();
            first.kill();
        }
        // (the broker died with the gateway: what it had written is the last count seen before the kill)
        assertThat(writtenBeforeTheKill.get()).as("killed well before the whole table was read").isLessThan(ROWS - 1_000);

        try (ForkedGateway second = ForkedGateway.start(props, log)) {
            await().atMost(Duration.ofMinutes(4)).until(() -> PROVINCE.records().size() >= ROWS || !second.isAlive());
            assertThat(second.isAlive()).as("the restarted gateway is running; see %s", log).isTrue();

            Map<String, Long> deliveries = PROVINCE.records().stream()
                    .collect(Collectors.groupingBy(r -> r.recordId() + "@" + r.version(), Collectors.counting()));
            assertThat(deliveries.values()).as("no record version delivered twice").allMatch(n -> n == 1);
            assertThat(deliveries).hasSize(ROWS);
            assertThat(PROVINCE.records()).hasSize(ROWS);
        }
    }
}
