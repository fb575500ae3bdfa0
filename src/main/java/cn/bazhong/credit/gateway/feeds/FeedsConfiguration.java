package cn.bazhong.credit.gateway.feeds;

import cn.bazhong.credit.gateway.ingest.FeedIngestor;
import cn.bazhong.credit.gateway.infra.KafkaClients;
import com.hazelcast.core.HazelcastInstance;
import org.springframework.core.env.Environment;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The beans the feed route templates refer to by name. */
@Configuration
@org.springframework.boot.context.properties.EnableConfigurationProperties(FeedWatermarkSettings.class)
public class FeedsConfiguration {

    /** Files taken from departments' SFTP folders, cluster-wide. */
    public static final String SFTP_FILES_MAP = "sftp-files-taken";

    @Bean("sftpFeedHandler")
    SftpFeedHandler sftpFeedHandler(FeedIngestor ingestor) {
        return new SftpFeedHandler(ingestor);
    }

    @Bean(name = "kafkaFeedHandler", destroyMethod = "close")
    KafkaFeedHandler kafkaFeedHandler(FeedIngestor ingestor, cn.bazhong.credit.gateway.ingest.ReceiptStore receipts, KafkaClients clients,
                                      KafkaFeedTopics topics, cn.bazhong.credit.gateway.privacy.PersonalFields personal) {
        topics.provision(clients);
        return new KafkaFeedHandler(ingestor, receipts, clients, personal, topics);
    }

    /** The Kafka feeds' dead letters, for operators to list and replay. */
    @Bean(destroyMethod = "close")
    FeedDeadLetters feedDeadLetters(KafkaFeedTopics topics, KafkaClients clients, FeedIngestor ingestor,
                                    cn.bazhong.credit.gateway.ingest.ReceiptStore receipts,
                                    cn.bazhong.credit.gateway.privacy.PersonalFields personal, HazelcastInstance hazelcast) {
        return new FeedDeadLetters(topics, clients, ingestor, receipts, personal, hazelcast);
    }

    @Bean
    KafkaFeedTopics kafkaFeedTopics(Environment environment, cn.bazhong.credit.gateway.infra.GatewayTopics topics) {
        return KafkaFeedTopics.from(environment, topics);
    }

    /** Where each database feed stands in its table, on a compacted topic (see {@link FeedWatermarks}). */
    @Bean(name = "feedWatermarks", destroyMethod = "close")
    FeedWatermarks feedWatermarks(KafkaClients clients, cn.bazhong.credit.gateway.infra.GatewayTopics topics, HazelcastInstance hazelcast,
                                  FeedWatermarkSettings settings) {
        FeedWatermarks watermarks = new FeedWatermarks(clients, settings.topic(), 1, topics.replicationFactor(), hazelcast);
        watermarks.rebuildIfEmpty();
        return watermarks;
    }

    /** The database feeds' connection pools, closed with the gateway. */
    @Bean(name = "jdbcFeedDataSources", destroyMethod = "close")
    JdbcFeedDataSources jdbcFeedDataSources() {
        return new JdbcFeedDataSources();
    }

    /** The polled feeds with their schedules, for the console's overview. */
    @Bean
    FeedPollers feedPollers(org.apache.camel.CamelContext camel) {
        return new FeedPollers(camel);
    }

    @Bean("sftpFilesTaken")
    HazelcastIdempotentRepository sftpFilesTaken(HazelcastInstance hazelcast) {
        return new HazelcastIdempotentRepository(hazelcast, SFTP_FILES_MAP);
    }
}
