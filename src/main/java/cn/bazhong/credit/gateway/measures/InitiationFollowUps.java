package cn.bazhong.credit.gateway.measures;

import cn.bazhong.credit.gateway.fanout.DepartmentEvents;
import cn.bazhong.credit.gateway.fanout.FollowUpEvents;
import cn.bazhong.credit.gateway.fanout.OutboundEvent;
import cn.bazhong.credit.gateway.fanout.Subscription;
import cn.bazhong.credit.gateway.lists.ListChange;
import cn.bazhong.credit.gateway.lists.ListChangeEvent;
import cn.bazhong.credit.gateway.schema.Subject;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The joint measures' part of a department's fan-out: after a listing, {@code measure.initiated} (发起: the
 * initiation is opened, or found when the listing comes again); after the exit of a listing initiated at
 * this department, {@code measure.cancelled} (the initiation is cancelled; sent again on a repeat). An initiation keeps
 * the catalog version and the measures' terms it was made with, and every event about it carries those: a catalog
 * changed meanwhile (a measure reworded or dropped) changes what later initiations say, not what was initiated.
 */
public final class InitiationFollowUps implements FollowUpEvents {

    public static final String MEASURE_INITIATED = "measure.initiated";
    public static final String MEASURE_CANCELLED = "measure.cancelled";

    private final Initiations initiations;
    private final DepartmentEvents events;

    public InitiationFollowUps(Initiations initiations, DepartmentEvents events) {
        this.initiations = initiations;
        this.events = events;
    }

    @Override
    public List<OutboundEvent> after(ListChangeEvent change, Subscription subscription) {
        return after(change, subscription, events);
    }

    @Override
    public List<OutboundEvent> after(ListChangeEvent change, Subscription subscription, DepartmentEvents events) {
        String listingId = change.entry().listingId();
        if (listingId == null) {
            return List.of();
        }
        if (ListChange.LISTED.wireName().equals(change.type())) {
            return List.of(initiated(change, subscription, listingId, events));
        }
        if (ListChange.EXITED.wireName().equals(change.type())) {
            String id = Initiations.idOf(listingId, subscription.department());
            return initiations.get(id).map(initiation -> {
                initiations.cancel(id, change.entry().exitReason() == null ? "exited" : change.entry().exitReason());
                return List.of(cancelled(change, subscription, initiation, events));
            }).orElse(List.of());
        }
        return List.of();
    }

    @Override
    public Set<String> idsAfter(Set<String> listings, Set<String> exits, Set<String> departments) {
        Set<String> ids = new LinkedHashSet<>();
        for (String listing : listings) {
            for (String dept : departments) {
                String initiation = Initiations.idOf(listing, dept);
                ids.add(ListChangeEvent.idOf(initiation, listing, MEASURE_INITIATED));
                exits.forEach(exit -> ids.add(ListChangeEvent.idOf(initiation, exit, MEASURE_CANCELLED)));
            }
        }
        return ids;
    }

    private OutboundEvent initiated(ListChangeEvent change, Subscription subscription, String listingId, DepartmentEvents events) {
        String dept = subscription.department();
        // kept as the department may see it, and sealed where that is the full number or a person's name
        Subject subject = change.entry().subject();
        String code = subject == null ? null : subscription.fullIdNumbers() && subject.isPerson() ? subject.idNumber()
                : events.subjectFor(change, subscription).code();
        List<String> measureIds = events.measureIdsFor(change, dept);
        Initiation initiation = initiations.open(dept, listingId, change.entry().recordId(), change.subjectKey(),
                code, subject == null ? null : subject.name(), change.entry().listType(),
                measureIds, change.occurredAt(), events.catalog().version(), events.measures(measureIds, dept));
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("initiationId", initiation.initiationId());
        extra.put("responseDue", initiation.responseDue());
        extra.put("feedbackDue", initiation.feedbackDue());
        return event(events, change, subscription, initiation, ListChangeEvent.idOf(initiation.initiationId(), change.id(), MEASURE_INITIATED),
                MEASURE_INITIATED, extra);
    }

    /** An event about the initiation: with the measures as initiated, or (an initiation from before they were kept) as the catalog says now. */
    private static OutboundEvent event(DepartmentEvents events, ListChangeEvent change, Subscription subscription, Initiation initiation,
                                       String id, String type, Map<String, Object> extra) {
        if (initiation.measures() != null) {
            return events.measureEvent(change, subscription, id, type, initiation.catalogVersion(), initiation.measures(), extra);
        }
        return events.measureEvent(change, subscription, id, type, initiation.measureIds(), extra);
    }

    private OutboundEvent cancelled(ListChangeEvent change, Subscription subscription, Initiation initiation, DepartmentEvents events) {
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("initiationId", initiation.initiationId());
        extra.put("reason", change.entry().exitReason() == null ? "the listing ended" : change.entry().exitReason());
        return event(events, change, subscription, initiation, ListChangeEvent.idOf(initiation.initiationId(), change.id(), MEASURE_CANCELLED),
                MEASURE_CANCELLED, extra);
    }
}
