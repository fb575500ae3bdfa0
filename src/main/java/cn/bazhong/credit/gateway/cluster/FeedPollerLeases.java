package cn.bazhong.credit.gateway.cluster;

import org.apache.camel.CamelContext;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.impl.cluster.ClusteredRoutePolicy;
import org.apache.camel.spi.RoutePolicy;

/**
 * The route policy that lets a feed's poller run only on the node leading the feed's namespace.
 * The SFTP route template binds one per route as a template bean and refers to it by its local name:
 * <pre>
 * beans:
 *   - name: pollerLease
 *     type: "#class:cn.bazhong.credit.gateway.cluster.FeedPollerLeases"
 *     factoryMethod: forFeed
 *     constructors: {0: "#bean:kafkaLeaseClusterService", 1: "{{mappingId}}"}
 * route:
 *   routePolicyRef: "{{pollerLease}}"
 * </pre>
 * The route starts when this node becomes the leader, and only if it would have started on its own
 * (a disabled feed stays stopped); it stops, finishing the file in hand, when this node stops being
 * the leader. (Camel's template beans take static factory methods only, hence no instance here.)
 */
public final class FeedPollerLeases {

    private FeedPollerLeases() {
    }

    /** The policy for one feed; the cluster service must already belong to a CamelContext. */
    public static RoutePolicy forFeed(CamelClusterService cluster, String namespace) throws Exception {
        CamelContext camel = cluster.getCamelContext();
        if (camel == null) {
            throw new IllegalStateException("the cluster service " + cluster.getId() + " has not been added to a CamelContext");
        }
        ClusteredRoutePolicy policy = ClusteredRoutePolicy.forNamespace(cluster, namespace);
        policy.setCamelContext(camel);
        return policy;
    }
}
