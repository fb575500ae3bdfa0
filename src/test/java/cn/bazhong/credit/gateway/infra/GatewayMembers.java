package cn.bazhong.credit.gateway.infra;

import com.hazelcast.core.HazelcastInstance;

import java.time.Duration;
import java.util.List;

/**
 * A Hazelcast member configured as the gateway configures its own (the maps' formats, indexes, eviction and
 * expiry), alone on the loopback: for measuring what the gateway's views cost a member.
 */
public final class GatewayMembers {

    private GatewayMembers() {
    }

    /** A single member of cluster {@code name} on {@code port}, with the gateway's defaults (traces kept 30 days, 2,000,000 a node). */
    public static HazelcastInstance alone(String name, int port) {
        return new InfrastructureConfiguration().hazelcast(new HazelcastSettings(name, "127.0.0.1", port,
                List.of("127.0.0.1:" + port), 1, 0, Duration.ofDays(30), 0));
    }
}
