package cn.bazhong.credit.gateway.measures;

import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.infra.TopicProvisioner;
import cn.bazhong.credit.gateway.schema.RecordJson;
import cn.bazhong.credit.gateway.support.FreePorts;
import cn.bazhong.credit.gateway.support.HazelcastMembers;
import cn.bazhong.credit.gateway.support.TestBroker;
import com.hazelcast.core.HazelcastException;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The counters of the checks made at the counters, on a real Hazelcast member and broker: a node passes its
 * counts on in one update per day and department, never loses or doubles one, and counts the checks it has not
 * passed on yet in the reports it answers.
 */
class CheckLogTest {

    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    static final Instant NOON = Instant.parse("2026-12-01T04:00:00Z");
    static final LocalDate DAY = LocalDate.ofInstant(NOON, ZONE);
    static final String TOPIC = "gateway.checks.batched";
    @RegisterExtension
    static final TestBroker KAFKA = new TestBroker("check-log");
    static HazelcastInstance member;

    @BeforeAll
    static void start() {
        TopicProvisioner.ensure(KAFKA.clients(), List.of(TopicProvisioner.topic(TOPIC, 1, (short) 1, Map.of())));
        int port = FreePorts.next();
        member = HazelcastMembers.start("check-log-" + port, port, port);
    }

    @AfterAll
    static void stop() {
        if (member != null) {
            member.shutdown();
        }
    }

    @Test
    void checks_are_counted_once_each_in_one_update_per_day_and_department_and_reports_count_those_not_passed_on_yet() {
        IMap<String, CheckLog.Counts> counters = emptyCounters();
        // a flush interval longer than the test: the test passes the counts on itself
        try (CheckLog log = new CheckLog(member, KAFKA.clients(), TOPIC, Clock.system(ZONE), "t", new SimpleMeterRegistry(), Duration.ofHours(1))) {
            for (int call = 0; call < 100; call++) {
                List<CheckLog.Check> checks = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    boolean hit = i == 0;
                    checks.add(new CheckLog.Check(NOON, call % 2 == 0 ? "GGZY" : "XZSPJ", "M1", "91511900MA62XXXX" + i, hit,
                            hit ? List.of("BLACK") : List.of(), hit ? List.of("MTV-PUBLIC-TRADING") : List.of(), null));
                }
                checks.add(new CheckLog.Check(NOON, null, "M1", "an operator's look", false, List.of(), List.of(), null));
                log.record(checks);
            }

            assertThat(counters.size()).as("nothing passed on before the flush").isZero();
            Map<String, CheckLog.Counts> before = log.totals(DAY, DAY.plusDays(1));
            assertThat(before.get("GGZY").checks()).as("the node's report counts what it has not passed on").isEqualTo(500);
            assertThat(before.get("XZSPJ").hits()).isEqualTo(50);

            log.flush();
            assertThat(counters.keySet()).containsExactlyInAnyOrder(DAY + "|GGZY", DAY + "|XZSPJ");
            assertThat(counters.get(DAY + "|GGZY").checks()).isEqualTo(500);
            assertThat(counters.get(DAY + "|GGZY").byMeasure()).containsExactly(Map.entry("MTV-PUBLIC-TRADING", 50L));
            Map<String, CheckLog.Counts> after = log.totals(DAY, DAY.plusDays(1));
            assertThat(after.get("GGZY").checks()).as("counted once, not once passed on and once pending").isEqualTo(500);
            assertThat(after.get("XZSPJ").measures()).isEqualTo(50);
            assertThat(log.totals(DAY.plusDays(1), DAY.plusDays(2))).as("another day").isEmpty();

            log.record(List.of(new CheckLog.Check(NOON, "GGZY", "M1", "91511900MA62XXXX0", false, List.of(), List.of(), null)));
        }
        // closing passes on what is left
        assertThat(counters.get(DAY + "|GGZY").checks()).isEqualTo(501);

