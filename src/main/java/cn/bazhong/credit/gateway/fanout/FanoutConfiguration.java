package cn.bazhong.credit.gateway.fanout;

import cn.bazhong.credit.gateway.catalog.ActiveCatalog;
import cn.bazhong.credit.gateway.crypto.Sm2SigningKey;
import cn.bazhong.credit.gateway.infra.DeliveryPolicy;
import cn.bazhong.credit.gateway.infra.GatewayTopics;
import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.infra.NodeSettings;
import cn.bazhong.credit.gateway.infra.TopicProvisioner;
import cn.bazhong.credit.gateway.lists.ListTopics;
import cn.bazhong.credit.gateway.tls.OutboundTls;
import cn.bazhong.credit.gateway.tls.TlsSettings;
import com.hazelcast.core.HazelcastInstance;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The department fan-out: subscriptions checked against the catalog at start-up, the fan-out
 * topics, and one dispatcher per enabled subscription. Off with {@code gateway.fanout.enabled=false}.
 */
@Configuration
@EnableConfigurationProperties(FanoutSettings.class)
@ConditionalOnProperty(name = "gateway.fanout.enabled", havingValue = "true", matchIfMissing = true)
public class FanoutConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(FanoutConfiguration.class);

    @Bean
    CamelEndpoints camelEndpoints(CamelContext camel) {
        return new CamelEndpoints(camel);
    }

    @Bean
    Subscriptions subscriptions(FanoutSettings settings, ActiveCatalog catalog, org.springframework.core.env.Environment environment,
                                CamelEndpoints camelEndpoints) {
        // ${NAME} in the file: the environment variable, or a file of a config tree (spring.config.import)
        // the subscriptions as loaded at start-up; those in use are FanoutDispatchers.subscriptions() (the live reload changes them)
        Subscriptions s = SubscriptionsLoader.load(settings.subscriptionsFile(), catalog.get(), environment::getProperty, camelEndpoints);
        LOG.info("subscriptions loaded from {}: {} departments, {} enabled", settings.subscriptionsFile(), s.byDepartment().size(),
                s.enabled().size());
        return s;
    }

    @Bean
    DepartmentEvents departmentEvents(ActiveCatalog catalog, cn.bazhong.credit.gateway.privacy.PersonalFields personal) {
        return new DepartmentEvents(catalog, personal);
    }

    /** The fan-out's own topics, and the departments' Kafka topics when this gateway provisions them. */
    @Bean
    FanoutTopicsReady fanoutTopics(KafkaClients clients, GatewayTopics topics, FanoutSettings settings, Subscriptions subscriptions)
            throws Exception {
        List<NewTopic> wanted = new ArrayList<>(List.of(
                TopicProvisioner.topic(settings.deadLetterTopic(), topics.partitions(), topics.replicationFactor(),
                        Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)),
                TopicProvisioner.topic(settings.redeliveryTopic(), topics.partitions(), topics.replicationFactor(),
                        Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(Duration.ofDays(14).toMillis()))),
                TopicProvisioner.topic(settings.endpointsTopic(), 1, topics.replicationFactor(),
                        Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)),
                TopicProvisioner.topic(settings.deliveriesTopic(), topics.partitions(), topics.replicationFactor(),
                        Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(Duration.ofDays(90).toMillis())))));
        if (settings.provisionDepartmentTopics()) {
            for (Subscription s : subscriptions.enabled()) {
                if (s.channel() instanceof Subscription.KafkaChannel k) {
                    wanted.add(departmentTopic(k, topics));
                }
            }
        }
        TopicProvisioner.ensure(clients, wanted);
        return new FanoutTopicsReady();
    }

    /** Marks that the fan-out topics exist (the stores below are built after it). */
    record FanoutTopicsReady() {
    }

    @Bean(destroyMethod = "close")
    Redeliveries redeliveries(FanoutTopicsReady ready, KafkaClients clients, FanoutSettings settings, NodeSettings node) {
        return new Redeliveries(clients, settings.redeliveryTopic(), node.nodeId());
    }

    @Bean(destroyMethod = "close")
    EndpointStates endpointStates(FanoutTopicsReady ready, HazelcastInstance hazelcast, KafkaClients clients, FanoutSettings settings,
                                  NodeSettings node) {
        return new EndpointStates(hazelcast, clients, settings.endpointsTopic(), node.nodeId());
    }

    @Bean(destroyMethod = "close")
    FanoutDeadLetters fanoutDeadLetters(FanoutTopicsReady ready, KafkaClients clients, FanoutSettings settings, Redeliveries redeliveries,
                                        HazelcastInstance hazelcast, NodeSettings node, Clock clock,
                                        cn.bazhong.credit.gateway.privacy.PersonalFields personal) {
        return new FanoutDeadLetters(clients, settings.deadLetterTopic(), redeliveries, hazelcast, node.nodeId(), clock, personal);
    }

    @Bean(destroyMethod = "close")
    DeliveryLog deliveryLog(FanoutTopicsReady ready, HazelcastInstance hazelcast, KafkaClients clients, FanoutSettings settings,
                            MeterRegistry registry, NodeSettings node) {
        return new DeliveryLog(hazelcast, clients, settings.deliveriesTopic(), settings.deliveryLogTtl(), registry, node.nodeId());
    }

    @Bean
    FanoutReplay fanoutReplay(KafkaClients clients, ListTopics listTopics, DepartmentEvents events, Redeliveries redeliveries) {
        return new FanoutReplay(clients, listTopics.changesTopic(), events, redeliveries);
    }

    /**
     * What the departments' webhook certificates are checked against, and the gateway's client certificate:
     * {@code gateway.fanout.tls.bundle}, else {@code gateway.tls.outbound-bundle}, else the JDK's CAs.
     */
    @Bean
    OutboundTls departmentTls(SslBundles bundles, FanoutSettings settings, TlsSettings tls) {
        OutboundTls chosen = OutboundTls.select(bundles, "gateway.fanout.tls.bundle", settings.tls().bundle(), tls.outboundBundle());
        LOG.info("HTTPS to the departments' webhooks trusts {}", chosen);
        return chosen;
    }

    /** The list changes fetched once for all the node's dispatchers; started and stopped with the gateway. */
    @Bean
    SharedListChanges sharedListChanges(KafkaClients clients, NodeSettings node) {
        return new SharedListChanges(clients, node.nodeId());
    }

    @Bean
    FanoutDispatchers fanoutDispatchers(Subscriptions subscriptions, FanoutSettings settings, KafkaClients clients, ListTopics listTopics,
                                        GatewayTopics topics, Redeliveries redeliveries, DepartmentEvents events, EndpointStates endpoints,
                                        FanoutDeadLetters deadLetters, DeliveryLog log, MeterRegistry registry, Clock clock,
                                        FollowUpEvents followUps,
                                        NodeSettings node,
                                        SharedListChanges sharedListChanges,
                                        @Qualifier("departmentTls") OutboundTls departmentTls,
                                        ObjectProvider<Sm2SigningKey> sm2Key,
                                        CamelEndpoints camelEndpoints) {
        // not the CamelContext itself: Spring would start a lifecycle dependency of this bean early, before Camel has
        // added the routes of routes/ (it adds them only to a context not yet started)
        DepartmentDispatcher.Source source = new DepartmentDispatcher.Source(clients, listTopics.changesTopic(), redeliveries,
                node.nodeId(), settings.maxBatch(), new ListChangeReader(), sharedListChanges);
        // the breaker of each department's dispatcher in use: its gauge follows a dispatcher replaced by the live reload
        Map<String, CircuitBreaker> breakers = new java.util.concurrent.ConcurrentHashMap<>();
        FanoutDispatchers.Factory factory = s -> {
            String dept = s.department();
            if (settings.provisionDepartmentTopics() && s.channel() instanceof Subscription.KafkaChannel k) {
                try {
                    TopicProvisioner.ensure(clients, List.of(departmentTopic(k, topics)));
                } catch (Exception e) {
                    throw new IllegalStateException("the Kafka topic " + k.topic() + " of " + dept + " cannot be created: " + e, e);
                }
            }
            ChannelSender sender = s.channel() instanceof Subscription.CamelChannel c
                    ? new CamelEndpointSender(c, camelEndpoints, Clock.systemUTC())
                    : sender(s, settings, clients, clock, node.nodeId(), departmentTls, sm2Key.getIfAvailable(), camelEndpoints);
            CircuitBreaker breaker = CircuitBreaker.of("fanout-" + dept, DeliveryPolicy.breakerSettings()
                    .slidingWindowSize(10)
                    .minimumNumberOfCalls(4)
                    .failureRateThreshold(50)
                    .waitDurationInOpenState(openWait(s.retry()))
                    .permittedNumberOfCallsInHalfOpenState(1)
                    .build());
            breakers.put(dept, breaker);
            Gauge.builder("gateway.fanout.endpoint.disabled", endpoints, e -> e.disabled(dept).isPresent() ? 1 : 0)
                    .description("1 while the department's endpoint is disabled (it answered 410 Gone)")
                    .tag("department", dept).register(registry);
            Gauge.builder("gateway.fanout.circuit.open", breakers, b -> b.containsKey(dept) && b.get(dept).getState() == CircuitBreaker.State.OPEN ? 1 : 0)
                    .description("1 while the department's circuit breaker is open").tag("department", dept).register(registry);
            for (String from : List.of("shared", "own")) {
                FunctionCounter.builder("gateway.fanout.fetched", sharedListChanges,
                                x -> from.equals("shared") ? x.taken(DepartmentDispatcher.group(dept)) : x.fetchedItself(DepartmentDispatcher.group(dept)))
                        .description("List changes the department's dispatcher took from the node's shared fetch (shared) or fetched"
                                + " itself (own: while it was behind the shared window)")
                        .tag("department", dept).tag("from", from).register(registry);
            }
            return new DepartmentDispatcher(s, source, events, followUps, sender,
                    new FanoutDelivery(dept, sender, breaker, s.retry()), endpoints, deadLetters, log, clock);
        };
        return new FanoutDispatchers(subscriptions, factory, camelEndpoints::withoutRoute, dept -> {
            breakers.remove(dept);
            for (String name : List.of("gateway.fanout.endpoint.disabled", "gateway.fanout.circuit.open", "gateway.fanout.fetched")) {
                registry.find(name).tag("department", dept).meters().forEach(registry::remove);
            }
        });
    }

    private static NewTopic departmentTopic(Subscription.KafkaChannel k, GatewayTopics topics) {
        return TopicProvisioner.topic(k.topic(), topics.partitions(), topics.replicationFactor(), Map.of());
    }

    /**
     * A {@code direct:}/{@code seda:} channel needs its route of {@code routes/}; Camel adds those routes once the Spring
     * context is refreshed, so they are checked when the gateway is ready: a missing one stops the start, naming it.
     */
    @Bean
    ApplicationListener<ApplicationReadyEvent> camelChannelRoutesCheck(CamelEndpoints camelEndpoints, FanoutDispatchers dispatchers,
                                                                      FanoutSettings settings) {
        return ready -> {
            List<String> missing = camelEndpoints.withoutRoute(dispatchers.subscriptions());
            if (!missing.isEmpty()) {
                throw new IllegalStateException(settings.subscriptionsFile() + ": " + String.join("; ", missing));
            }
        };
    }

    @Bean
    FanoutOperations fanoutOperations(FanoutDispatchers dispatchers, EndpointStates endpoints, ActiveCatalog catalog,
                                      FanoutDeadLetters deadLetters, FanoutReplay replay, DeliveryLog log, FollowUpEvents followUps) {
        return new FanoutOperations(dispatchers, endpoints, catalog, deadLetters, replay, log, followUps);
    }

    @Bean
    FanoutHealthIndicator fanoutHealthIndicator(FanoutDispatchers dispatchers, EndpointStates endpoints, SharedListChanges shared) {
        return new FanoutHealthIndicator(dispatchers, endpoints, shared);
    }

    private static ChannelSender sender(Subscription s, FanoutSettings settings, KafkaClients clients, Clock clock, String nodeId,
                                        OutboundTls tls, Sm2SigningKey sm2Key, CamelEndpoints camel) {
        if (s.channel() instanceof Subscription.WebhookChannel w) {
            // the timestamp of an attempt is wall-clock time, whatever clock the gateway reasons with
            return new WebhookSender(camel::camel, w, settings.attemptTimeout(), Clock.systemUTC(), tls,
                    webhookSigningKey(s.department(), w, settings, sm2Key));
        }
        if (s.channel() instanceof Subscription.KafkaChannel k) {
            return new KafkaDropSender(k, clients.producer("gateway-fanout-" + s.department() + "-" + nodeId));
        }
        return new SftpDropSender(camel::camel, s.department(), (Subscription.SftpChannel) s.channel(), settings.attemptTimeout());
    }

    /**
     * The SM2 key a department's webhook deliveries are signed with: none unless {@code gateway.fanout.sign-sm2}
     * or the subscription's {@code webhook.signSm2} asks for it; then the gateway's key, which must exist.
     *
     * @throws IllegalStateException when a signature is asked for and the gateway has no SM2 key
     */
    static Sm2SigningKey webhookSigningKey(String department, Subscription.WebhookChannel channel,
                                                                          FanoutSettings settings,
                                                                          Sm2SigningKey key) {
        if (!settings.signSm2() && !channel.signSm2()) {
            return null;
        }
        if (key == null) {
            throw new IllegalStateException((settings.signSm2() ? "gateway.fanout.sign-sm2" : "the subscription of " + department
                    + " (webhook.signSm2)") + " asks for SM2-signed webhooks but the gateway has no SM2 key: set "
                    + "gateway.crypto.sm2.private-key-file (java -jar … keys new-sm2), or switch signing off");
        }
        return key;
    }

    /** How long an open breaker waits before a probe: a few initial back-offs, between 1 s and 1 min. */
    static Duration openWait(Subscription.RetryPolicy retry) {
        Duration d = retry.initialBackoff().multipliedBy(4);
        if (d.compareTo(Duration.ofSeconds(1)) < 0) {
            return Duration.ofSeconds(1);
        }
        return d.compareTo(Duration.ofMinutes(1)) > 0 ? Duration.ofMinutes(1) : d;
    }
}
