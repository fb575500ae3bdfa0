package cn.bazhong.credit.gateway.audit;

import cn.bazhong.credit.gateway.infra.GatewayTopics;
import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.infra.NodeSettings;
import cn.bazhong.credit.gateway.infra.TopicProvisioner;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.common.config.TopicConfig;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The access log: its topic ({@code gateway.audit.topic}, created with {@code cleanup.policy=delete} and
 * {@code retention.ms} = {@code gateway.audit.retention}, 180 days by default, the log duty of the
 * Cybersecurity Law), the writer and the query.
 */
@Configuration
@EnableConfigurationProperties(AuditSettings.class)
public class AuditConfiguration {

    @Bean(destroyMethod = "close")
    AccessLog accessLog(KafkaClients clients, GatewayTopics topics, MeterRegistry registry,
                        AuditSettings settings) {
        TopicProvisioner.ensure(clients, List.of(TopicProvisioner.topic(settings.topic(), topics.partitions(), topics.replicationFactor(),
                Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                        TopicConfig.RETENTION_MS_CONFIG, String.valueOf(settings.retention().toMillis())))));
        return new AccessLog(clients, settings.topic(), settings.buffer(), registry);
    }

    /** Records the key ring this node seals with, once it is ready (see {@link KeyRingAudit}). */
    @Bean
    org.springframework.context.ApplicationListener<org.springframework.boot.context.event.ApplicationReadyEvent> keyRingAudit(
            AccessLog log, org.springframework.beans.factory.ObjectProvider<cn.bazhong.credit.gateway.crypto.KeyRing> ring,
            java.time.Clock clock, NodeSettings node) {
        return ready -> ring.ifAvailable(r -> log.record(KeyRingAudit.entry(r, node.nodeId(), clock)));
    }

    @Bean
    AccessLogQuery accessLogQuery(KafkaClients clients, AuditSettings settings) {
        return new AccessLogQuery(clients, settings.topic());
    }
}
