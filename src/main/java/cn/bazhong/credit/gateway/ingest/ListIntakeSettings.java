package cn.bazhong.credit.gateway.ingest;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How list feeds are taken in ({@code gateway.lists.*} keys of the collection side; the list state's own are
 * in {@code lists.ListTopics} and {@code lists.ListStateSettings}): full snapshots and their exit guard, and the
 * order of lists sent one record at a time.
 *
 * @param snapshotTopic      compacted topic of the current members of full-snapshot lists (the court's daily file)
 * @param snapshotExitGuard  share of a list's active members (0-1; 0.10 = a tenth) above which a full snapshot's
 *                           exits are held for an operator
 * @param snapshotHoldsTopic compacted topic of the held snapshot exits and the operators' decisions
 * @param sequenceTopic      compacted topic of the latest message per list entry of feeds that send one record at a time
 */
@Validated
@ConfigurationProperties(prefix = "gateway.lists")
public record ListIntakeSettings(
        @DefaultValue("credit.snapshot-members") @NotBlank String snapshotTopic,
        @DefaultValue("0.1") @DecimalMin("0") @DecimalMax("1") double snapshotExitGuard,
        @DefaultValue("credit.snapshot-exit-holds") @NotBlank String snapshotHoldsTopic,
        @DefaultValue("credit.list-entry-sequence") @NotBlank String sequenceTopic) {
}
