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
 * @param traceRetention      how long a record's trace is kept; null = 30 days
 * @param tracesPerNode       at most this many record traces per member (the least recently used go
 *                            first, about 1 KB each), whatever the volume; 0 = the default of 2,000,000
 */
@ConfigurationProperties(prefix = "gateway.hazelcast")
public record HazelcastSettings(String clusterName, String bindAddress, int port, List<String> members, int minimumClusterSize,
                                int listNearCacheSize, java.time.Duration traceRetention, int tracesPerNode) {

    public HazelcastSettings {
        listNearCacheSize = listNearCacheSize <= 0 ? 100_000 : listNearCacheSize;
        traceRetention = traceRetention == null ? java.time.Duration.ofDays(30) : traceRetention;
        tracesPerNode = tracesPerNode <= 0 ? 2_000_000 : tracesPerNode;
    }
}