        // every department's check is on the topic, in the order made, and a cluster starting empty counts them again
        Map<String, List<String>> subjects = new java.util.TreeMap<>();
        KAFKA.clients().readToEnd(TOPIC, "check-log-test", r -> {
            try {
                CheckLog.Check c = RecordJson.mapper().readValue(r.value(), CheckLog.Check.class);
                subjects.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(c.subject());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        assertThat(subjects.keySet()).containsExactly("GGZY", "XZSPJ");
        assertThat(subjects.get("GGZY")).hasSize(501);
        assertThat(subjects.get("XZSPJ")).hasSize(500).startsWith("91511900MA62XXXX0", "91511900MA62XXXX1", "91511900MA62XXXX2");
        counters.clear();
        try (CheckLog rebuilt = new CheckLog(member, KAFKA.clients(), TOPIC, Clock.system(ZONE), "t2", new SimpleMeterRegistry(), Duration.ofHours(1))) {
            assertThat(rebuilt.totals(DAY, DAY.plusDays(1)).get("GGZY").checks()).isEqualTo(501);
            assertThat(rebuilt.totals(DAY, DAY.plusDays(1)).get("XZSPJ").hits()).isEqualTo(50);
        }
    }

    @Test
    void with_the_broker_out_of_reach_a_check_is_recorded_without_waiting_still_counted_and_its_loss_from_the_topic_counted() {
        IMap<String, CheckLog.Counts> counters = emptyCounters();
        counters.set("2000-01-01|NOBODY", new CheckLog.Counts()); // counters present: no rebuild from the topic
        KafkaClients unreachable = new KafkaClients("127.0.0.1:" + FreePorts.next(), Map.of());
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        CheckLog log = new CheckLog(member, unreachable, TOPIC, Clock.system(ZONE), "t", registry, Duration.ofHours(1));
        try {
            // a producer without the topic's metadata blocks a send for up to a minute: the answers must not wait
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                for (int call = 0; call < 50; call++) {
                    log.record(checks("GGZY", 2, 1));
                }
            });
            assertThat(log.totals(DAY, DAY.plusDays(1)).get("GGZY").checks()).isEqualTo(100);
            log.flush();
            assertThat(counters.get(DAY + "|GGZY").checks()).isEqualTo(100);
        } finally {
            log.close(Duration.ZERO);
        }
        // none of the hundred reached the topic: each is counted as lost, for the operators' alert
        await().atMost(Duration.ofSeconds(15)).until(() -> registry.counter("gateway.checks.entries.dropped").count() == 100);
        assertThat(registry.counter("gateway.checks.entries.written").count()).isZero();
    }

    @Test
    void an_update_whose_answer_is_lost_after_it_was_applied_is_sent_again_and_counted_once() {
        IMap<String, CheckLog.Counts> counters = emptyCounters();
        String key = DAY + "|GGZY";
        try (CheckLog log = new CheckLog(member, KAFKA.clients(), topicOfItsOwn("lost-answer"), Clock.system(ZONE), "t", new SimpleMeterRegistry(), Duration.ofHours(1))) {
            AtomicInteger answersToLose = new AtomicInteger(1);
            log.counterUpdate((map, k, add) -> {
                map.executeOnKey(k, add);
                if (answersToLose.getAndDecrement() > 0) {
                    throw new HazelcastException("the member applied the update, its answer did not arrive");
                }
            });
            log.record(checks("GGZY", 10, 3));

            assertThatThrownBy(log::flush).isInstanceOf(HazelcastException.class);
            assertThat(counters.get(key).checks()).as("applied, though the node was not told").isEqualTo(10);
            assertThat(log.totals(DAY, DAY.plusDays(1)).get("GGZY").checks()).as("the report counts it once").isEqualTo(10);

            log.record(checks("GGZY", 5, 1));
            assertThat(log.totals(DAY, DAY.plusDays(1)).get("GGZY").checks()).isEqualTo(15);
            log.flush(); // the unconfirmed update again, then the new counts
            assertThat(counters.get(key).checks()).as("sent twice, counted once").isEqualTo(15);
            assertThat(counters.get(key).hits()).isEqualTo(4);
            assertThat(counters.get(key).byMeasure()).containsExactly(Map.entry("MTV-PUBLIC-TRADING", 4L));
            assertThat(log.totals(DAY, DAY.plusDays(1)).get("GGZY").checks()).isEqualTo(15);
        }
        assertThat(counters.get(key).checks()).isEqualTo(15);
    }

