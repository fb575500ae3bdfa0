package cn.bazhong.credit.gateway.measures;

import cn.bazhong.credit.gateway.fanout.DepartmentEvents;
import cn.bazhong.credit.gateway.fanout.FollowUpEvents;
import cn.bazhong.credit.gateway.infra.GatewayTopics;
import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.infra.TopicProvisioner;
import com.hazelcast.core.HazelcastInstance;
import org.apache.kafka.common.config.TopicConfig;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/** The initiations store and its topic. */
@Configuration
@EnableConfigurationProperties(MeasureSettings.class)
public class MeasuresConfiguration {

    @Bean(destroyMethod = "close")
    Initiations initiations(HazelcastInstance hazelcast, KafkaClients clients, GatewayTopics topics, MeasureSettings settings, Clock clock,
                            @Value("${gateway.node-id}") String nodeId, FeedbackForwarder forwarder) {
        TopicProvisioner.ensure(clients, List.of(TopicProvisioner.topic(settings.initiationsTopic(), topics.partitions(),
                topics.replicationFactor(), Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))));
        WorkingDays days = new WorkingDays(new HashSet<>(settings.holidays()), new HashSet<>(settings.extraWorkdays()));
        return new Initiations(hazelcast, clients, settings.initiationsTopic(), days, settings.responseDays(), settings.feedbackDays(),
                clock, nodeId, forwarder);
    }

    /** The initiations and cancellations that follow list events in each department's fan-out. */
    @Bean
    @ConditionalOnProperty(name = "gateway.fanout.enabled", havingValue = "true", matchIfMissing = true)
    FollowUpEvents initiationFollowUps(Initiations initiations, DepartmentEvents events) {
        return new InitiationFollowUps(initiations, events);
    }

    @Bean(destroyMethod = "close")
    CheckLog checkLog(HazelcastInstance hazelcast, KafkaClients clients, GatewayTopics topics, Clock clock,
                      @Value("${gateway.subjects.checks-topic}") String topic,
                      @Value("${gateway.subjects.checks-retention}") java.time.Duration retention,
                      @Value("${gateway.node-id}") String nodeId) {
        TopicProvisioner.ensure(clients, List.of(TopicProvisioner.topic(topic, topics.partitions(), topics.replicationFactor(),
                Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(retention.toMillis())))));
        return new CheckLog(hazelcast, clients, topic, clock, nodeId);
    }

    @Bean
    PublicationTimeliness publicationTimeliness(HazelcastInstance hazelcast, MeasureSettings settings, Clock clock,
                                                @Value("${gateway.measures.publication-working-days}") int limit,
                                                io.micrometer.core.instrument.MeterRegistry registry) {
        WorkingDays days = new WorkingDays(new HashSet<>(settings.holidays()), new HashSet<>(settings.extraWorkdays()));
        return new PublicationTimeliness(hazelcast, days, limit, clock.getZone(), registry);
    }

    @Bean
    SupervisionReport supervisionReport(cn.bazhong.credit.gateway.ingest.ReceiptStore receipts, Initiations initiations,
                                        MeasureSettings settings, Clock clock, CheckLog checks, PublicationTimeliness timeliness) {
        return new SupervisionReport(receipts, initiations, settings.expectedDelivery(), clock, checks, timeliness);
    }
}
