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

/** Record traces take bounded memory on each member, whatever the number of records traced. */
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

        await().atMost(Duration.ofSeconds(30)).until(() -> traces.find("SCJGJ:ADMIN_PENALTY:r19999") != null);
        int kept = member.getMap(HazelcastMaps.TRACES).size();
        // 2,710 over 271 partitions: ten per partition, evicted as each partition goes past its share
        assertThat(kept).isLessThanOrEqualTo(2710 + 271).isGreaterThan(1000);
        assertThat(traces.find("SCJGJ:ADMIN_PENALTY:r19999")).singleElement()
                .satisfies(step -> assertThat(step.step()).isEqualTo("dedup"));
        assertThat(traces.dropped()).isZero();
    }
}
