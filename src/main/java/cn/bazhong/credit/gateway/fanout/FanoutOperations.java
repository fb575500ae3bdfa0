package cn.bazhong.credit.gateway.fanout;

import cn.bazhong.credit.gateway.lists.ListChange;
import cn.bazhong.credit.gateway.lists.ListChangeEvent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * What operators do with the fan-out: see each department's channel and state, enable an endpoint
 * that answered 410 again, list and replay dead letters, replay a department from a point in time,
 * and ask what each department got of one event.
 */
public final class FanoutOperations {

    private final FanoutDispatchers dispatchers;
    private final java.util.function.Supplier<cn.bazhong.credit.gateway.catalog.Catalog> catalog;
    private final EndpointStates endpoints;
    private final FanoutDeadLetters deadLetters;
    private final FanoutReplay replay;
    private final DeliveryLog log;
    private final FollowUpEvents followUps;

    /** @param catalog the catalog in use, which decides the list types each department receives */
    public FanoutOperations(FanoutDispatchers dispatchers, EndpointStates endpoints,
                            java.util.function.Supplier<cn.bazhong.credit.gateway.catalog.Catalog> catalog,
                            FanoutDeadLetters deadLetters, FanoutReplay replay, DeliveryLog log, FollowUpEvents followUps) {
        this.dispatchers = dispatchers;
        this.catalog = catalog;
        this.endpoints = endpoints;
        this.deadLetters = deadLetters;
        this.replay = replay;
        this.log = log;
        this.followUps = followUps;
    }

    /** Every subscribed department: channel, whether it delivers, disabled (410) or failing on this node. */
    public List<Map<String, Object>> departments() {
        List<Map<String, Object>> out = new ArrayList<>();
        cn.bazhong.credit.gateway.catalog.Catalog now = catalog.get();
        for (Subscription s : dispatchers.subscriptions().byDepartment().values()) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("department", s.department());
            d.put("channel", dispatchers.of(s.department()).map(x -> x.sender().describe()).orElse(s.channel().toString()));
            d.put("enabled", s.enabled());
            d.put("fullIdNumbers", s.fullIdNumbers());
            d.put("listTypes", now.listTypesWatchedBy(s.department()));
            endpoints.disabled(s.department()).ifPresent(x -> d.put("disabled", x));
            dispatchers.of(s.department()).map(DepartmentDispatcher::lastFailure).ifPresent(f -> d.put("lastFailure", f));
            out.add(d);
        }
        return out;
    }

    public boolean enable(String department) {
        subscription(department);
        return endpoints.enable(department);
    }

    public List<FanoutDeadLetters.Entry> deadLetters(String department) {
        subscription(department);
        return deadLetters.list(department);
    }

    /** Replays one dead letter, or with a null id every one not replayed yet; how many. */
    public int replayDeadLetters(String department, String eventId) {
        subscription(department);
        return deadLetters.replay(department, eventId);
    }

    public int replaySince(String department, Instant from) {
        return replay.since(subscription(department), from);
    }

    public Map<String, DeliveryLog.Line> deliveries(String eventId) {
        return log.of(eventId, dispatchers.subscriptions().byDepartment().keySet());
    }

    /**
     * What each department got of the events one record caused, as far as the delivery log still holds
     * them: the list changes of these versions of the record (listed, updated, objection, exit, and the
     * gateway's own exit at the end of validity), and the {@code measure.initiated} and
     * {@code measure.cancelled} events sent with them. Every event id is derived as the dispatcher derives
     * it ({@link ListChangeEvent#idOf}, {@link Initiations#idOf}), so nothing beyond the log is read.
     */
    public List<DeliveryLog.Line> deliveriesOfRecord(String recordId, Collection<String> versions) {
        Set<String> departments = dispatchers.subscriptions().byDepartment().keySet();
        Set<String> listed = new LinkedHashSet<>();
        Set<String> exited = new LinkedHashSet<>();
        Set<String> eventIds = new LinkedHashSet<>();
        for (String version : versions) {
            for (String v : List.of(version, "expired:" + version)) {
                for (ListChange change : ListChange.values()) {
                    String id = ListChangeEvent.idOf(recordId, v, change.wireName());
                    eventIds.add(id);
                    if (change == ListChange.LISTED) {
                        listed.add(id);
                    } else if (change == ListChange.EXITED) {
                        exited.add(id);
                    }
                }
            }
        }
        eventIds.addAll(followUps.idsAfter(listed, exited, departments));
        return log.of(eventIds, departments);
    }

    private Subscription subscription(String department) {
        return dispatchers.subscriptions().of(department).orElseThrow(() -> new NoSuchElementException("no subscription for department " + department));
    }
}
