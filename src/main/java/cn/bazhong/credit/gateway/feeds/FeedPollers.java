package cn.bazhong.credit.gateway.feeds;

import org.apache.camel.CamelContext;
import org.apache.camel.Consumer;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.support.ScheduledPollConsumer;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The polled feeds of this node (SFTP, FTP, database): every route whose consumer runs on a
 * {@link FeedSchedule}, with its schedule, whether the route runs here (it runs on the node holding the
 * feed's lease) and when it polls next.
 */
public final class FeedPollers {

    /** One polled feed as this node sees it; {@code nextPoll} is null where it is not polled here. */
    public record Poller(String feed, String routeId, String routeStatus, String schedule, Instant nextPoll) {
    }

    private final CamelContext camel;

    public FeedPollers(CamelContext camel) {
        this.camel = camel;
    }

    public List<Poller> list(Instant now) {
        List<Poller> out = new ArrayList<>();
        for (Route route : camel.getRoutes()) {
            Consumer consumer = route.getConsumer();
            if (consumer instanceof ScheduledPollConsumer polled && polled.getScheduler() instanceof FeedSchedule.Timed timed) {
                ServiceStatus status = camel.getRouteController().getRouteStatus(route.getRouteId());
                out.add(new Poller(timed.feed(), route.getRouteId(), status == null ? null : status.name(), timed.describe(),
                        status == ServiceStatus.Started ? timed.nextPoll(now) : null));
            }
        }
        out.sort(Comparator.comparing(Poller::feed).thenComparing(Poller::routeId));
        return out;
    }
}
