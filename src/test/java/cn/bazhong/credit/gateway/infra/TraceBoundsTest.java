package cn.bazhong.credit.gateway.infra;

import cn.bazhong.credit.gateway.ingest.RecordTraces;
import cn.bazhong.credit.gateway.support.FreePorts;
import com.hazelcast.core.HazelcastInstance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Record traces take bounded memory on each member, whatever the number of records traced, and a
 * stalled Hazelcast does not hold up the records being traced.
 */
class TraceBoundsTest {

    private HazelcastInstance member;

    @AfterEach
    void stop() {
        if (member != null) {
            member.shutdown();
        }
    }

    @Test
    void a_member_keeps_at_most_its_share_of_traces_and_the_most_recent_ones() {
        int port = FreePorts.next();
        member = new InfrastructureConfiguration().hazelcast(new HazelcastSettings("traces-" + port, "127.0.0.1", port,
                List.of("127.0.0.1:" + port), 1, 0, Duration.ofDays(1), 2710));
        RecordTraces traces = new RecordTraces(member, Clock.systemUTC());

        for (int chunk = 0; chunk < 40; chunk++) {
            RecordTraces.Steps steps = traces.steps();
            for (int i = 0; i < 500; i++) {
                int n = chunk * 500 + i;
                steps.dedupDecision("SCJGJ:ADMIN_PENALTY:r" + n, "v1", "new version: forwarded upstream");
            }
            steps.write();
        }

        // Hazelcast evicts per partition, by sampling (the least recently used of 15 entries goes): a few of the newest
        // go too when they share their millisecond with the entries sampled beside them (40-94 of the last 500 measured,
        // with 271 partitions and with 31), so the newest traces are kept for the most part, not each of them
        await().atMost(Duration.ofSeconds(30)).until(() -> present(traces, 19_500, 20_000) >= 300);
        int kept = member.getMap(HazelcastMaps.TRACES).size();
        int partitions = member.getPartitionService().getPartitions().size();
        // 2,710 spread over the partitions, each evicted as it goes past its share
        assertThat(kept).isLessThanOrEqualTo(2710 + partitions).isGreaterThan(1000);
        assertThat(present(traces, 0, 500)).as("traces of the oldest 500 records still kept").isLessThan(50);
        String recent = java.util.stream.IntStream.range(19_500, 20_000).mapToObj(n -> "SCJGJ:ADMIN_PENALTY:r" + n)
                .filter(id -> traces.find(id) != null).findFirst().orElseThrow();
        assertThat(traces.find(recent)).singleElement().satisfies(step -> assertThat(step.step()).isEqualTo("dedup"));
        assertThat(traces.dropped()).isZero();
    }

    /** How many of the records {@code from} (inclusive) to {@code to} have a trace. */
    private static int present(RecordTraces traces, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            if (traces.find("SCJGJ:ADMIN_PENALTY:r" + i) != null) {
                n++;
            }
        }
        return n;
    }

    @Test
    void a_province_message_quoting_a_persons_id_number_is_kept_in_the_trace_only_masked() {
        int port = FreePorts.next();
        member = new InfrastructureConfiguration().hazelcast(new HazelcastSettings("traces-mask-" + port, "127.0.0.1", port,
                List.of("127.0.0.1:" + port), 1, 0, Duration.ofDays(1), 0));
        RecordTraces traces = new RecordTraces(member, Clock.systemUTC());

        traces.steps().upstreamResult("ZJFY:SX-1", "v1", "B-1", "REJECTED", "E_SUBJECT", "证件号码 511902199001011238 与姓名不符").write();

        await().atMost(Duration.ofSeconds(30)).until(() -> traces.find("ZJFY:SX-1") != null);
        String message = String.valueOf(traces.find("ZJFY:SX-1").get(0).detail().get("message"));
        assertThat(message).doesNotContain("511902199001011238").contains(cn.bazhong.credit.gateway.validation.IdNumber.mask("511902199001011238"));
    }

    @Test
    void a_stalled_hazelcast_costs_the_pipeline_one_wait_then_steps_are_dropped_until_it_catches_up() throws Exception {
        int port = FreePorts.next();
        member = new InfrastructureConfiguration().hazelcast(new HazelcastSettings("traces-stall-" + port, "127.0.0.1", port,
                List.of("127.0.0.1:" + port), 1, 0, Duration.ofDays(1), 0));
        RecordTraces traces = new RecordTraces(member, Clock.systemUTC());
        com.hazelcast.map.IMap<String, String> map = member.getMap(HazelcastMaps.TRACES);
        // writes to keys another thread has locked wait in Hazelcast: more of them than the writer lets be in flight
        int stalled = RecordTraces.MAX_IN_FLIGHT + 100;
        java.util.concurrent.ExecutorService locker = java.util.concurrent.Executors.newSingleThreadExecutor();
        locker.submit(() -> {
            for (int i = 0; i < stalled; i++) {
                map.lock("SCJGJ:ADMIN_PENALTY:s" + i);
            }
        }).get();

        long start = System.nanoTime();
        RecordTraces.Steps steps = traces.steps();
        for (int i = 0; i < stalled; i++) {
            steps.dedupDecision("SCJGJ:ADMIN_PENALTY:s" + i, "v1", "new version: forwarded upstream");
        }
        steps.write();
        RecordTraces.Steps more = traces.steps();
        for (int i = 0; i < 2000; i++) {
            more.dedupDecision("SCJGJ:ADMIN_PENALTY:t" + i, "v1", "new version: forwarded upstream");
        }
        more.write();
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        // one wait of MAX_WAIT, then no more: 2,100 steps were dropped, not waited for one by one
        assertThat(took).isLessThan(RecordTraces.MAX_WAIT.multipliedBy(4));
        assertThat(traces.dropped()).isEqualTo(stalled + 2000 - RecordTraces.MAX_IN_FLIGHT);

        locker.submit(() -> {
            for (int i = 0; i < stalled; i++) {
                map.unlock("SCJGJ:ADMIN_PENALTY:s" + i);
            }
        }).get();
        locker.shutdown();
        // once Hazelcast catches up, steps are stored again
        await().atMost(Duration.ofSeconds(30)).until(() -> traces.find("SCJGJ:ADMIN_PENALTY:s0") != null);
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            traces.steps().dedupDecision("SCJGJ:ADMIN_PENALTY:after", "v1", "new version: forwarded upstream").write();
            return traces.find("SCJGJ:ADMIN_PENALTY:after") != null;
        });
    }
}
