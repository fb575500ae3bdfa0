package cn.bazhong.credit.gateway.ops;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * Tuning of the health checks and metrics ({@code gateway.ops.*}); the defaults suit production.
 *
 * @param lagRefreshInterval how often the consumer lag is read from Kafka (in the background, never on a scrape)
 * @param healthCacheTtl     how long the result of a check that calls Kafka is reused, since load balancers poll health often
 * @param kafkaTimeout       time allowed for one Kafka admin call of a health check or a lag refresh
 */
@ConfigurationProperties(prefix = "gateway.ops")
public record OpsSettings(
        @DefaultValue("15s") Duration lagRefreshInterval,
        @DefaultValue("3s") Duration healthCacheTtl,
        @DefaultValue("3s") Duration kafkaTimeout) {
}
