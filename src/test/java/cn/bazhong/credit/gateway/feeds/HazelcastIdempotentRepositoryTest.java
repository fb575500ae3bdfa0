package cn.bazhong.credit.gateway.feeds;

import com.hazelcast.core.HazelcastInstance;
import cn.bazhong.credit.gateway.support.FreePorts;
import cn.bazhong.credit.gateway.support.HazelcastMembers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The taken-files repository on a real three-member Hazelcast cluster: a file claimed by one node is
 * not taken by another; a file whose reader was killed before it finished is taken over; a finished
 * file stays taken whoever finished it.
 */
class HazelcastIdempotentRepositoryTest {

    private final List<HazelcastInstance> members = new ArrayList<>();

    @AfterEach
    void shutdown() {
        members.forEach(HazelcastInstance::shutdown);
    }

    private List<HazelcastInstance> cluster(int size) {
        String name = "files-" + System.nanoTime();
        int[] ports = new int[size];
        for (int i = 0; i < size; i++) {
            ports[i] = FreePorts.next();
        }
        for (int port : ports) {
            members.add(HazelcastMembers.start(name, port, ports));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> members.get(0).getCluster().getMembers().size() == size);
        return List.copyOf(members);
    }

    /**
     * A wait after a member was terminated. Awaitility fails a wait on an uncaught exception in any thread; a
     * terminated member's own threads may still throw one (a replica sync interrupted by the termination), which
     * says nothing about the survivors.
     */
    private static org.awaitility.core.ConditionFactory awaitAfterTheKill() {
        return await().dontCatchUncaughtExceptions().atMost(Duration.ofSeconds(60));
    }

    @Test
    void a_file_being_read_is_not_taken_by_another_node_but_is_taken_over_when_its_reader_dies() {
        List<HazelcastInstance> nodes = cluster(3);
        HazelcastIdempotentRepository first = new HazelcastIdempotentRepository(nodes.get(0), "sftp-files-taken");
        HazelcastIdempotentRepository second = new HazelcastIdempotentRepository(nodes.get(1), "sftp-files-taken");
        HazelcastIdempotentRepository third = new HazelcastIdempotentRepository(nodes.get(2), "sftp-files-taken");
        String file = "scjgj-penalties/XZCF_20251201_001.csv/123456/1764547200000";

        assertThat(first.add(file)).isTrue();
        assertThat(second.add(file)).isFalse();
        assertThat(second.contains(file)).isTrue();

        nodes.get(0).getLifecycleService().terminate(); // killed in the middle of the file
        members.remove(nodes.get(0));
        awaitAfterTheKill().until(() -> nodes.get(1).getCluster().getMembers().size() == 2);

        assertThat(second.contains(file)).isFalse();
        assertThat(second.add(file)).isTrue();
        assertThat(third.add(file)).isFalse(); // only one taker of the abandoned claim
    }

    @Test
    void a_finished_file_stays_taken_after_the_node_that_finished_it_has_gone() {
        List<HazelcastInstance> nodes = cluster(2);
        HazelcastIdempotentRepository first = new HazelcastIdempotentRepository(nodes.get(0), "sftp-files-taken");
        HazelcastIdempotentRepository second = new HazelcastIdempotentRepository(nodes.get(1), "sftp-files-taken");
        String file = "zjfy-defaulters/SXBZXR_20250310.xml/9876/1741564800000";

        assertThat(first.add(file)).isTrue();
        assertThat(first.confirm(file)).isTrue();
        nodes.get(0).getLifecycleService().terminate();
        members.remove(nodes.get(0));
        awaitAfterTheKill().until(() -> nodes.get(1).getCluster().getMembers().size() == 1);

        assertThat(second.contains(file)).isTrue();
        assertThat(second.add(file)).isFalse();
    }
}
