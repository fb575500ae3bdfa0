package cn.bazhong.credit.gateway.schema;

import java.time.Instant;

/**
 * Where a record came from and how it was mapped. Exactly one of the locator groups is set:
 * file + position (SFTP, dry-run), requestId + position (REST), or topic/partition/offset (Kafka).
 */
public record Provenance(
        String department,
        String channel,
        String file,
        Long position,
        String requestId,
        String topic,
        Integer partition,
        Long offset,
        Instant receivedAt,
        String mappingId,
        int mappingVersion) {

    public Provenance withPosition(long newPosition) {
        return new Provenance(department, channel, file, newPosition, requestId, topic, partition, offset,
                receivedAt, mappingId, mappingVersion);
    }
}
