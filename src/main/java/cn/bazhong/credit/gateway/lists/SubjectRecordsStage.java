package cn.bazhong.credit.gateway.lists;

import cn.bazhong.credit.gateway.infra.GatewayTopics;
import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.infra.ViewStage;
import cn.bazhong.credit.gateway.ingest.RecordEnvelope;
import cn.bazhong.credit.gateway.schema.AdminLicense;
import cn.bazhong.credit.gateway.schema.AdminPenalty;
import cn.bazhong.credit.gateway.schema.CreditRecord;
import cn.bazhong.credit.gateway.schema.Operation;
import cn.bazhong.credit.gateway.schema.RecordKind;
import com.hazelcast.core.HazelcastInstance;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;

import java.time.Clock;
import java.time.LocalDate;

/**
 * Feeds {@link SubjectRecords} from the topic of accepted records (every record that passed
 * deduplication, the same topic the list state and the upstream batches read): penalties, licences and
 * written commitments are summarised under their subject's key (commitments also in {@link Commitments},
 * by record id, for their accepting units), withdrawals remove them, list entries are skipped unread.
 *
 * <p>The view is not the record of anything: how far it is complete is kept beside it, per partition,
 * in Hazelcast ({@value #WATERMARKS}, {@link ViewStage}): a view lost with the whole cluster is rebuilt
 * from the start of the topic (which keeps at least the view's years, {@code gateway.topics.upstream-retention}),
 * and a view that survived is not read twice. Writes
 * are idempotent (by record id), so a repeat after a crash between a write and its mark changes nothing.
 */
public class SubjectRecordsStage extends ViewStage {

    public static final String GROUP = "gateway-subject-records";
    static final String WATERMARKS = "subject-records-watermarks";

    private final SubjectKeys keys;
    private final SubjectRecords view;
    private final Clock clock;
    private final java.util.function.Consumer<java.util.List<CreditRecord>> accepted;
    private final Commitments commitments;
    private LocalDate commitmentsTrimmed;
    private final cn.bazhong.credit.gateway.privacy.PersonalFields personal;

    /**
     * @param accepted told of the penalties and licences of each poll (not of withdrawals), in their order, once the poll is
     *                 applied and before it is marked read, e.g. for the 双公示 timeliness
     */
    public SubjectRecordsStage(KafkaClients clients, GatewayTopics topics, SubjectKeys keys, SubjectRecords view, HazelcastInstance hazelcast,
                               Clock clock, String nodeId, java.util.function.Consumer<java.util.List<CreditRecord>> accepted) {
        this(clients, topics, keys, view, hazelcast, clock, nodeId, accepted, null, cn.bazhong.credit.gateway.privacy.PersonalFields.CLEAR);
    }

    /**
     * @param commitments the accepting units' view of written commitments (null: commitments go to the subjects' view only)
     * @param personal    opens a person's sealed ID number to show it masked in {@code commitments}
     */
    public SubjectRecordsStage(KafkaClients clients, GatewayTopics topics, SubjectKeys keys, SubjectRecords view, HazelcastInstance hazelcast,
                               Clock clock, String nodeId, java.util.function.Consumer<java.util.List<CreditRecord>> accepted, Commitments commitments,
                               cn.bazhong.credit.gateway.privacy.PersonalFields personal) {
        super("subject-records-stage", clients, topics.upstream(), GROUP, "subject-records-" + nodeId, 2000,
                hazelcast.<String, Long>getMap(WATERMARKS));
        requireRetentionCovers(topics, view.years());
        this.accepted = accepted;
        this.commitments = commitments;
        this.personal = personal;
        this.keys = keys;
        this.view = view;
        this.clock = clock;
    }

    /** The view is rebuilt from the upstream topic: it must keep at least the view's years (zero or less: for ever). */
    static void requireRetentionCovers(GatewayTopics topics, int years) {
        java.time.Duration kept = topics.upstreamRetention();
        if (!kept.isZero() && !kept.isNegative() && kept.compareTo(java.time.Duration.ofDays(366L * years)) < 0) {
            throw new IllegalArgumentException("gateway.topics.upstream-retention (" + kept.toDays() + " days) is shorter than "
                    + "gateway.subjects.records-years (" + years + " years, " + 366L * years + " days): the subjects' view is "
                    + "rebuilt from " + topics.upstream() + " after a full restart and would lose its older records");
        }
    }

