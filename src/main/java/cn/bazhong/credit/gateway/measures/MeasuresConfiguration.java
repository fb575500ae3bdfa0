package cn.bazhong.credit.gateway.measures;

import cn.bazhong.credit.gateway.fanout.DepartmentEvents;
import cn.bazhong.credit.gateway.fanout.FollowUpEvents;
import cn.bazhong.credit.gateway.infra.GatewayTopics;
import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.infra.NodeSettings;
import cn.bazhong.credit.gateway.infra.TopicProvisioner;
import com.hazelcast.core.HazelcastInstance;
import org.apache.kafka.common.config.TopicConfig;
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
                            NodeSettings node, FeedbackForwarder forwarder) {
        TopicProvisioner.ensure(clients, List.of(TopicProvisioner.topic(settings.initiationsTopic(), topics.partitions(),
                topics.replicationFactor(), Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))));
        WorkingDays days = new WorkingDays(new HashSet<>(settings.holidays()), new HashSet<>(settings.extraWorkdays()));
        return new Initiations(hazelcast, clients, settings.initiationsTopic(), days, settings.responseDays(), settings.feedbackDays(),
                clock, node.nodeId(), forwarder);
    }

    /** The initiations and cancellations that follow list events in each department's fan-out. */
    @Bean
    @ConditionalOnProperty(name = "gateway.fanout.enabled", havingValue = "true", matchIfMissing = true)
    FollowUpEvents initiationFollowUps(Initiations initiations, DepartmentEvents events) {
        return new InitiationFollowUps(initiations, events);
    }

    @Bean(destroyMethod = "close")
    CheckLog checkLog(HazelcastInstance hazelcast, KafkaClients clients, GatewayTopics topics, Clock clock,
                      cn.bazhong.credit.gateway.lists.SubjectsSettings subjects, NodeSettings node,
                      io.micrometer.core.instrument.MeterRegistry registry) {
        TopicProvisioner.ensure(clients, List.of(TopicProvisioner.topic(subjects.checksTopic(), topics.partitions(), topics.replicationFactor(),
                Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(subjects.checksRetention().toMillis())))));
        return new CheckLog(hazelcast, clients, subjects.checksTopic(), clock, node.nodeId(), registry);
    }

    @Bean
    PublicationTimeliness publicationTimeliness(HazelcastInstance hazelcast, MeasureSettings settings, Clock clock,
                                                io.micrometer.core.instrument.MeterRegistry registry,
                                                cn.bazhong.credit.gateway.catalog.ActiveCatalog catalog) {
        WorkingDays days = new WorkingDays(new HashSet<>(settings.holidays()), new HashSet<>(settings.extraWorkdays()));
        return new PublicationTimeliness(hazelcast, days, settings.publicationWorkingDays(), clock.getZone(), registry, unit -> catalog.get().regionOf(unit));
    }

    @Bean
    SupervisionReport supervisionReport(cn.bazhong.credit.gateway.ingest.ReceiptStore receipts, Initiations initiations,
                                        MeasureSettings settings, Clock clock, CheckLog checks, PublicationTimeliness timeliness) {
        return new SupervisionReport(receipts, initiations, settings.expectedDelivery(), clock, checks, timeliness);
    }

    /** Operators' list decisions; their objection deadlines count the measures' working days (configured here, above lists). */
    @Bean
    cn.bazhong.credit.gateway.lists.ListDecisions listDecisions(cn.bazhong.credit.gateway.lists.ListView view,
            cn.bazhong.credit.gateway.ingest.RecordPublisher publisher, cn.bazhong.credit.gateway.ingest.ReceiptStore receipts,
            Clock clock, MeasureSettings measures, cn.bazhong.credit.gateway.privacy.PersonalFields personal) {
        WorkingDays days = new WorkingDays(new HashSet<>(measures.holidays()), new HashSet<>(measures.extraWorkdays()));
        return new cn.bazhong.credit.gateway.lists.ListDecisions(view, publisher, receipts, clock,
                filed -> days.plus(filed, measures.objectionDays()), personal);
    }

    /** The subjects' records view; each record it takes counts towards the publication timeliness (configured here, above lists). */
    @Bean
    cn.bazhong.credit.gateway.lists.SubjectRecordsStage subjectRecordsStage(KafkaClients clients, GatewayTopics topics,
            cn.bazhong.credit.gateway.lists.SubjectKeys keys, cn.bazhong.credit.gateway.lists.SubjectRecords records,
            HazelcastInstance hazelcast, Clock clock, NodeSettings node, PublicationTimeliness timeliness,
            cn.bazhong.credit.gateway.lists.Commitments commitments, cn.bazhong.credit.gateway.privacy.PersonalFields personal) {
        return new cn.bazhong.credit.gateway.lists.SubjectRecordsStage(clients, topics, keys, records, hazelcast, clock, node.nodeId(),
                timeliness::accepted, commitments, personal);
    }
}
