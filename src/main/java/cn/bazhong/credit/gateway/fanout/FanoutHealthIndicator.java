package cn.bazhong.credit.gateway.fanout;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The fan-out on this node, department by department: channel, whether its dispatcher runs, its last
 * failure, and whether its endpoint is disabled (410). One department's trouble is that department's:
 * the status stays UP (and the node ready) while any department fails; the details and the
 * {@code gateway.fanout.*} metrics say which. {@code sharedFetch} is the node's one fetch of the list changes for all its
 * dispatchers ({@link SharedListChanges}): whether it runs, and the window it holds of each partition.
 */
public final class FanoutHealthIndicator implements HealthIndicator {

    private final FanoutDispatchers dispatchers;
    private final EndpointStates endpoints;
    private final SharedListChanges shared;

    public FanoutHealthIndicator(FanoutDispatchers dispatchers, EndpointStates endpoints, SharedListChanges shared) {
        this.dispatchers = dispatchers;
        this.endpoints = endpoints;
        this.shared = shared;
    }

    @Override
    public Health health() {
        Map<String, Object> details = new LinkedHashMap<>();
        for (DepartmentDispatcher d : dispatchers.all()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("channel", d.sender().describe());
            m.put("running", d.running());
            if (d.lastFailure() != null) {
                m.put("lastFailure", d.lastFailure());
            }
            endpoints.disabled(d.department()).ifPresent(x -> m.put("disabled", x.reason()));
            details.put(d.department(), m);
        }
        Map<String, Object> fetch = new LinkedHashMap<>();
        fetch.put("running", shared.running());
        if (shared.lastFailure() != null) {
            fetch.put("lastFailure", shared.lastFailure());
        }
        fetch.put("partitions", shared.windows());
        details.put("sharedFetch", fetch);
        return Health.up().withDetails(details).build();
    }
}
