package cn.bazhong.credit.gateway.infra;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The gateway's own Kafka topics (the department topics are configured per feed).
 *
 * @param records             every accepted record, before deduplication; sources are acknowledged once a record is here
 * @param upstream            records that passed deduplication: each (record id, version) exactly once
 * @param batches             upstream batches as formed, so a batch is resent with the same id and content after a crash
 * @param upstreamDeadLetters batches the province did not take within the retry budget, replayable
 * @param receipts            what happened to each file, request or message, per source
 * @param partitions          partitions of the gateway's topics (the unit of scale-out)
 * @param replicationFactor   replicas of each partition (1 on one machine, 3 on a cluster)
 */
@ConfigurationProperties(prefix = "gateway.topics")
public record GatewayTopics(
        String records,
        String upstream,
        String batches,
        String upstreamDeadLetters,
        String receipts,
        int partitions,
        short replicationFactor) {
}
