package cn.bazhong.credit.gateway.publication;

import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.schema.RecordJson;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.io.IOException;
import java.io.Serial;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * The last day of every published penalty's 公示期, cluster-wide: a Hazelcast map the sweep reads
 * (each node its own share), written through to a compacted topic so that a full restart does not
 * forget a penalty that must still be withdrawn.
 */
public final class PublicationEnds implements AutoCloseable {

    public static final String MAP = "publication-ends";

    /** A published penalty: its version and the last day of its 公示期. */
    public record End(String itemId, String kind, String version, LocalDate end) implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;
    }

    private final IMap<String, End> ends;
    private final KafkaProducer<String, byte[]> producer;
    private final String topic;

    public PublicationEnds(HazelcastInstance hazelcast, KafkaClients clients, String topic, String nodeId) {
        this.ends = hazelcast.getMap(MAP);
        this.topic = topic;
        this.producer = clients.producer("gateway-publication-ends-" + nodeId);
        if (ends.isEmpty()) {
            clients.readToEnd(topic, "publication-ends-loader", r -> {
                if (r.value() == null) {
                    ends.remove(r.key());
                } else {
                    try {
                        ends.set(r.key(), RecordJson.mapper().readValue(r.value(), End.class));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            });
        }
    }

    /** Durably notes (or moves) the end of an item's 公示期. */
    public void put(End end) {
        try {
            write(end.itemId(), RecordJson.mapper().writeValueAsBytes(end));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ends.set(end.itemId(), end);
    }

    /** Forgets an item (withdrawn, or its withdrawal sent). */
    public void remove(String itemId) {
        if (ends.containsKey(itemId)) {
            write(itemId, null);
            ends.remove(itemId);
        }
    }

    /** The items this node owns whose 公示期 ended before {@code today}. */
    public List<End> endedLocal(LocalDate today) {
        List<End> out = new ArrayList<>();
        for (String key : ends.localKeySet()) {
            End e = ends.get(key);
            if (e != null && e.end().isBefore(today)) {
                out.add(e);
            }
        }
        return out;
    }

    private void write(String itemId, byte[] value) {
        KafkaClients.awaitDurable(producer.send(new ProducerRecord<>(topic, itemId, value)), "the 公示期 end of " + itemId);
    }

    @Override
    public void close() {
        producer.close(java.time.Duration.ofSeconds(5));
    }
}
