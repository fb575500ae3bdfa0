package cn.bazhong.credit.gateway.feeds;

import cn.bazhong.credit.gateway.infra.GatewayTopics;
import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.infra.TopicProvisioner;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The topics of departments that deliver over Kafka ({@code gateway.feeds.<dept>.kafka.*}). The
 * gateway creates the receipts and dead-letter topics it writes; the department's own topic is
 * created only when {@code provision-source-topic} is true (one machine, tests), since on a real
 * cluster it belongs to the department.
 */
public record KafkaFeedTopics(List<Feed> feeds, int partitions, short replicationFactor) {

    /** @param department the department's key under {@code gateway.feeds} (e.g. {@code swj}) */
    public record Feed(String department, String topic, String receiptsTopic, String deadLetterTopic, boolean provisionSourceTopic) {
    }

    /** The Kafka feed that reads {@code topic}, if one is enabled. */
    public java.util.Optional<Feed> ofTopic(String topic) {
        return feeds.stream().filter(f -> f.topic().equals(topic)).findFirst();
    }

    /** The department's Kafka feed ({@code dept} in any case), if it has one enabled. */
    public java.util.Optional<Feed> of(String dept) {
        return feeds.stream().filter(f -> f.department().equalsIgnoreCase(dept)).findFirst();
    }

    /**
     * The enabled Kafka feeds of {@code environment}. {@code gateway.feeds.<dept>.*} is read through the
     * {@link Binder}, not a settings record: the departments and their parameters are the integrators' (their
     * routes read the same keys), and the configuration metadata accepts any key below {@code gateway.feeds}.
     * The partitions and replicas are the gateway's topics' ({@code gateway.topics.*}).
     */
    static KafkaFeedTopics from(Environment environment, GatewayTopics topics) {
        Binder binder = Binder.get(environment);
        List<Feed> feeds = new ArrayList<>();
        Map<String, Object> all = binder.bind("gateway.feeds", org.springframework.boot.context.properties.bind.Bindable.mapOf(String.class, Object.class))
                .orElse(Map.of());
        for (String dept : all.keySet()) {
            String p = "gateway.feeds." + dept + ".kafka.";
            String topic = environment.getProperty(p + "topic");
            if (topic == null || !environment.getProperty(p + "enabled", Boolean.class, false)) {
                continue;
            }
            feeds.add(new Feed(dept, topic, environment.getRequiredProperty(p + "receipts-topic"),
                    environment.getRequiredProperty(p + "dead-letter-topic"),
                    environment.getProperty(p + "provision-source-topic", Boolean.class, false)));
        }
        return new KafkaFeedTopics(feeds, topics.partitions(), topics.replicationFactor());
    }

    void provision(KafkaClients clients) {
        List<NewTopic> topics = new ArrayList<>();
        for (Feed f : feeds) {
            topics.add(TopicProvisioner.topic(f.receiptsTopic(), partitions, replicationFactor, Map.of()));
            // a department's message may be close to its topic's limit, and sealing makes it a third longer
            topics.add(TopicProvisioner.topic(f.deadLetterTopic(), 1, replicationFactor, Map.of("retention.ms", "-1",
                    "max.message.bytes", String.valueOf(KafkaClients.LARGEST_MESSAGE))));
            if (f.provisionSourceTopic()) {
                topics.add(TopicProvisioner.topic(f.topic(), partitions, replicationFactor, Map.of()));
            }
        }
        if (!topics.isEmpty()) {
            TopicProvisioner.ensure(clients, topics);
        }
    }
}
