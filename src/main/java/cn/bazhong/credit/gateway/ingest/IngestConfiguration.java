package cn.bazhong.credit.gateway.ingest;

import cn.bazhong.credit.gateway.infra.GatewayTopics;
import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.infra.NodeSettings;
import cn.bazhong.credit.gateway.infra.ReceiptSettings;
import cn.bazhong.credit.gateway.infra.TopicProvisioner;
import com.hazelcast.core.HazelcastInstance;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.common.config.TopicConfig;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The collection pipeline's beans. */
@Configuration
@org.springframework.boot.context.properties.EnableConfigurationProperties({RestSettings.class, MappingSettings.class,
        ListIntakeSettings.class})
public class IngestConfiguration {

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemDefaultZone();
    }

    @Bean
    DedupIndex dedupIndex(HazelcastInstance hazelcast) {
        return new DedupIndex(hazelcast);
    }

    @Bean(destroyMethod = "close")
    ReceiptStore receiptStore(KafkaClients clients, GatewayTopics topics, HazelcastInstance hazelcast, Clock clock,
                              ReceiptSettings receipts) {
        ReceiptStore store = new ReceiptStore(clients, topics, hazelcast, receipts.retention(), clock);
        store.rebuildIfEmpty(clients);
        return store;
    }

    @Bean(destroyMethod = "close")
    RecordPublisher recordPublisher(KafkaClients clients, GatewayTopics topics, cn.bazhong.credit.gateway.privacy.PersonalFields personal) {
        return new RecordPublisher(clients, topics, personal);
    }

    @Bean
    IngestMetrics ingestMetrics(MeterRegistry registry, MappingCatalog mappings) {
        IngestMetrics metrics = new IngestMetrics(registry);
        metrics.registerFeeds(mappings.all());
        return metrics;
    }

    @Bean
    RecordTraces recordTraces(HazelcastInstance hazelcast, Clock clock, MeterRegistry registry) {
        RecordTraces traces = new RecordTraces(hazelcast, clock);
        io.micrometer.core.instrument.FunctionCounter.builder("gateway.trace.steps.dropped", traces, RecordTraces::dropped)
                .description("trace steps not stored because Hazelcast did not take them in time")
                .register(registry);
        return traces;
    }

    @Bean(destroyMethod = "close")
    SnapshotLedger snapshotLedger(KafkaClients clients, GatewayTopics topics, cn.bazhong.credit.gateway.privacy.PersonalFields personal,
                                  ListIntakeSettings lists) {
        return new SnapshotLedger(clients, lists.snapshotTopic(), topics.partitions(), topics.replicationFactor(), personal);
    }

    @Bean(destroyMethod = "close")
    PushTransactions pushTransactions(KafkaClients clients,
                                      NodeSettings node, RestSettings rest) {
        return new PushTransactions(clients, node.nodeId(), rest.concurrentPushes(), rest.transactionTimeout(), rest.pushSlotWait());
    }

    @Bean
    IdempotencyKeys idempotencyKeys(KafkaClients clients, GatewayTopics topics, HazelcastInstance hazelcast, Clock clock,
                                    RestSettings rest) {
        String topic = rest.idempotencyKeysTopic();
        Duration retention = rest.idempotencyRetention();
        // the latest of each key is kept, for the retention
        TopicProvisioner.ensure(clients, List.of(TopicProvisioner.topic(topic, topics.partitions(), topics.replicationFactor(),
                Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT + "," + TopicConfig.CLEANUP_POLICY_DELETE,
                        TopicConfig.RETENTION_MS_CONFIG, String.valueOf(retention.toMillis())))));
        IdempotencyKeys keys = new IdempotencyKeys(hazelcast, topic, retention, rest.idempotencyLease(), clock);
        keys.rebuildIfEmpty(clients);
        return keys;
    }

    @Bean("feedPushes")
    FeedPushes feedPushes(MappingCatalog mappings, FeedIngestor ingestor, PushTransactions transactions, IdempotencyKeys keys,
                          RecordPublisher publisher, ReceiptStore receipts, Clock clock,
                          RestSettings rest) {
        return new FeedPushes(mappings, ingestor, transactions, keys, publisher, receipts, rest.idempotencyLease(), clock);
    }

    /** The exits of full snapshots held by the exit guard, and the operators' decisions on them (see its javadoc). */
    @Bean(destroyMethod = "close")
    SnapshotExitHolds snapshotExitHolds(KafkaClients clients, GatewayTopics topics, HazelcastInstance hazelcast, SnapshotLedger ledger,
                                        RecordPublisher publisher, RecordTraces traces, Clock clock, MeterRegistry registry,
                                        ListIntakeSettings lists) {
        SnapshotExitHolds holds = new SnapshotExitHolds(clients, lists.snapshotHoldsTopic(), topics.partitions(), topics.replicationFactor(), hazelcast,
                ledger, publisher, traces, clock, registry);
        holds.rebuildIfEmpty();
        return holds;
    }

    @Bean
    FullSnapshots fullSnapshots(SnapshotLedger ledger, SnapshotExitHolds holds, RecordTraces traces, MeterRegistry registry,
                                ListIntakeSettings lists) {
        return new FullSnapshots(ledger, holds, traces, lists.snapshotExitGuard(), registry);
    }

    /** The order of list-feed messages per record by the source's own time: re-listings with unchanged content. */
    @Bean(destroyMethod = "close")
    ListEntrySequence listEntrySequence(KafkaClients clients, GatewayTopics topics, HazelcastInstance hazelcast, DedupIndex dedup,
                                        ListIntakeSettings lists) {
        ListEntrySequence sequence = new ListEntrySequence(clients, lists.sequenceTopic(), topics.partitions(), topics.replicationFactor(), hazelcast, dedup);
        sequence.rebuildIfEmpty();
        return sequence;
    }

    @Bean
    FeedIngestor feedIngestor(MappingCatalog mappings, RecordPublisher publisher, DedupIndex dedup, ReceiptStore receipts,
                              IngestMetrics metrics, RecordTraces traces, FullSnapshots snapshots, ListEntrySequence sequence,
                              Clock clock) {
        return new FeedIngestor(mappings, publisher, dedup, receipts, metrics, traces, snapshots, sequence, clock);
    }
}