    @Test
    void a_report_made_while_a_flush_passes_the_counts_on_still_counts_them() throws Exception {
        emptyCounters();
        try (CheckLog log = new CheckLog(member, KAFKA.clients(), topicOfItsOwn("mid-flush"), Clock.system(ZONE), "t", new SimpleMeterRegistry(), Duration.ofHours(1))) {
            java.util.concurrent.CountDownLatch sending = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            log.counterUpdate((map, k, add) -> {
                sending.countDown(); // taken from the node's pending counts, not yet in the cluster's counters
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                map.executeOnKey(k, add);
            });
            log.record(List.of(new CheckLog.Check(NOON, "GGZY", "M1", "91511900MA62XXXX0", true, List.of("BLACK"), List.of("MTV-PUBLIC-TRADING"), null)));
            java.util.concurrent.CompletableFuture<Void> flush = java.util.concurrent.CompletableFuture.runAsync(log::flush);
            sending.await();

            java.util.concurrent.CompletableFuture<Map<String, CheckLog.Counts>> report =
                    java.util.concurrent.CompletableFuture.supplyAsync(() -> log.totals(DAY, DAY.plusDays(1)));
            try {
                // a report that does not wait for the flush answers now; one that does, once the update is applied
                report.get(500, java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException waitsForTheFlush) {
                // expected: released below
            }
            release.countDown();
            flush.get(30, java.util.concurrent.TimeUnit.SECONDS);
            Map<String, CheckLog.Counts> totals = report.get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(totals).as("the check in flight is neither pending nor applied: it must still be counted").containsKey("GGZY");
            assertThat(totals.get("GGZY").checks()).isEqualTo(1);
            assertThat(totals.get("GGZY").hits()).isEqualTo(1);
        }
    }

    @Test
    void an_update_refused_before_it_was_applied_is_counted_in_the_report_and_applied_by_the_next_flush() {
        IMap<String, CheckLog.Counts> counters = emptyCounters();
        String key = DAY + "|XZSPJ";
        try (CheckLog log = new CheckLog(member, KAFKA.clients(), topicOfItsOwn("refused"), Clock.system(ZONE), "t", new SimpleMeterRegistry(), Duration.ofHours(1))) {
            AtomicInteger refusals = new AtomicInteger(2);
            log.counterUpdate((map, k, add) -> {
                if (refusals.getAndDecrement() > 0) {
                    throw new HazelcastException("no member reachable");
                }
                map.executeOnKey(k, add);
            });
            log.record(checks("XZSPJ", 7, 2));
            assertThatThrownBy(log::flush).isInstanceOf(HazelcastException.class);
            log.record(checks("XZSPJ", 1, 0));
            assertThatThrownBy(log::flush).as("the first update, refused again; the newer counts wait behind it")
                    .isInstanceOf(HazelcastException.class);
            assertThat(counters.containsKey(key)).isFalse();
            assertThat(log.totals(DAY, DAY.plusDays(1)).get("XZSPJ").checks()).isEqualTo(8);

            log.flush();
            assertThat(counters.get(key).checks()).isEqualTo(8);
            assertThat(counters.get(key).hits()).isEqualTo(2);
            assertThat(log.totals(DAY, DAY.plusDays(1)).get("XZSPJ").checks()).isEqualTo(8);
        }
    }

    /** The cluster's counters, emptied: a log starting on them rebuilds them from its topic. */
    private static IMap<String, CheckLog.Counts> emptyCounters() {
        IMap<String, CheckLog.Counts> counters = member.getMap(CheckLog.MAP);
        counters.clear();
        return counters;
    }

    /** A checks topic for one test: a log whose counters are empty at its start rebuilds them from its topic. */
    private static String topicOfItsOwn(String name) {
        String topic = TOPIC + "." + name;
        TopicProvisioner.ensure(KAFKA.clients(), List.of(TopicProvisioner.topic(topic, 1, (short) 1, Map.of())));
        return topic;
    }

    /** {@code n} checks by a department, the first {@code hits} of them on a list with one measure. */
    private static List<CheckLog.Check> checks(String department, int n, int hits) {
        List<CheckLog.Check> checks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            boolean hit = i < hits;
            checks.add(new CheckLog.Check(NOON, department, "M1", "91511900MA62XXXX" + i, hit, hit ? List.of("BLACK") : List.of(),
                    hit ? List.of("MTV-PUBLIC-TRADING") : List.of(), null));
        }
        return checks;
    }
}
