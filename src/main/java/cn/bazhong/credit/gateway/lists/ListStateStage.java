package cn.bazhong.credit.gateway.lists;

import cn.bazhong.credit.gateway.infra.GatewayTopics;
import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.infra.TransactionalStage;
import cn.bazhong.credit.gateway.ingest.RecordEnvelope;
import cn.bazhong.credit.gateway.schema.CreditRecord;
import cn.bazhong.credit.gateway.schema.ListEntry;
import cn.bazhong.credit.gateway.schema.ListStatus;
import cn.bazhong.credit.gateway.schema.Operation;
import cn.bazhong.credit.gateway.schema.RecordJson;
import cn.bazhong.credit.gateway.schema.RecordKind;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * Keeps the list state and derives the list changes. Every list entry that passed deduplication
 * becomes the entry's new state on the compacted list-state topic (the record of list state) and,
 * when the departments must hear of it, a {@link ListChangeEvent} on the list-changes topic. Both
 * writes and the consumed offsets are one Kafka transaction.
 *
 * <p>The view is updated before that transaction commits. A replay after a crash therefore finds
 * the entry already at the incoming version and re-emits the change stored with it: the same event,
 * with the same id, never a different reading of the same record.
 */
public class ListStateStage extends TransactionalStage {

    public static final String GROUP = "gateway-lists";

    private final ListTopics listTopics;
    private final SubjectKeys keys;
    private final ListView view;
    private final Clock clock;
    private final Objections objections;

    public ListStateStage(KafkaClients clients, GatewayTopics topics, ListTopics listTopics, SubjectKeys keys, ListView view,
                          String nodeId, Clock clock, Objections objections) {
        super("list-state-stage", clients, topics.upstream(), GROUP, "lists-" + nodeId);
        this.objections = objections;
        this.listTopics = listTopics;
        this.keys = keys;
        this.view = view;
        this.clock = clock;
    }

    @Override
    protected void handle(List<ConsumerRecord<String, byte[]>> records, KafkaProducer<String, byte[]> producer) {
        for (ConsumerRecord<String, byte[]> r : records) {
            if (!RecordKind.LIST_ENTRY.name().equals(RecordEnvelope.headline(r).kind())) {
                continue; // penalties and licences: not parsed at all
            }
            CreditRecord record = RecordEnvelope.read(r).record();
            if (record.entry() != null) {
                apply(producer, record);
            }
        }
    }

    private void apply(KafkaProducer<String, byte[]> producer, CreditRecord record) {
        String subjectKey = keys.of(record.subject());
        EntryState before = view.entry(subjectKey, record.recordId());
        EntryState after;
        if (before != null && record.version().equals(before.version())) {
            after = before; // a replay: the view already holds this version and the change decided for it
        } else {
            after = next(before, record, Instant.now(clock), LocalDate.now(clock));
        }
        write(producer, listTopics, subjectKey, after);
        view.put(subjectKey, after);
        if (underObjection(before) || underObjection(after)) {
            objections.track(subjectKey, after); // only an objection filed or ended touches the index
        }
        linkLegalRepresentative(producer, record, after);
    }

    private static boolean underObjection(EntryState state) {
        return state != null && state.status() == ListStatus.UNDER_OBJECTION;
    }

    /** The suffix of the record id under which an organisation's black-list entry is kept against its legal representative. */
    public static final String LEGAL_REP = "#LEGAL_REP";

    /** Whether a record id is that of an organisation's entry kept against one of its persons ({@code #LEGAL_REP}, {@code #PRINCIPAL}, {@code #RESPONSIBLE}). */
    public static boolean isLinked(String recordId) {
        int hash = recordId.lastIndexOf('#');
        return hash > 0 && EntryState.LINK_ROLES.contains(recordId.substring(hash + 1));
    }

    /**
     * An organisation's black-list entry is recorded against the persons behind it whose ID number the source
     * gives (plan item 15: 法定代表人, 主要负责人, 其他负有直接责任人员; keyed like any person, under
     * {@code <recordId>#<ROLE>}), so that the measures the catalog extends to them reach them, and a clerk
     * checking the person sees why. The linked entry follows the organisation's: its changes are derived from
     * the same record, with versions and ids of their own. A person named without an ID number (the court's
     * {@code fddbr}) is not linked here: the organisation's entry names them, flagged name-only, and nobody is
     * ever found by that name alone.
     */
    private void linkLegalRepresentative(KafkaProducer<String, byte[]> producer, CreditRecord record, EntryState org) {
        if (record.subject().isPerson() || org.category() != cn.bazhong.credit.gateway.schema.ListCategory.BLACK) {
            return;
        }
        for (Map.Entry<String, cn.bazhong.credit.gateway.schema.Party> p : record.subject().persons().entrySet()) {
            cn.bazhong.credit.gateway.schema.Party rep = p.getValue();
            if (!rep.hasIdNumber()) {
                continue;
            }
            String suffix = "#" + p.getKey();
            String repKey = keys.person(rep.idNumber());
            String repRecordId = record.recordId() + suffix;
            String version = org.version() + suffix;
            EntryState before = view.entry(repKey, repRecordId);
            EntryState linked = before != null && version.equals(before.version()) ? before
                    : linked(org, rep, p.getKey(), repRecordId, version, before);
            write(producer, listTopics, repKey, linked);
            view.put(repKey, linked);
        }
    }

    static EntryState linked(EntryState org, cn.bazhong.credit.gateway.schema.Party rep, String repRecordId, String version, EntryState before) {
        return linked(org, rep, cn.bazhong.credit.gateway.schema.Subject.LEGAL_REP, repRecordId, version, before);
    }

