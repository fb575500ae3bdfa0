package cn.bazhong.credit.gateway.audit;

import cn.bazhong.credit.gateway.infra.GatewayTopics;
import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.infra.TopicProvisioner;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.common.config.TopicConfig;
import org.springframework.beans.factory.annotation.Value;
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
public class AuditConfiguration {

    @Bean(destroyMethod = "close")
    AccessLog accessLog(KafkaClients clients, GatewayTopics topics, MeterRegistry registry,
                        @Value("${gateway.audit.topic:credit.audit}") String topic,
                        @Value("${gateway.audit.retention:180d}") Duration retention,
                        @Value("${gateway.audit.buffer:10000}") int buffer) {
        TopicProvisioner.ensure(clients, List.of(TopicProvisioner.topic(topic, topics.partitions(), topics.replicationFactor(),
                Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                        TopicConfig.RETENTION_MS_CONFIG, String.valueOf(retention.toMillis())))));
        return new AccessLog(clients, topic, buffer, registry);
    }

    /** Records the key ring this node seals with, once it is ready (see {@link KeyRingAudit}). */
    @Bean
    org.springframework.context.ApplicationListener<org.springframework.boot.context.event.ApplicationReadyEvent> keyRingAudit(
            AccessLog log, org.springframework.beans.factory.ObjectProvider<cn.bazhong.credit.gateway.crypto.KeyRing> ring,
            java.time.Clock clock, @Value("${gateway.node-id}") String node) {
        return ready -> ring.ifAvailable(r -> log.record(KeyRingAudit.entry(r, node, clock)));
    }

    @Bean
    AccessLogQuery accessLogQuery(KafkaClients clients, @Value("${gateway.audit.topic:credit.audit}") String topic) {
        return new AccessLogQuery(clients, topic);
    }
}
