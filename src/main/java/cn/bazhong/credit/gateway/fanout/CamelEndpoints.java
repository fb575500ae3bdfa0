package cn.bazhong.credit.gateway.fanout;

import cn.bazhong.credit.gateway.fanout.Subscription.CamelChannel;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Route;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * The Camel side of the {@code camel} channel: the endpoint URI a subscription names (its options passed as
 * {@code RAW(...)}, so that no value needs URL encoding), the check at load that the component exists and takes
 * those options, and the check once the routes are up (when the gateway is ready) that a {@code direct:}/{@code seda:} channel has a route
 * of the integrator's consuming from it.
 */
public final class CamelEndpoints implements SubscriptionsLoader.EndpointCheck {

    /** Components whose endpoints are only a door to a route of the gateway's own context. */
    private static final Set<String> IN_CONTEXT = Set.of("direct", "seda", "disruptor", "disruptor-vm");

    private final CamelContext camel;

    public CamelEndpoints(CamelContext camel) {
        this.camel = camel;
    }

    public CamelContext camel() {
        return camel;
    }

    /** The full endpoint URI: {@code uri?option=RAW(value)&...}, Camel's {{placeholders}} resolved by Camel. */
    public static String uri(CamelChannel channel) {
        if (channel.parameters().isEmpty()) {
            return channel.uri();
        }
        StringJoiner query = new StringJoiner("&", channel.uri() + "?", "");
        for (Map.Entry<String, String> p : channel.parameters().entrySet()) {
            String v = p.getValue();
            query.add(p.getKey() + "=" + (v.contains(")") ? "RAW{" + v + "}" : "RAW(" + v + ")"));
        }
        return query.toString();
    }

    static String component(CamelChannel channel) {
        return channel.uri().substring(0, channel.uri().indexOf(':'));
    }

    /** The endpoint, created (or found) in the gateway's Camel context. */
    public Endpoint endpoint(CamelChannel channel) {
        return camel.getEndpoint(uri(channel));
    }

    @Override
    public String problem(CamelChannel channel) {
        String component = component(channel);
        try {
            if (camel.getComponent(component, true, false) == null) {
                return "no Camel component '" + component + "' on the gateway's class path (a typo, or its jar, "
                        + "e.g. camel-" + component + ", is missing: docs/guide-integrators.md, \"Custom outbound channel\")";
            }
            endpoint(channel); // an unknown or ill-typed option fails here
            return null;
        } catch (RuntimeException e) {
            return "Camel cannot create the endpoint " + channel.uri() + ": " + rootMessage(e);
        }
    }

    /**
     * The {@code direct:}/{@code seda:} channels no route consumes from, one sentence each; empty when all have
     * their route. Asked once the gateway is ready (Camel adds the routes of {@code routes/} after the Spring context is refreshed).
     */
    public List<String> withoutRoute(Subscriptions subscriptions) {
        List<String> problems = new ArrayList<>();
        for (Subscription s : subscriptions.enabled()) {
            if (s.channel() instanceof CamelChannel c && IN_CONTEXT.contains(component(c))) {
                String wanted = endpoint(c).getEndpointBaseUri();
                boolean consumed = camel.getRoutes().stream().map(Route::getEndpoint)
                        .anyMatch(e -> e.getEndpointBaseUri().equals(wanted));
                if (!consumed) {
                    problems.add("the camel channel of " + s.department() + " sends to " + c.uri()
                            + " but no route consumes from it (add a route with from: " + c.uri() + " under routes/; routes loaded: "
                            + camel.getRoutes().stream().map(Route::getRouteId).sorted().toList() + ")");
                }
            }
        }
        return problems;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (t != e && t.getMessage() != null && !m.contains(t.getMessage())) {
            m += " (" + t.getMessage() + ")";
        }
        return m;
    }
}
