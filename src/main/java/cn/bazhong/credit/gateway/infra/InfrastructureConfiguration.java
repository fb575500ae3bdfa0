package cn.bazhong.credit.gateway.infra;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.List;
import java.util.Map;

/** Wires Kafka and Hazelcast: embedded on one machine, external when configured, same code either way. */
@Configuration
@EnableConfigurationProperties({NodeSettings.class, KafkaSettings.class, HazelcastSettings.class, GatewayTopics.class,
        ReceiptSettings.class})
public class InfrastructureConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(name = "gateway.kafka.embedded.enabled", havingValue = "true")
    EmbeddedKafkaBroker embeddedKafkaBroker(KafkaSettings settings) throws Exception {
        KafkaSettings.Embedded e = settings.embedded();
        return EmbeddedKafkaBroker.start(e.host(), e.port(), e.controllerPort(), e.logDir(), e.broker());
    }

    /** The clients of every stage; created after the embedded broker when there is one. */
    @Bean
    KafkaClients kafkaClients(KafkaSettings settings, GatewayTopics topics, ObjectProvider<EmbeddedKafkaBroker> embedded,
                              ReceiptSettings receipts) {
        EmbeddedKafkaBroker broker = embedded.getIfAvailable();
        String bootstrap = broker != null ? broker.bootstrapServers() : settings.bootstrapServers();
        KafkaClients clients = new KafkaClients(bootstrap, settings.client());
        String largeMessage = String.valueOf(KafkaClients.LARGEST_MESSAGE);
        // docs/deployment.md, "Retention and disk": the record topics keep what their readers need; the
        // dedup index keeps every forwarded version in a compacted topic of its own, whatever they keep
        List<NewTopic> needed = List.of(
                TopicProvisioner.topic(topics.records(), topics.partitions(), topics.replicationFactor(),
                        Map.of(TopicConfig.RETENTION_MS_CONFIG, GatewayTopics.retentionMs(topics.recordsRetention()))),
                TopicProvisioner.topic(topics.upstream(), topics.partitions(), topics.replicationFactor(),
                        Map.of(TopicConfig.RETENTION_MS_CONFIG, GatewayTopics.retentionMs(topics.upstreamRetention()))),
                TopicProvisioner.topic(topics.dedupIndex(), topics.partitions(), topics.replicationFactor(),
                        Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)),
                TopicProvisioner.topic(topics.batches(), 1, topics.replicationFactor(),
                        Map.of(TopicConfig.RETENTION_MS_CONFIG, GatewayTopics.retentionMs(topics.batchesRetention()),
                                TopicConfig.MAX_MESSAGE_BYTES_CONFIG, largeMessage)),
                // dead letters stay until someone replays them
                TopicProvisioner.topic(topics.upstreamDeadLetters(), 1, topics.replicationFactor(),
                        Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1", TopicConfig.MAX_MESSAGE_BYTES_CONFIG, largeMessage)),
                // a receipt lists up to 10,000 rejections in detail: a few MB at most; the latest of each
                // receipt is kept, for gateway.receipts.retention
                TopicProvisioner.topic(topics.receipts(), topics.partitions(), topics.replicationFactor(),
                        Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT + "," + TopicConfig.CLEANUP_POLICY_DELETE,
                                TopicConfig.RETENTION_MS_CONFIG, String.valueOf(receipts.retention().toMillis()),
                                TopicConfig.MAX_MESSAGE_BYTES_CONFIG, largeMessage)));
        TopicProvisioner.ensure(clients, needed);
        return clients;
    }

    @Bean(destroyMethod = "shutdown")
    HazelcastInstance hazelcast(HazelcastSettings settings) {
        Config c = new Config();
        c.setClusterName(settings.clusterName());
        c.setInstanceName("credit-gateway-" + settings.port());
        c.setProperty("hazelcast.phone.home.enabled", "false");
        c.setProperty("hazelcast.logging.type", "slf4j");
        c.setProperty("hazelcast.shutdownhook.enabled", "false");
        c.setProperty("hazelcast.wait.seconds.before.join", "0");
        if (settings.minimumClusterSize() > 1) {
            // split-brain protection refuses a lone member's writes, and start-up writes (the list-entries
            // index, views rebuilt from Kafka) would then fail the node: start once that many members are up
            c.setProperty("hazelcast.initial.min.cluster.size", String.valueOf(settings.minimumClusterSize()));
        }
        c.getNetworkConfig().setPort(settings.port()).setPortAutoIncrement(false);
        c.getNetworkConfig().getInterfaces().setEnabled(true).addInterface(settings.bindAddress());
        // listen on that interface only, not on every address of the machine (Hazelcast's default)
        c.setProperty("hazelcast.socket.bind.any", "false");
        JoinConfig join = c.getNetworkConfig().getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setMembers(settings.members());
        HazelcastMaps.configure(c, settings);
        return Hazelcast.newHazelcastInstance(c);
    }
}
