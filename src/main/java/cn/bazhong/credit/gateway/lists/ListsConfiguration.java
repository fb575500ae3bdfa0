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

    @Bean
    ListStateStage listStateStage(KafkaClients clients, GatewayTopics topics, @Value("${gateway.lists.topic}") String stateTopic,
                                  SubjectKeys keys, ListView view, @Value("${gateway.node-id}") String nodeId) {
        return new ListStateStage(clients, topics, stateTopic, keys, view, nodeId);
    }
}