    static EntryState linked(EntryState org, cn.bazhong.credit.gateway.schema.Party rep, String role, String repRecordId, String version,
                             EntryState before) {
        cn.bazhong.credit.gateway.schema.Subject person = new cn.bazhong.credit.gateway.schema.Subject(
                cn.bazhong.credit.gateway.schema.Subject.PERSON, rep.name(), null, null, null, null, null, null, null,
                rep.idType() == null ? "身份证" : rep.idType(), rep.idNumber());
        java.util.Map<String, String> attributes = new java.util.TreeMap<>(org.attributes() == null ? Map.of() : org.attributes());
        attributes.put("linkedAs", role);
        attributes.put("linkedTo", org.subject().uscc());
        ListChange change = ListChange.between(before, org.status());
        String listingId = change == ListChange.LISTED ? ListChangeEvent.idOf(repRecordId, version, ListChange.LISTED.wireName())
                : before == null ? null : before.listingId();
        return new EntryState(repRecordId, org.listType(), org.category(), org.decidedBy(), org.documentNo(), org.decidedOn(),
                org.validFrom(), org.validTo(), org.status(), org.exitDate(), org.exitReason(), org.basis(), org.reason(), person,
                version, change == null ? null : change.wireName(), change == null ? null : org.changedAt(), listingId,
                org.decidedByUscc(), attributes).after(before);
    }

    /** Writes a state and, when it carries a change, the change event; the sends' results. */
    static List<java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata>> write(
            KafkaProducer<String, byte[]> producer, ListTopics listTopics, String subjectKey, EntryState state) {
        try {
            List<java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata>> sent = new java.util.ArrayList<>(2);
            sent.add(producer.send(new ProducerRecord<>(listTopics.stateTopic(), subjectKey + "|" + state.recordId(),
                    RecordJson.mapper().writeValueAsBytes(state))));
            if (state.change() != null) {
                sent.add(producer.send(new ProducerRecord<>(listTopics.changesTopic(), subjectKey,
                        RecordJson.mapper().writeValueAsBytes(ListChangeEvent.of(subjectKey, state)))));
            }
            return sent;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The state a record moves an entry to, with the change departments are told of (if any). */
    static EntryState next(EntryState before, CreditRecord record, Instant now, LocalDate today) {
        ListEntry e = record.entry();
        ListStatus status = e.status() == null ? ListStatus.ACTIVE : e.status();
        LocalDate exitDate = e.exitDate();
        String exitReason = e.exitReason();
        if (record.operation() == Operation.WITHDRAW) {
            // the listing unit revoked the decision: an exit, kept as history rather than deleted
            status = ListStatus.EXITED;
            exitDate = exitDate == null ? today : exitDate;
            exitReason = "WITHDRAWN";
        }
        if (status != ListStatus.EXITED && e.validTo() != null && today.isAfter(e.validTo())) {
            // arrived after its validity ended: it is an exit already, not a listing
            status = ListStatus.EXITED;
            exitDate = e.validTo().plusDays(1);
            exitReason = "EXPIRED";
        }
        ListChange change = ListChange.between(before, status);
        String listingId = change == ListChange.LISTED
                ? ListChangeEvent.idOf(record.recordId(), record.version(), ListChange.LISTED.wireName())
                : before == null ? null : before.listingId();
        return new EntryState(record.recordId(), e.listType(), e.category(),
                e.decidedBy() == null ? null : e.decidedBy().name(), e.documentNo(), e.decidedOn(), e.validFrom(), e.validTo(),
                status, exitDate, exitReason, e.basis(), e.reason(), record.subject(), record.version(),
                change == null ? null : change.wireName(), change == null ? null : now, listingId,
                e.decidedBy() == null ? null : e.decidedBy().uscc(), e.attributes()).after(before);
    }

    /**
     * As {@link #rebuild}, on a thread of its own while the node goes on starting ({@link ListView#fillMeanwhile}):
     * the node answers its health and takes pushes meanwhile; whoever reads the view waits for it or is refused, the
     * stage and the expiry sweep wait for it before they change it.
     */
    public static void rebuildMeanwhile(KafkaClients clients, String stateTopic, ListView view, Objections objections) {
        objections.filledWith(view);
        view.fillMeanwhile(() -> rebuild(clients, stateTopic, view, objections));
    }

    /**
     * Fills the view from the compacted list-state topic after a full cluster restart, once for the cluster
     * ({@link ListView#fillOnce}: a node starting meanwhile waits for the fill), then counts
     * the subjects of each list type once ({@link ListTypeTotals}), while the node goes on starting. A view that holds subjects but no counts
     * (the counts were lost on their own, or the view was written before they were kept, and its values
     * may not know their keys yet: they are given them first) is counted too.
     */
    public static void rebuild(KafkaClients clients, String stateTopic, ListView view, Objections objections) {
        long started = System.nanoTime();
        if (view.fillOnce(() -> new ListViewRebuild(view, objections).fillFrom(clients, stateTopic))) {
            org.slf4j.LoggerFactory.getLogger(ListStateStage.class).info("list view filled from {}: {} subjects in {} ms",
                    stateTopic, view.size(), (System.nanoTime() - started) / 1_000_000);
            view.recountTotalsMeanwhile(); // the stage and the expiry sweep wait for it before they change the view
        } else if (!view.isEmpty() && view.totals().isEmpty()) {
            view.keyEveryValue();
            view.recountTotals();
        }
    }

    /** The view's list-type totals are counted before the first change ({@link ListView#awaitCounted}). */
    @Override
    protected void beforeConsuming() {
        view.awaitCounted();
    }
}
