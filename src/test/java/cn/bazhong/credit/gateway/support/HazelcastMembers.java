package cn.bazhong.credit.gateway.support;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;

/** Real Hazelcast members for tests: loopback only, TCP-IP join to the given ports, no multicast. */
public final class HazelcastMembers {

    private HazelcastMembers() {
    }

    /** A member of {@code cluster} on {@code port}, joining the members on {@code all}. */
    public static HazelcastInstance start(String cluster, int port, int... all) {
        Config c = new Config();
        c.setClusterName(cluster);
        c.setProperty("hazelcast.phone.home.enabled", "false");
        c.setProperty("hazelcast.logging.type", "slf4j");
        c.setProperty("hazelcast.wait.seconds.before.join", "0");
        c.getNetworkConfig().setPort(port).setPortAutoIncrement(false);
        c.getNetworkConfig().getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        c.getNetworkConfig().getJoin().getMulticastConfig().setEnabled(false);
        c.getNetworkConfig().getJoin().getAutoDetectionConfig().setEnabled(false);
        for (int p : all) {
            c.getNetworkConfig().getJoin().getTcpIpConfig().setEnabled(true).addMember("127.0.0.1:" + p);
        }
        return Hazelcast.newHazelcastInstance(c);
    }
}
