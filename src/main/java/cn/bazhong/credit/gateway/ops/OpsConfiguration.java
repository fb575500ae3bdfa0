package cn.bazhong.credit.gateway.ops;

import cn.bazhong.credit.gateway.infra.GatewayTopics;
import cn.bazhong.credit.gateway.infra.HazelcastSettings;
import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.infra.KafkaStage;
import cn.bazhong.credit.gateway.infra.NodeSettings;
import cn.bazhong.credit.gateway.transport.UpstreamTransport;
import com.hazelcast.core.HazelcastInstance;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import java.util.Map;

/**
 * Health components {@code kafka}, {@code hazelcast}, {@code pipeline} and {@code upstream} (named
 * after their beans without the "HealthIndicator" suffix), the consumer-lag gauges with their
 * background refresher, and the upstream circuit gauge.
 */
@Configuration
@EnableConfigurationProperties(OpsSettings.class)
public class OpsConfiguration {

    /** One admin client for the Kafka health check and the lag refresher. */
    @Bean(destroyMethod = "close")
    Admin opsKafkaAdmin(KafkaClients clients, OpsSettings settings, NodeSettings node) {
        Map<String, Object> p = clients.base();
        p.put(CommonClientConfigs.CLIENT_ID_CONFIG, "gateway-ops-" + node.nodeId());
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.max(1000, settings.kafkaTimeout().toMillis()));
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) Math.max(1000, settings.kafkaTimeout().toMillis()) * 2);
        return Admin.create(p);
    }

    @Bean
    HealthIndicator kafkaHealthIndicator(@Qualifier("opsKafkaAdmin") Admin admin, KafkaClients clients, OpsSettings settings) {
        return new CachedHealthIndicator(new KafkaHealthIndicator(admin, clients.bootstrapServers(), settings.kafkaTimeout()),
                settings.healthCacheTtl());
    }

    @Bean
    HealthIndicator hazelcastHealthIndicator(HazelcastInstance hazelcast, HazelcastSettings settings) {
        return new HazelcastHealthIndicator(hazelcast, settings.minimumClusterSize());
    }

    @Bean
    HealthIndicator pipelineHealthIndicator(ObjectProvider<KafkaStage> stages) {
        return new PipelineHealthIndicator(stages.orderedStream().toList());
    }

    @Bean
    HealthIndicator upstreamHealthIndicator(@Qualifier("upstreamCircuitBreaker") CircuitBreaker breaker, UpstreamTransport transport) {
        return new UpstreamHealthIndicator(breaker, transport);
    }

    @Bean
    UpstreamCircuitGauge upstreamCircuitGauge(MeterRegistry registry, @Qualifier("upstreamCircuitBreaker") CircuitBreaker breaker) {
        return new UpstreamCircuitGauge(registry, breaker);
    }

    @Bean
    ConsumerLagGauges consumerLagGauges(MeterRegistry registry, GatewayTopics topics, Environment environment,
                                        cn.bazhong.credit.gateway.lists.ListTopics listTopics,
                                        ObjectProvider<cn.bazhong.credit.gateway.fanout.FanoutDispatchers> fanout,
                                        ObjectProvider<cn.bazhong.credit.gateway.publication.PublicationSettings> publication) {
        // the publication's settings are bound only when it is on (PublicationConfiguration)
        cn.bazhong.credit.gateway.publication.PublicationSettings website = publication.getIfAvailable();
        java.util.List<ConsumerGroupTopic> groups = new java.util.ArrayList<>(MonitoredConsumerGroups.of(topics,
                website != null && website.enabled(), environment));
        groups.add(new ConsumerGroupTopic(cn.bazhong.credit.gateway.lists.ListStateStage.GROUP, topics.upstream()));
        // each department's backlog: how far its dispatcher is behind the list changes
        fanout.ifAvailable(f -> f.all().forEach(d -> groups.add(new ConsumerGroupTopic(
                cn.bazhong.credit.gateway.fanout.DepartmentDispatcher.group(d.department()), listTopics.changesTopic()))));
        return new ConsumerLagGauges(registry, groups);
    }

    @Bean
    ConsumerLagRefresher consumerLagRefresher(@Qualifier("opsKafkaAdmin") Admin admin, ConsumerLagGauges gauges, OpsSettings settings) {
        return new ConsumerLagRefresher(new ConsumerLagReader(admin, settings.kafkaTimeout().multipliedBy(2)), gauges,
                settings.lagRefreshInterval());
    }
}
