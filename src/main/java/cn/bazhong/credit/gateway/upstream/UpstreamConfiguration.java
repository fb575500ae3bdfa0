package cn.bazhong.credit.gateway.upstream;

import cn.bazhong.credit.gateway.crypto.Sm2SigningKey;
import cn.bazhong.credit.gateway.infra.DeliveryPolicy;
import cn.bazhong.credit.gateway.infra.GatewayTopics;
import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.infra.NodeSettings;
import cn.bazhong.credit.gateway.ingest.DedupIndex;
import cn.bazhong.credit.gateway.ingest.IngestMetrics;
import cn.bazhong.credit.gateway.ingest.ReceiptStore;
import cn.bazhong.credit.gateway.ingest.RecordTraces;
import cn.bazhong.credit.gateway.tls.OutboundTls;
import cn.bazhong.credit.gateway.tls.TlsSettings;
import cn.bazhong.credit.gateway.transport.SftpUpstreamTransport;
import cn.bazhong.credit.gateway.transport.UpstreamToken;
import cn.bazhong.credit.gateway.transport.UpstreamTransport;
import com.hazelcast.core.HazelcastInstance;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

/** The delivery pipeline: dedup stage → batch stage → sender stage, each a Kafka consumer group. */
@Configuration
@EnableConfigurationProperties(UpstreamSettings.class)
public class UpstreamConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(UpstreamConfiguration.class);

    @Bean
    UpstreamMetrics upstreamMetrics(IngestMetrics counters) {
        return new UpstreamMetrics(counters);
    }

    @Bean
    DedupIndexLoader dedupIndexLoader(KafkaClients clients, GatewayTopics topics, DedupIndex index, HazelcastInstance hazelcast,
                                      io.micrometer.core.instrument.MeterRegistry registry,
                                      org.springframework.beans.factory.ObjectProvider<cn.bazhong.credit.gateway.lists.ListView> views) {
        DedupIndexLoader loader = new DedupIndexLoader(clients, topics, index, hazelcast)
                .after(() -> views.ifAvailable(cn.bazhong.credit.gateway.lists.ListView::awaitFillEnded));
        io.micrometer.core.instrument.Gauge.builder("gateway.dedup.index.catch.up.remaining", loader, l -> l.progress().remaining())
                .description("Entries of the dedup index topic this node still has to read before its dedup stage forwards records"
                        + " (after a restart of the whole cluster, every version ever forwarded); 0 once it is ready")
                .register(registry);
        return loader;
    }

    @Bean
    DedupStage dedupStage(KafkaClients clients, GatewayTopics topics, DedupIndex index, DedupIndexLoader loader,
                          RecordTraces traces, UpstreamMetrics metrics, NodeSettings node) {
        return new DedupStage(clients, topics, index, loader, traces, metrics, node.nodeId());
    }

    @Bean
    BatchStage batchStage(KafkaClients clients, GatewayTopics topics, UpstreamSettings settings,
                          NodeSettings node, Clock clock) {
        return new BatchStage(clients, topics, settings.batchSize(), settings.batchWait(), node.nodeId(), clock);
    }

    /**
     * What the province's HTTPS certificate is checked against, and the gateway's client certificate:
     * {@code gateway.upstream.tls.bundle}, else {@code gateway.tls.outbound-bundle}, else the JDK's CAs.
     */
    @Bean
    OutboundTls provinceTls(SslBundles bundles, UpstreamSettings settings, TlsSettings tls) {
        OutboundTls chosen = OutboundTls.select(bundles, "gateway.upstream.tls.bundle", settings.tls().bundle(), tls.outboundBundle());
        LOG.info("HTTPS to the province trusts {}", chosen);
        return chosen;
    }

    /**
     * The adapter chosen by {@code gateway.upstream.transport}: REST (default), SFTP files, Kafka
     * topics or any Camel endpoint. The REST, SFTP and Kafka adapters are closed with the context (inferred {@code close()}).
     */
    @Bean
    UpstreamTransport upstreamTransport(UpstreamSettings settings, ObjectProvider<KafkaClients> gatewayKafka,
                                        NodeSettings node, @Qualifier("provinceTls") OutboundTls provinceTls,
                                        ObjectProvider<Sm2SigningKey> sm2Key, ObjectProvider<org.apache.camel.CamelContext> camel) {
        Sm2SigningKey signingKey = batchSigningKey(settings, sm2Key.getIfAvailable());
        UpstreamTransport transport = switch (settings.transport()) {
            case REST -> new RestUpstreamTransport(camel::getObject, settings.baseUrl(), token(settings, provinceTls), settings.requestTimeout(), provinceTls,
                    signingKey);
            case SFTP -> new SftpUpstreamTransport(camel::getObject, settings.sftp(), settings.requestTimeout());
            case KAFKA -> new KafkaUpstreamTransport(provinceKafka(settings.kafka(), gatewayKafka::getObject),
                    settings.kafka().topicPattern(), "gateway-upstream-" + node.nodeId());
            case CAMEL -> new CamelUpstreamTransport(camel::getObject, settings.camel().uri(), settings.camel().parameters());
        };
        LOG.info("batches go to the province by {}", transport.describe());
        return transport;
    }

    /**
     * The key batches are signed with: none unless {@code gateway.upstream.sign-sm2} is on; then the gateway's
     * SM2 key, which must exist, and the REST adapter, the only one that carries the signature.
     *
     * @throws IllegalStateException when signing is on without a key or with another adapter
     */
    static Sm2SigningKey batchSigningKey(UpstreamSettings settings, Sm2SigningKey key) {
        if (!settings.signSm2()) {
            return null;
        }
        if (key == null) {
            throw new IllegalStateException("gateway.upstream.sign-sm2 is on but the gateway has no SM2 key: set "
                    + "gateway.crypto.sm2.private-key-file (java -jar … keys new-sm2), or switch signing off");
        }
        if (settings.transport() != UpstreamSettings.Transport.REST) {
            throw new IllegalStateException("gateway.upstream.sign-sm2 signs REST batches only, but gateway.upstream.transport is "
                    + settings.transport().name().toLowerCase(java.util.Locale.ROOT) + ": switch signing off or use the REST adapter");
        }
        return key;
    }

    /** OAuth2 client credentials when a token URL is configured, else the static token. */
    public static UpstreamToken token(UpstreamSettings settings, OutboundTls tls) {
        UpstreamSettings.OAuth2 o = settings.oauth2();
        if (o != null && o.enabled()) {
            return new UpstreamToken.ClientCredentials(java.net.URI.create(o.tokenUrl()), o.clientId(), o.clientSecret(), o.scope(),
                    java.time.Clock.systemUTC(), tls);
        }
        return UpstreamToken.fixed(settings.token());
    }

    /**
     * Pulls the province's list updates into the list feed; off unless gateway.province.list-updates.enabled.
     * Configured here, beside the batch pushes, because it uses the same province connection.
     */
    @Bean
    @org.springframework.boot.autoconfigure.condition.ConditionalOnProperty(name = "gateway.province.list-updates.enabled", havingValue = "true")
    cn.bazhong.credit.gateway.lists.ProvinceListPuller provinceListPuller(cn.bazhong.credit.gateway.ingest.FeedIngestor ingestor,
            KafkaClients clients, UpstreamSettings upstream, cn.bazhong.credit.gateway.lists.ProvinceListUpdatesSettings province,
            @Qualifier("provinceTls") OutboundTls provinceTls, cn.bazhong.credit.gateway.lists.ListUpdateSignatures signatures) {
        // the same credentials and trust material as the batch pushes: a static token or OAuth2 client credentials
        UpstreamToken token = token(upstream, provinceTls);
        return new cn.bazhong.credit.gateway.lists.ProvinceListPuller(ingestor, clients, province.cursorTopic(), upstream.baseUrl(), token,
                province.interval(), provinceTls, signatures);
    }

    /**
     * The Kafka cluster of the province: its own when {@code gateway.upstream.kafka.bootstrap-servers}
     * is set (with {@code gateway.upstream.kafka.client}), otherwise the gateway's.
     */
    static KafkaClients provinceKafka(UpstreamSettings.Kafka kafka, Supplier<KafkaClients> gatewayKafka) {
        if (kafka.bootstrapServers() != null) {
            return new KafkaClients(kafka.bootstrapServers(), kafka.client());
        }
        if (!kafka.client().isEmpty()) {
            // client settings meant for the province must not silently go to the gateway's own cluster
            throw new IllegalStateException("gateway.upstream.kafka.client is set but gateway.upstream.kafka.bootstrap-servers "
                    + "is not: set the province's cluster, or remove the client settings to use the gateway's cluster");
        }
        return gatewayKafka.get();
    }

    /** By default opens after half of the last 10 calls failed and lets a probe through after 10 s (gateway.upstream.circuit). */
    @Bean
    CircuitBreaker upstreamCircuitBreaker(UpstreamSettings settings) {
        UpstreamSettings.Circuit circuit = settings.circuit();
        return CircuitBreaker.of("province", DeliveryPolicy.breakerSettings()
                .slidingWindowSize(circuit.slidingWindow())
                .minimumNumberOfCalls(circuit.minimumCalls())
                .failureRateThreshold(circuit.failureRate())
                .waitDurationInOpenState(circuit.openWait())
                .permittedNumberOfCallsInHalfOpenState(1)
                .build());
    }

    @Bean
    BatchDelivery batchDelivery(UpstreamTransport transport, CircuitBreaker upstreamCircuitBreaker, UpstreamSettings settings, Clock clock) {
        return new BatchDelivery(transport, upstreamCircuitBreaker, settings.initialBackoff(), settings.maxBackoff(),
                settings.retryBudget(), clock);
    }

    @Bean
    WireFormat wireFormat(UpstreamSettings settings, cn.bazhong.credit.gateway.privacy.PersonalFields personal) {
        return new WireFormat(settings.sourceUnit(), personal);
    }

    @Bean
    SenderStage senderStage(KafkaClients clients, GatewayTopics topics, BatchDelivery delivery, WireFormat wire,
                            ReceiptStore receipts, RecordTraces traces, UpstreamMetrics metrics,
                            NodeSettings node, Clock clock,
                            ObjectProvider<cn.bazhong.credit.gateway.measures.PublicationTimeliness> timeliness) {
        // the 双公示 timeliness counts the working days to the province's acceptance too
        cn.bazhong.credit.gateway.measures.PublicationTimeliness t = timeliness.getIfAvailable();
        return new SenderStage(clients, topics, delivery, wire, receipts, traces, metrics, node.nodeId(), clock,
                t == null ? SenderStage.ProvinceAcceptances.NONE
                        : (entries, at) -> t.acceptedByProvince(entries.stream().map(e -> new cn.bazhong.credit.gateway.measures.PublicationTimeliness.Acceptance(
                                "WITHDRAW".equals(e.operation()) ? null : e.recordId(), e.kind(), e.department(), decisionDate(e))).toList(), at));
    }

    /** Execution feedback from the joint-measure workflow, queued for the province as MEASURE_FEEDBACK. */
    @Bean(destroyMethod = "close")
    MeasureFeedbackForwarder measureFeedbackForwarder(KafkaClients clients, GatewayTopics topics, Clock clock,
                                                      NodeSettings node) {
        return new MeasureFeedbackForwarder(clients, topics, clock, node.nodeId());
    }

    /** The decision date of a penalty or licence as the batch carries it (national codes, yyyy-MM-dd); null for other records. */
    static java.time.LocalDate decisionDate(BatchDocument.Entry e) {
        Object d = e.data() == null ? null : e.data().get("ADMIN_LICENSE".equals(e.kind()) ? "XK_JDRQ" : "CF_JDRQ");
        try {
            return d == null ? null : java.time.LocalDate.parse(d.toString());
        } catch (java.time.format.DateTimeParseException unreadable) {
            return null;
        }
    }
}
