package cn.bazhong.credit.gateway.ops;

import cn.bazhong.credit.gateway.support.FreePorts;
import cn.bazhong.credit.gateway.support.HazelcastMembers;
import com.hazelcast.cluster.ClusterState;
import com.hazelcast.core.HazelcastInstance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;

/** The hazelcast component over a real one-member cluster. */
class HazelcastHealthIndicatorTest {

    private HazelcastInstance member;

    private HazelcastInstance start() {
        int port = FreePorts.next();
        member = HazelcastMembers.start("ops-health-" + port, port, port);
        return member;
    }

    @AfterEach
    void shutdown() {
        if (member != null) {
            member.shutdown();
        }
    }

    @Test
    void an_active_cluster_is_up_with_its_state_members_and_local_member() {
        HazelcastInstance hz = start();

        Health health = new HazelcastHealthIndicator(hz, 1).health();

        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails()).containsEntry("clusterState", "ACTIVE").containsEntry("members", 1)
                .containsEntry("localMember", hz.getCluster().getLocalMember().getAddress().toString());
    }

    @Test
    void a_cluster_that_is_not_active_is_down() {
        HazelcastInstance hz = start();
        hz.getCluster().changeClusterState(ClusterState.PASSIVE);

        Health health = new HazelcastHealthIndicator(hz, 1).health();

        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails()).containsEntry("clusterState", "PASSIVE");
    }

    @Test
    void a_cluster_smaller_than_its_minimum_size_is_down_because_it_refuses_writes() {
        Health health = new HazelcastHealthIndicator(start(), 2).health();

        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails()).containsEntry("members", 1).containsEntry("minimumClusterSize", 2);
    }

    @Test
    void a_member_that_is_not_running_is_down() {
        HazelcastInstance hz = start();
        hz.shutdown();

        Health health = new HazelcastHealthIndicator(hz, 1).health();

        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails()).containsEntry("running", false);
    }
}