    @Override
    protected void apply(ConsumerRecords<String, byte[]> polled) {
        LocalDate today = LocalDate.now(clock);
        if (commitments != null && !today.equals(commitmentsTrimmed)) {
            // once a day: commitments signed before the kept years leave the units' view, as they leave the subjects'
            commitments.dropBefore(today.minusYears(view.years()));
            commitmentsTrimmed = today;
        }
        java.util.List<CreditRecord> taken = new java.util.ArrayList<>();
        java.util.List<SubjectRecords.Change> changes = new java.util.ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : polled) {
            apply(r, changes, taken);
        }
        view.apply(changes, today); // pipelined, in the records' order per subject
        if (!taken.isEmpty()) {
            accepted.accept(taken); // once per poll: the timeliness makes a few cluster calls for all of them
        }
    }

    private void apply(ConsumerRecord<String, byte[]> r, java.util.List<SubjectRecords.Change> changes, java.util.List<CreditRecord> taken) {
        String kind = RecordEnvelope.headline(r).kind();
        boolean commitment = RecordKind.COMMITMENT.name().equals(kind);
        if (!RecordKind.ADMIN_PENALTY.name().equals(kind) && !RecordKind.ADMIN_LICENSE.name().equals(kind) && !commitment) {
            return;
        }
        CreditRecord record = RecordEnvelope.read(r).record();
        if (record.subject() == null) {
            return;
        }
        String subjectKey = keys.of(record.subject());
        if (record.operation() == Operation.WITHDRAW) {
            changes.add(new SubjectRecords.Change(subjectKey, null, record.recordId()));
            if (commitment && commitments != null) {
                commitments.remove(record.recordId());
            }
        } else if (commitment) {
            changes.add(new SubjectRecords.Change(subjectKey, summary(record), null));
            if (commitments != null) {
                commitments.put(row(record, personal));
            }
        } else {
            changes.add(new SubjectRecords.Change(subjectKey, summary(record), null));
            taken.add(record);
        }
    }

    /** A commitment as its accepting unit's list shows it: a person's ID number masked, a person's name left out. */
    static CommitmentRow row(CreditRecord record, cn.bazhong.credit.gateway.privacy.PersonalFields personal) {
        cn.bazhong.credit.gateway.schema.Commitment c = record.commitment();
        cn.bazhong.credit.gateway.schema.Subject s = record.subject();
        String department = record.provenance() == null ? null : record.provenance().department();
        String channel = record.provenance() == null ? null : record.provenance().channel();
        java.time.Instant received = record.provenance() == null ? null : record.provenance().receivedAt();
        // the record id holds the accepting unit's credit code and the number, never the subject's ID number
        return new CommitmentRow(record.recordId(), personal.code(s, false), s.isPerson() ? null : s.name(), c.number(), c.matter(),
                mask(c.content()), c.committedOn(), c.deadline(), c.status(), c.closedOn(),
                c.acceptedBy() == null ? null : c.acceptedBy().name(), c.acceptedBy() == null ? null : c.acceptedBy().uscc(),
                department, channel, received);
    }

    private static String mask(String text) {
        return text == null ? null : cn.bazhong.credit.gateway.validation.IdNumbers.maskAll(text);
    }

    static SubjectRecord summary(CreditRecord record) {
        String department = record.provenance() == null ? null : record.provenance().department();
        String channel = record.provenance() == null ? null : record.provenance().channel();
        java.time.Instant received = record.provenance() == null ? null : record.provenance().receivedAt();
        if (record.commitment() != null) {
            cn.bazhong.credit.gateway.schema.Commitment c = record.commitment();
            return new SubjectRecord(record.recordId(), record.version(), record.kind().name(), c.number(), c.committedOn(),
                    c.deadline(), join(c.matter(), c.content()), c.acceptedBy() == null ? null : c.acceptedBy().name(),
                    c.acceptedBy() == null ? null : c.acceptedBy().uscc(), department, channel, received,
                    c.status() == null ? cn.bazhong.credit.gateway.schema.Commitment.OPEN : c.status(), c.closedOn());
        }
        if (record.penalty() != null) {
            AdminPenalty p = record.penalty();
            String kinds = p.kinds() == null ? "" : String.join("、", p.kinds());
            return new SubjectRecord(record.recordId(), record.version(), record.kind().name(), p.decisionNo(), p.decisionDate(),
                    p.publicityUntil(), join(kinds, p.content()), p.authority() == null ? null : p.authority().name(),
                    p.authority() == null ? null : p.authority().uscc(), department, channel, received);
        }
        AdminLicense l = record.licence();
        return new SubjectRecord(record.recordId(), record.version(), record.kind().name(), l.decisionNo(), l.decisionDate(),
                l.longTerm() ? null : l.validTo(), join(l.documentName(), l.content()), l.authority() == null ? null : l.authority().name(),
                l.authority() == null ? null : l.authority().uscc(), department, channel, received);
    }

    /** The two texts joined; an ID number written into a penalty's or licence's free text is masked. */
    private static String join(String a, String b) {
        String joined = a == null || a.isBlank() ? b : b == null || b.isBlank() ? a : a + "：" + b;
        return joined == null ? null : cn.bazhong.credit.gateway.validation.IdNumbers.maskAll(joined);
    }
}
