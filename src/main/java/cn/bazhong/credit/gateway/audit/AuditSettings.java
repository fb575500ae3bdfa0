package cn.bazhong.credit.gateway.audit;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * The access log for personal data ({@code gateway.audit.*}, docs/security.md, "Access log").
 *
 * @param topic     the topic of the entries, created with cleanup.policy=delete
 * @param retention how long entries are kept (the topic's retention.ms); the Cybersecurity Law asks for at
 *                  least six months
 * @param buffer    entries waiting for Kafka; past this they are dropped and counted
 */
@Validated
@ConfigurationProperties(prefix = "gateway.audit")
public record AuditSettings(
        @DefaultValue("credit.audit") @NotBlank String topic,
        @DefaultValue("180d") @NotNull @DurationMin(days = 1) Duration retention,
        @DefaultValue("10000") @Min(1) int buffer) {
}
