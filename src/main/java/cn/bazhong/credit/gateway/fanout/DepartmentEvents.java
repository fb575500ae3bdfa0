package cn.bazhong.credit.gateway.fanout;

import cn.bazhong.credit.gateway.catalog.Catalog;
import cn.bazhong.credit.gateway.catalog.Measure;
import cn.bazhong.credit.gateway.lists.ListChangeEvent;
import cn.bazhong.credit.gateway.schema.RecordJson;
import cn.bazhong.credit.gateway.schema.Subject;
import com.fasterxml.jackson.core.JsonProcessingException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Turns a list change into the event body one department receives (department-push.md): only for
 * departments implementing a catalog measure that the entry's list type triggers; personal ID numbers
 * masked unless the subscription may have them; every measure with its content and legal basis, taken
 * from the catalog and nowhere else. The catalog is the one in use (the live reload replaces it): the dispatcher
 * {@link #pinned() pins} one version per list change, so that the change's event and its follow-ups agree.
 */
public final class DepartmentEvents {

    private final Supplier<Catalog> catalogs;
    private final cn.bazhong.credit.gateway.privacy.PersonalFields personal;

    public DepartmentEvents(Catalog catalog) {
        this(catalog, cn.bazhong.credit.gateway.privacy.PersonalFields.CLEAR);
    }

    /** @param personal opens the entry's sealed subject: in full for a subscription with {@code fullIdNumbers}, masked for the others */
    public DepartmentEvents(Catalog catalog, cn.bazhong.credit.gateway.privacy.PersonalFields personal) {
        this(() -> catalog, personal);
    }

    /** @param catalogs the catalog in use, asked once per {@link #pinned()} (or per call of an unpinned instance) */
    public DepartmentEvents(Supplier<Catalog> catalogs, cn.bazhong.credit.gateway.privacy.PersonalFields personal) {
        this.catalogs = catalogs;
        this.personal = personal;
    }

    /** The same, bound to the catalog in use now: every event it builds comes from this one version. */
    public DepartmentEvents pinned() {
        Catalog now = catalogs.get();
        return new DepartmentEvents(() -> now, personal);
    }

    /** The catalog this instance builds with (the one in use now, unless {@link #pinned()}). */
    public Catalog catalog() {
        return catalogs.get();
    }

    /** The subject as this subscription may see it: opened, and masked unless it may have full ID numbers. */
    public Subject subjectFor(ListChangeEvent change, Subscription subscription) {
        Subject s = change.entry().subject();
        return subscription.fullIdNumbers() ? personal.open(s) : personal.masked(s);
    }

    /**
     * The department's event, or empty when the change concerns no measure it implements, or was decided
     * in a region the department is not to hear of (a county-level unit hears of its own county's and of
     * the city's and the province's decisions, not of another county's: {@link Catalog#reaches}).
     */
    public Optional<OutboundEvent> forDepartment(ListChangeEvent change, Subscription subscription) {
        Catalog catalog = catalogs.get();
        List<String> measureIds = measureIdsFor(catalog, change, subscription.department());
        if (measureIds.isEmpty() || !catalog.reaches(subscription.department(), regionOf(catalog, change))) {
            return Optional.empty();
        }
        return Optional.of(event(catalog, change, subscription, change.id(), change.type(), measures(catalog, measureIds,
                subscription.department()), Map.of()));
    }

    /** The catalog measures this department applies to entries of the change's list type. */
    public List<String> measureIdsFor(ListChangeEvent change, String department) {
        return measureIdsFor(catalogs.get(), change, department);
    }

    private static List<String> measureIdsFor(Catalog catalog, ListChangeEvent change, String department) {
        boolean legalRep = change.entry().linkedToOrganisation() != null;
        return catalog.triggeredBy(change.entry().listType()).stream()
                .filter(m -> !legalRep || m.legalRepresentatives())
                .filter(m -> m.implementingUnits().contains(department)).map(Measure::id).toList();
    }

    /**
     * A joint-measure event about a list change ({@code measure.initiated}, {@code measure.cancelled}): the
     * change's subject and entry as the department may see them, the measures with content and legal basis,
     * and {@code extra} fields (the initiation's id and deadlines, the reason of a cancellation).
     *
     * @param id the event's id, the same whenever the same event is built again
     */
    public OutboundEvent measureEvent(ListChangeEvent change, Subscription subscription, String id, String type,
                                      List<String> measureIds, Map<String, Object> extra) {
        Catalog catalog = catalogs.get();
        return event(catalog, change, subscription, id, type, measures(catalog, measureIds, subscription.department()), extra);
    }

    /**
     * The same with the measures' terms and catalog version as they were when the initiation was made (kept with it):
     * what a department was told to apply is what it is told to stop, even after the catalog changed or dropped a measure.
     */
    public OutboundEvent measureEvent(ListChangeEvent change, Subscription subscription, String id, String type, String catalogVersion,
                                      List<Map<String, Object>> measures, Map<String, Object> extra) {
        Catalog catalog = catalogs.get();
        Map<String, Object> all = new LinkedHashMap<>(extra);
        all.put("catalogVersion", catalogVersion);
        return event(catalog, change, subscription, id, type, measures, all);
    }

    /** The 行政区划代码 of the unit that decided the change's entry. */
    public String regionOf(ListChangeEvent change) {
        return regionOf(catalogs.get(), change);
    }

    private static String regionOf(Catalog catalog, ListChangeEvent change) {
        return catalog.regionOfDecision(change.entry().decidedByUscc(), change.entry().listType());
    }

    private OutboundEvent event(Catalog catalog, ListChangeEvent change, Subscription subscription, String id, String type,
                                List<Map<String, Object>> measures, Map<String, Object> extra) {
        String dept = subscription.department();
        boolean full = subscription.fullIdNumbers();
        Subject subject = subjectFor(change, subscription);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", id);
        body.put("type", type);
        body.put("occurredAt", change.occurredAt());
        body.put("department", dept);
        body.put("catalogVersion", catalog.version());
        body.put("subject", subject);
        body.put("entry", change.entry().publicView(full));
        body.put("region", regionOf(catalog, change));
        body.put("measures", measures);
        body.putAll(extra);
        try {
            return new OutboundEvent(id, type, dept, subject == null ? null : subject.code(), change.occurredAt(),
                    RecordJson.mapper().writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("event " + id + " could not be written as JSON", e);
        }
    }

    /**
     * The measures a push to {@code department} carries, each with id, content, legal basis and implementing
     * unit. Refuses a measure id the catalog does not have, one without a legal basis, and one the
     * department does not implement: such a push is never sent.
     */
    public List<Map<String, Object>> measures(List<String> measureIds, String department) {
        return measures(catalogs.get(), measureIds, department);
    }

    private static List<Map<String, Object>> measures(Catalog catalog, List<String> measureIds, String department) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String id : measureIds) {
            Measure m = catalog.measure(id);
            if (m == null) {
                throw new UncataloguedMeasureException("measure " + id + " is not in catalog " + catalog.version()
                        + "; a push may only carry catalogued measures");
            }
            if (m.legalBasis() == null || m.legalBasis().isBlank()) {
                throw new UncataloguedMeasureException("measure " + id + " has no legal basis in catalog " + catalog.version());
            }
            if (!m.implementingUnits().contains(department)) {
                throw new UncataloguedMeasureException("measure " + id + " is not applied by " + department
                        + " in catalog " + catalog.version());
            }
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("measureId", m.id());
            d.put("type", m.type().name());
            d.put("content", m.content());
            d.put("legalBasis", m.legalBasis());
            d.put("implementingUnit", department);
            d.put("listedBy", m.listedBy());
            d.put("evidence", m.evidence());
            d.put("duration", m.duration());
            d.values().removeIf(java.util.Objects::isNull);
            out.add(d);
        }
        return out;
    }
}
