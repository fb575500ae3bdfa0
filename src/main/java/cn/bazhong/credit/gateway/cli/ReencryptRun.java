package cn.bazhong.credit.gateway.cli;

import cn.bazhong.credit.gateway.privacy.PersonalFields;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * The re-encryption run ({@code keys reencrypt}): brings every sealed value on the gateway's compacted
 * topics under the current data key, so that an older data key can leave the ring. Run it with the
 * gateway's nodes stopped: it rewrites the latest value of each key, which a running stage could be
 * writing at the same moment. One partition at a time, the latest value of each key is read to the end;
 * a value that holds sealed values under an older key is written again, same key, same partition, same
 * headers, with only those values changed (a whole sealed message, or the sealed strings of a JSON value).
 * The Hazelcast views are rebuilt from these topics when the nodes start again. Append-only topics are
 * refused: their values are never rewritten, and their data keys stay in the ring for their retention.
 */
final class ReencryptRun {

    /** What the run did to one topic. */
    record Result(String topic, long latest, long rewritten) {
    }

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .build();

    private final String bootstrapServers;
    private final PersonalFields fields;

    ReencryptRun(String bootstrapServers, PersonalFields fields) {
        this.bootstrapServers = bootstrapServers;
        this.fields = fields;
    }

    List<Result> run(List<String> topics, boolean dryRun) throws InterruptedException, ExecutionException {
        List<Result> out = new ArrayList<>();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers));
             KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                     ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                     ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                     ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"), new ByteArrayDeserializer(), new ByteArrayDeserializer());
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                     ProducerConfig.ACKS_CONFIG, "all",
                     ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true"), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (String topic : topics) {
                requireCompacted(admin, topic);
                out.add(topic(consumer, producer, topic, dryRun));
            }
        }
        return out;
    }

    private static void requireCompacted(Admin admin, String topic) throws InterruptedException, ExecutionException {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
        String policy = config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
        if (policy == null || !policy.contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
            throw new IllegalArgumentException("topic " + topic + " is not compacted (" + policy + "): its values are never rewritten;"
                    + " keep the data keys it was written under in the ring for as long as it keeps them");
        }
    }

    private Result topic(KafkaConsumer<byte[], byte[]> consumer, KafkaProducer<byte[], byte[]> producer, String topic, boolean dryRun)
            throws InterruptedException, ExecutionException {
        long latestCount = 0;
        long rewritten = 0;
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        for (TopicPartition tp : partitions) {
            Map<String, ConsumerRecord<byte[], byte[]>> latest = latestOf(consumer, tp);
            latestCount += latest.size();
            List<Future<?>> writes = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> r : latest.values()) {
                byte[] again = resealed(r.value());
                if (again != null) {
                    rewritten++;
                    if (!dryRun) {
                        writes.add(producer.send(new ProducerRecord<>(topic, tp.partition(), r.key(), again, r.headers())));
                    }
                }
            }
            for (Future<?> w : writes) {
                w.get();
            }
        }
        return new Result(topic, latestCount, rewritten);
    }

    /** The latest record of each key of one partition (tombstones included, so that a deleted key is not brought back). */
    private static Map<String, ConsumerRecord<byte[], byte[]>> latestOf(KafkaConsumer<byte[], byte[]> consumer, TopicPartition tp) {
        consumer.assign(List.of(tp));
        consumer.seekToBeginning(List.of(tp));
        long end = consumer.endOffsets(List.of(tp)).get(tp);
        Map<String, ConsumerRecord<byte[], byte[]>> latest = new HashMap<>();
        while (consumer.position(tp) < end) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                latest.put(r.key() == null ? "\u0000" + r.offset() : Base64.getEncoder().encodeToString(r.key()), r);
            }
        }
        latest.values().removeIf(r -> r.value() == null);
        return latest;
    }

    /** The value with its sealed parts under the current key, or null when nothing in it changes. */
    byte[] resealed(byte[] value) {
        String text = new String(value, StandardCharsets.UTF_8);
        if (PersonalFields.isSealed(text)) {
            String again = fields.reseal(text.strip());
            return again.equals(text.strip()) ? null : again.getBytes(StandardCharsets.UTF_8);
        }
        JsonNode tree;
        try {
            tree = JSON.readTree(value);
        } catch (IOException notJson) {
            return null;
        }
        if (tree == null || !walk(tree)) {
            return null;
        }
        try {
            return JSON.writeValueAsBytes(tree);
        } catch (IOException e) {
            throw new IllegalStateException("a value could not be written again", e);
        }
    }

    /** Reseals every sealed string under {@code node}; whether one changed. */
    private boolean walk(JsonNode node) {
        boolean changed = false;
        if (node instanceof ObjectNode object) {
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String again = sealedAgain(e.getValue());
                if (again != null) {
                    e.setValue(TextNode.valueOf(again));
                    changed = true;
                } else {
                    changed |= walk(e.getValue());
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                String again = sealedAgain(array.get(i));
                if (again != null) {
                    array.set(i, TextNode.valueOf(again));
                    changed = true;
                } else {
                    changed |= walk(array.get(i));
                }
            }
        }
        return changed;
    }

    private String sealedAgain(JsonNode node) {
        if (!node.isTextual() || !PersonalFields.isSealed(node.textValue())) {
            return null;
        }
        String again = fields.reseal(node.textValue());
        return again.equals(node.textValue()) ? null : again;
    }
}
