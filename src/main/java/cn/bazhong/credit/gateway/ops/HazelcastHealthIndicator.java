package cn.bazhong.credit.gateway.ops;

import com.hazelcast.cluster.ClusterState;
import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The node's Hazelcast member is running, its cluster is ACTIVE and large enough to take writes
 * (below {@code gateway.hazelcast.minimum-cluster-size} split-brain protection refuses them). Only
 * local state is read: the check is cheap.
 */
public final class HazelcastHealthIndicator implements HealthIndicator {

    private final HazelcastInstance hazelcast;
    private final int minimumClusterSize;

    public HazelcastHealthIndicator(HazelcastInstance hazelcast, int minimumClusterSize) {
        this.hazelcast = hazelcast;
        this.minimumClusterSize = Math.max(1, minimumClusterSize);
    }

    @Override
    public Health health() {
        try {
            if (!hazelcast.getLifecycleService().isRunning()) {
                return Health.down().withDetail("running", false).withDetail("reason", "the Hazelcast member is not running").build();
            }
            ClusterState state = hazelcast.getCluster().getClusterState();
            int members = hazelcast.getCluster().getMembers().size();
            Member local = hazelcast.getCluster().getLocalMember();
            Health.Builder health;
            if (state != ClusterState.ACTIVE) {
                health = Health.down().withDetail("reason", "the cluster is " + state + ", not ACTIVE");
            } else if (members < minimumClusterSize) {
                health = Health.down().withDetail("reason", "fewer members than the minimum cluster size: writes are refused");
            } else {
                health = Health.up();
            }
            return health
                    .withDetail("running", true)
                    .withDetail("clusterName", hazelcast.getConfig().getClusterName())
                    .withDetail("clusterState", state.name())
                    .withDetail("members", members)
                    .withDetail("minimumClusterSize", minimumClusterSize)
                    .withDetail("localMember", local.getAddress().toString())
                    .build();
        } catch (RuntimeException e) {
            // HazelcastInstanceNotActiveException while it shuts down, among others
            return Health.down(e).withDetail("running", false).build();
        }
    }
}
