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
 * deduplication, the same topic the list state and the upstream batches read): penalties and licences
 * are summarised under their subject's key, withdrawals remove them, list entries are skipped unread.
 *
 * <p>The view is not the record of anything: how far it is complete is kept beside it, per partition,
 * in Hazelcast ({@value #WATERMARKS}, {@link ViewStage}): a view lost with the whole cluster is rebuilt
 * from the start of the topic (which is kept forever), and a view that survived is not read twice. Writes
 * are idempotent (by record id), so a repeat after a crash between a write and its mark changes nothing.
 */
public class SubjectRecordsStage extends ViewStage {

    public static final String GROUP = "gateway-subject-records";
    static final String WATERMARKS = "subject-records-watermarks";

    private final SubjectKeys keys;
    private final SubjectRecords view;
    private final Clock clock;
    private final java.util.function.Consumer<CreditRecord> accepted;

    /** @param accepted told of every penalty and licence read (not of withdrawals), e.g. for the 双公示 timeliness */
    public SubjectRecordsStage(KafkaClients clients, GatewayTopics topics, SubjectKeys keys, SubjectRecords view, HazelcastInstance hazelcast,
                               Clock clock, String nodeId, java.util.function.Consumer<CreditRecord> accepted) {
        super("subject-records-stage", clients, topics.upstream(), GROUP, "subject-records-" + nodeId, 2000,
                hazelcast.<String, Long>getMap(WATERMARKS));
        this.accepted = accepted;
        this.keys = keys;
        this.view = view;
        this.clock = clock;
    }

    @Override
    protected void apply(ConsumerRecords<String, byte[]> polled) {
        LocalDate today = LocalDate.now(clock);
        for (ConsumerRecord<String, byte[]> r : polled) {
            apply(r, today);
        }
    }

    private void apply(ConsumerRecord<String, byte[]> r, LocalDate today) {
        String kind = RecordEnvelope.headline(r).kind();
        if (!RecordKind.ADMIN_PENALTY.name().equals(kind) && !RecordKind.ADMIN_LICENSE.name().equals(kind)) {
            return;
        }
        CreditRecord record = RecordEnvelope.read(r).record();
        if (record.subject() == null) {
            return;
        }
        String subjectKey = keys.of(record.subject());
        if (record.operation() == Operation.WITHDRAW) {
            view.remove(subjectKey, record.recordId(), today);
        } else {
            view.put(subjectKey, summary(record), today);
            accepted.accept(record);
        }
    }

    static SubjectRecord summary(CreditRecord record) {
        String department = record.provenance() == null ? null : record.provenance().department();
        String channel = record.provenance() == null ? null : record.provenance().channel();
        java.time.Instant received = record.provenance() == null ? null : record.provenance().receivedAt();
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
