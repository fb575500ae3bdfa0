package cn.bazhong.credit.gateway.lists;

import cn.bazhong.credit.gateway.infra.GatewayTopics;
import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.infra.TopicProvisioner;
import com.hazelcast.core.HazelcastInstance;
import org.apache.kafka.common.config.TopicConfig;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.List;
import java.util.Map;

/** The list-state stage, its compacted topic and the view behind the check API. */
@Configuration
public class ListsConfiguration {

    @Bean
    SubjectKeys subjectKeys(@Value("${gateway.lists.subject-key-secret}") String secret) {
        return new SubjectKeys(secret);
    }

    @Bean
    ListView listView(HazelcastInstance hazelcast, KafkaClients clients, GatewayTopics topics,
                      @Value("${gateway.lists.topic}") String stateTopic) throws Exception {
        TopicProvisioner.ensure(clients, List.of(TopicProvisioner.topic(stateTopic, topics.partitions(), topics.replicationFactor(),
                Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))));
        ListView view = new ListView(hazelcast);
        ListStateStage.rebuild(clients, stateTopic, view);
        return view;
    }

    /** Pulls the province's list updates; off unless gateway.province.list-updates.enabled. */
    @Bean
    @org.springframework.boot.autoconfigure.condition.ConditionalOnProperty(name = "gateway.province.list-updates.enabled", havingValue = "true")
    ProvinceListPuller provinceListPuller(cn.bazhong.credit.gateway.ingest.FeedIngestor ingestor, KafkaClients clients,
                                          cn.bazhong.credit.gateway.upstream.UpstreamSettings upstream,
                                          @Value("${gateway.province.list-updates.cursor-topic}") String cursorTopic,
                                          @Value("${gateway.province.list-updates.interval}") java.time.Duration interval) {
        // the same credentials as the batch pushes: a static token or OAuth2 client credentials
        cn.bazhong.credit.gateway.upstream.UpstreamToken token = cn.bazhong.credit.gateway.upstream.UpstreamConfiguration.token(upstream);
        return new ProvinceListPuller(ingestor, clients, cursorTopic, upstream.baseUrl(), token, interval);
    }

    @Bean
    ListStateStage listStateStage(KafkaClients clients, GatewayTopics topics, @Value("${gateway.lists.topic}") String stateTopic,
                                  SubjectKeys keys, ListView view, @Value("${gateway.node-id}") String nodeId) {
        return new ListStateStage(clients, topics, stateTopic, keys, view, nodeId);
    }
}
