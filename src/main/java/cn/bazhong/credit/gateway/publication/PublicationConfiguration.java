package cn.bazhong.credit.gateway.publication;

import cn.bazhong.credit.gateway.fanout.FanoutDelivery;
import cn.bazhong.credit.gateway.fanout.Subscription;
import cn.bazhong.credit.gateway.fanout.WebhookSender;
import cn.bazhong.credit.gateway.infra.DeliveryPolicy;
import cn.bazhong.credit.gateway.infra.GatewayTopics;
import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.infra.NodeSettings;
import cn.bazhong.credit.gateway.infra.TopicProvisioner;
import cn.bazhong.credit.gateway.lists.ListTopics;
import cn.bazhong.credit.gateway.privacy.PersonalFields;
import cn.bazhong.credit.gateway.tls.OutboundTls;
import com.hazelcast.core.HazelcastInstance;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The publication channel to the city credit website, on with {@code gateway.publication.enabled=true}:
 * its topics, the 公示期 ends, the dispatcher (signed like the departments' webhooks, with retries and a
 * circuit breaker of its own) and the sweep.
 */
@Configuration
@EnableConfigurationProperties(PublicationSettings.class)
@ConditionalOnProperty(name = "gateway.publication.enabled", havingValue = "true")
public class PublicationConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(PublicationConfiguration.class);

    /** Marks that the publication topics exist. */
    record PublicationTopicsReady() {
    }

    @Bean
    PublicationTopicsReady publicationTopics(KafkaClients clients, GatewayTopics topics, PublicationSettings settings) {
        if (settings.url() == null || settings.secrets().isEmpty()) {
            throw new IllegalStateException("gateway.publication.enabled is true but gateway.publication.url or .secrets "
                    + "(GATEWAY_PUBLICATION_URL, GATEWAY_PUBLICATION_SECRET) is not set");
        }
        TopicProvisioner.ensure(clients, List.of(
                TopicProvisioner.topic(settings.outboxTopic(), topics.partitions(), topics.replicationFactor(),
                        Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(Duration.ofDays(14).toMillis()))),
                TopicProvisioner.topic(settings.deadLetterTopic(), topics.partitions(), topics.replicationFactor(),
                        Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)),
                TopicProvisioner.topic(settings.endsTopic(), topics.partitions(), topics.replicationFactor(),
                        Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))));
        return new PublicationTopicsReady();
    }

    @Bean
    PublicationItems publicationItems(cn.bazhong.credit.gateway.catalog.ActiveCatalog catalog, PersonalFields personal, PublicationSettings settings) {
        return new PublicationItems(catalog, personal, settings.localRules());
    }

    @Bean(destroyMethod = "close")
    PublicationOutbox publicationOutbox(PublicationTopicsReady ready, KafkaClients clients, PublicationSettings settings,
                                        NodeSettings node) {
        return new PublicationOutbox(clients, settings.outboxTopic(), node.nodeId());
    }

    @Bean(destroyMethod = "close")
    PublicationEnds publicationEnds(PublicationTopicsReady ready, HazelcastInstance hazelcast, KafkaClients clients,
                                    PublicationSettings settings, NodeSettings node) {
        return new PublicationEnds(hazelcast, clients, settings.endsTopic(), node.nodeId());
    }

    @Bean(destroyMethod = "close")
    PublicationDeadLetters publicationDeadLetters(PublicationTopicsReady ready, KafkaClients clients, PublicationSettings settings,
                                                  PublicationOutbox outbox, NodeSettings node, Clock clock) {
        return new PublicationDeadLetters(clients, settings.deadLetterTopic(), outbox, node.nodeId(), clock);
    }

    @Bean
    PublicationDispatcher publicationDispatcher(KafkaClients clients, GatewayTopics topics, ListTopics listTopics, PublicationSettings settings,
                                                PublicationItems items, PublicationEnds ends, PublicationDeadLetters deadLetters,
                                                MeterRegistry registry, Clock clock, NodeSettings node,
                                                org.springframework.boot.ssl.SslBundles bundles,
                                                cn.bazhong.credit.gateway.tls.TlsSettings tlsSettings,
                                                org.springframework.beans.factory.ObjectProvider<org.apache.camel.CamelContext> camel) {
        // HTTPS to the website trusts gateway.publication.tls-bundle, else gateway.tls.outbound-bundle, else the JDK's CAs
        OutboundTls tls = OutboundTls.select(bundles, "gateway.publication.tls-bundle", settings.tlsBundle(), tlsSettings.outboundBundle());
        Subscription.RetryPolicy retry = new Subscription.RetryPolicy(settings.retry().maxAttempts(), settings.retry().initialBackoff(),
                settings.retry().maxBackoff());
        // the same sender as a department's webhook: Standard Webhooks signature, fresh timestamp per attempt, no redirects
        WebhookSender sender = new WebhookSender(camel::getObject, new Subscription.WebhookChannel(settings.url(), settings.secrets()), settings.attemptTimeout(),
                Clock.systemUTC(), tls);
        Duration openWait = retry.initialBackoff().multipliedBy(4);
        CircuitBreaker breaker = CircuitBreaker.of("publication", DeliveryPolicy.breakerSettings()
                .slidingWindowSize(10).minimumNumberOfCalls(4).failureRateThreshold(50)
                .waitDurationInOpenState(openWait.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1)
                        : openWait.compareTo(Duration.ofMinutes(1)) > 0 ? Duration.ofMinutes(1) : openWait)
                .permittedNumberOfCallsInHalfOpenState(1).build());
        Gauge.builder("gateway.publication.circuit.open", breaker, b -> b.getState() == CircuitBreaker.State.OPEN ? 1 : 0)
                .description("1 while the circuit breaker to the city credit website is open").register(registry);
        LOG.info("publication to the city credit website: {}", sender.describe());
        return new PublicationDispatcher(clients, topics.upstream(), listTopics.changesTopic(), settings.outboxTopic(), items,
                new FanoutDelivery(PublicationItems.WEBSITE, sender, breaker, retry), ends, deadLetters, registry, clock, node.nodeId());
    }

    @Bean
    PublicationReplay publicationReplay(KafkaClients clients, GatewayTopics topics, ListTopics listTopics, PublicationItems items,
                                        PublicationOutbox outbox, Clock clock) {
        return new PublicationReplay(clients, topics.upstream(), listTopics.changesTopic(), items, outbox, clock);
    }

    @Bean
    PublicationSweep publicationSweep(PublicationEnds ends, PublicationOutbox outbox, PublicationItems items, Clock clock,
                                      PublicationSettings settings) {
        return new PublicationSweep(ends, outbox, items, clock, settings.sweepInterval());
    }
}
