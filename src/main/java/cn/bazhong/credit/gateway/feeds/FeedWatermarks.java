package cn.bazhong.credit.gateway.feeds;

import cn.bazhong.credit.gateway.infra.HazelcastMaps;
import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.infra.TopicProvisioner;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * How far each database feed has read its department's table: the update time and key of the last
 * row whose records are durable. Kept on a compacted Kafka topic (the record, written and
 * acknowledged by every in-sync replica before the feed goes on) and in a Hazelcast map for reading
 * (a view, rebuilt from the topic after the whole cluster was restarted), like the receipts and the
 * list entry sequence. Kafka rather than a table of the gateway's own: the gateway has no database,
 * and its other durable state already lives on compacted topics with the same replication.
 */
public class FeedWatermarks implements AutoCloseable {

    private final KafkaClients clients;
    private final String topic;
    private final KafkaProducer<String, byte[]> producer;
    private final IMap<String, String> view;

    public FeedWatermarks(KafkaClients clients, String topic, int partitions, short replicationFactor, HazelcastInstance hazelcast) {
        this.clients = clients;
        this.topic = topic;
        TopicProvisioner.ensure(clients, List.of(TopicProvisioner.topic(topic, partitions, replicationFactor,
                Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))));
        this.producer = clients.producer("gateway-feed-watermarks");
        this.view = hazelcast.getMap(HazelcastMaps.FEED_WATERMARKS);
    }

    /** Fills the view from the topic when it is empty (the whole cluster was restarted). */
    public void rebuildIfEmpty() {
        if (!view.isEmpty()) {
            return;
        }
        clients.readToEnd(topic, "feed-watermarks-loader", r -> {
            if (r.value() != null) {
                view.set(r.key(), new String(r.value(), StandardCharsets.UTF_8));
            }
        });
    }

    /** The feed's watermark, or null when it has read nothing yet. */
    public Watermark get(String feed) {
        String text = view.get(feed);
        return text == null ? null : Watermark.parse(text);
    }

    /** Stores the feed's new watermark durably; throws when Kafka does not acknowledge it. */
    public void advance(String feed, Watermark watermark) {
        String text = watermark.format();
        KafkaClients.awaitDurable(producer.send(new ProducerRecord<>(topic, feed, text.getBytes(StandardCharsets.UTF_8))),
                "the watermark of feed " + feed);
        view.set(feed, text);
    }

    @Override
    public void close() {
        producer.close(java.time.Duration.ofSeconds(5));
    }
}
