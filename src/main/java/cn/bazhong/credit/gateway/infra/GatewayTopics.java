package cn.bazhong.credit.gateway.infra;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;

import java.time.Duration;

/**
 * The gateway's own Kafka topics (the department topics are configured per feed), and how long the
 * record topics keep what they hold (docs/deployment.md, "Retention and disk").
 *
 * @param records             every accepted record, before deduplication; sources are acknowledged once a record is here
 * @param upstream            records that passed deduplication: each (record id, version) exactly once
 * @param batches             upstream batches as formed, so a batch is resent with the same id and content after a crash
 * @param upstreamDeadLetters batches the province did not take within the retry budget, replayable
 * @param receipts            what happened to each file, request or message, per source
 * @param partitions          partitions of the gateway's topics (the unit of scale-out)
 * @param replicationFactor   replicas of each partition (1 on one machine, 3 on a cluster)
 * @param dedupIndex          the dedup index's durable copy (compacted): one small message per forwarded
 *                            (record id, version), written in the dedup stage's transaction
 * @param recordsRetention    how long {@code records} keeps a record (null: 30 days; zero or less: for ever)
 * @param upstreamRetention   how long {@code upstream} keeps a forwarded version (null: 1830 days; zero or
 *                            less: for ever); at least {@code gateway.subjects.records-years}, whose view is
 *                            rebuilt from it
 * @param batchesRetention    how long {@code batches} keeps a batch (null: 30 days; zero or less: for ever)
 */
@ConfigurationProperties(prefix = "gateway.topics")
public record GatewayTopics(
        String records,
        String upstream,
        String batches,
        String upstreamDeadLetters,
        String receipts,
        int partitions,
        short replicationFactor,
        String dedupIndex,
        Duration recordsRetention,
        Duration upstreamRetention,
        Duration batchesRetention) {

    @ConstructorBinding
    public GatewayTopics {
        dedupIndex = dedupIndex == null ? "credit.dedup-index" : dedupIndex;
        recordsRetention = recordsRetention == null ? Duration.ofDays(30) : recordsRetention;
        upstreamRetention = upstreamRetention == null ? Duration.ofDays(1830) : upstreamRetention;
        batchesRetention = batchesRetention == null ? Duration.ofDays(30) : batchesRetention;
    }

    /** The topics with the default index topic and retentions (tests). */
    public GatewayTopics(String records, String upstream, String batches, String upstreamDeadLetters, String receipts,
                         int partitions, short replicationFactor) {
        this(records, upstream, batches, upstreamDeadLetters, receipts, partitions, replicationFactor, null, null, null, null);
    }

    /** A retention as the topic's {@code retention.ms}: -1 (for ever) for zero or less. */
    public static String retentionMs(Duration retention) {
        return retention.isZero() || retention.isNegative() ? "-1" : Long.toString(retention.toMillis());
    }
}
