package cn.bazhong.credit.gateway.infra;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.util.List;

/**
 * The embedded Hazelcast member each gateway node runs.
 *
 * @param clusterName         members join only a cluster of the same name
 * @param bindAddress         the interface the member listens on
 * @param port                its port (fixed: the other members are configured with it)
 * @param members             TCP-IP join list, {@code host:port}; one machine lists only itself
 * @param minimumClusterSize  split-brain protection: a side with fewer members refuses writes (1 = off)
 * @param listNearCacheSize   subjects whose list entries each node keeps ready, as objects, for the check API
 *                            (least recently asked for go first); 0 = the default of 100,000
 */
@ConfigurationProperties(prefix = "gateway.hazelcast")
public record HazelcastSettings(String clusterName, String bindAddress, int port, List<String> members, int minimumClusterSize,
                                int listNearCacheSize) {

    public HazelcastSettings {
        listNearCacheSize = listNearCacheSize <= 0 ? 100_000 : listNearCacheSize;
    }
}
