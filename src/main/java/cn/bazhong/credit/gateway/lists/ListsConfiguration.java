package cn.bazhong.credit.gateway.lists;

import cn.bazhong.credit.gateway.infra.GatewayTopics;
import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.infra.NodeSettings;
import cn.bazhong.credit.gateway.infra.TopicProvisioner;
import com.hazelcast.core.HazelcastInstance;
import org.apache.kafka.common.config.TopicConfig;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.List;
import java.util.Map;

/** The list-state stage, its topics, the expiry sweep and the view behind the check API. */
@Configuration
@org.springframework.boot.context.properties.EnableConfigurationProperties({ListTopics.class, ListStateSettings.class,
        SubjectsSettings.class, ProvinceListUpdatesSettings.class})
public class ListsConfiguration {

    @Bean
    SubjectKeys subjectKeys(ListStateSettings settings, cn.bazhong.credit.gateway.crypto.config.CryptoSettings crypto,
                            cn.bazhong.credit.gateway.privacy.PersonalFields personal) {
        return new SubjectKeys(settings.subjectKeySecret(), cn.bazhong.credit.gateway.crypto.DigestAlgorithm.parse(crypto.personHash()),
                personal);
    }

    @Bean
    Objections objections(HazelcastInstance hazelcast, cn.bazhong.credit.gateway.privacy.PersonalFields personal) {
        return new Objections(hazelcast, personal);
    }

    @Bean
    ListView listView(HazelcastInstance hazelcast, KafkaClients clients, GatewayTopics topics, ListTopics listTopics,
                      Objections objections) throws Exception {
        TopicProvisioner.ensure(clients, List.of(
                TopicProvisioner.topic(listTopics.stateTopic(), topics.partitions(), topics.replicationFactor(),
                        Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)),
                TopicProvisioner.topic(listTopics.changesTopic(), topics.partitions(), topics.replicationFactor(),
                        Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(listTopics.changesRetention().toMillis())))));
        ListView view = new ListView(hazelcast);
        ListStateStage.rebuildMeanwhile(clients, listTopics.stateTopic(), view, objections);
        return view;
    }

    /** The view's indexes, added on a thread of their own once the view is filled (health indicator {@code listView}). */
    @Bean
    ListViewIndexing listViewHealthIndicator(ListView view) {
        return new ListViewIndexing(view);
    }

    @Bean
    ExpirySweep expirySweep(KafkaClients clients, ListTopics listTopics, ListView view, java.time.Clock clock,
                            ListStateSettings settings, NodeSettings node) {
        return new ExpirySweep(clients, listTopics, view, clock, settings.expiryCheckInterval(), node.nodeId());
    }

    /**
     * The province's SM2 public key its list updates must be signed with, when
     * {@code gateway.province.list-updates.sm2-public-key-file} is set (a key that cannot be read stops the start).
     */
    @Bean
    ListUpdateSignatures listUpdateSignatures(ProvinceListUpdatesSettings province) {
        String publicKeyFile = province.sm2PublicKeyFile();
        String userId = province.sm2UserId();
        if (publicKeyFile.isBlank()) {
            return ListUpdateSignatures.NOT_REQUIRED;
        }
        ListUpdateSignatures signatures = new ListUpdateSignatures(
                cn.bazhong.credit.gateway.crypto.Sm2BodyVerifier.fromPublicKeyFile(java.nio.file.Path.of(publicKeyFile.strip()), userId));
        org.slf4j.LoggerFactory.getLogger(ListsConfiguration.class).info("{}", signatures);
        return signatures;
    }

    @Bean
    ListStateStage listStateStage(KafkaClients clients, GatewayTopics topics, ListTopics listTopics, SubjectKeys keys, ListView view,
                                  NodeSettings node, java.time.Clock clock, Objections objections) {
        return new ListStateStage(clients, topics, listTopics, keys, view, node.nodeId(), clock, objections);
    }

    /** A subject's penalties and licences of the last years, for the check at the counter. */
    @Bean
    SubjectRecords subjectRecords(HazelcastInstance hazelcast, SubjectsSettings subjects) {
        return new SubjectRecords(hazelcast, subjects.recordsYears(), subjects.recordsPerSubject());
    }

    /** The written commitments, for their accepting units' follow-up (plan item 5). */
    @Bean
    Commitments commitments(HazelcastInstance hazelcast) {
        return new Commitments(hazelcast);
    }
}
