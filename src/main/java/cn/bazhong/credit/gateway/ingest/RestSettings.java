package cn.bazhong.credit.gateway.ingest;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * The REST API's limits and the pushes' transactions ({@code gateway.rest.*}).
 *
 * @param maxBodySize          largest body of POST /api/v1/feeds/... and /api/v1/upstream/list-updates (larger: 413)
 * @param maxSmallBodySize     largest body of every other request of the API (answers, decisions)
 * @param concurrentPushes     pushes written at a time per node, each with its own transactional producer (1-64)
 * @param pushSlotWait         how long a push waits for a free slot before 503 with Retry-After
 * @param transactionTimeout   longest a push's transaction may stay open (1 s to 15 min, the broker's
 *                             transaction.max.timeout.ms by default)
 * @param idempotencyRetention how long an Idempotency-Key stays bound to its body
 * @param idempotencyKeysTopic compacted topic of the Idempotency-Keys, rebuilt into Hazelcast on start
 * @param idempotencyLease     how long a push under way holds its key (renewed while its body is read)
 */
@Validated
@ConfigurationProperties(prefix = "gateway.rest")
public record RestSettings(
        @DefaultValue("20MB") @NotNull DataSize maxBodySize,
        @DefaultValue("64KB") @NotNull DataSize maxSmallBodySize,
        @DefaultValue("4") @Min(1) @Max(64) int concurrentPushes,
        @DefaultValue("5s") @NotNull @DurationMin(millis = 0) Duration pushSlotWait,
        @DefaultValue("120s") @NotNull @DurationMin(seconds = 1) @DurationMax(minutes = 15) Duration transactionTimeout,
        @DefaultValue("24h") @NotNull @DurationMin(minutes = 1) Duration idempotencyRetention,
        @DefaultValue("credit.idempotency-keys") @NotBlank String idempotencyKeysTopic,
        @DefaultValue("2m") @NotNull @DurationMin(seconds = 1) Duration idempotencyLease) {
}
