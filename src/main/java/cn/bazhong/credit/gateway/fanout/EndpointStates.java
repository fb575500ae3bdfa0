package cn.bazhong.credit.gateway.fanout;

import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.schema.RecordJson;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Optional;

/**
 * Which departments' endpoints are disabled (they answered 410 Gone), cluster-wide: a Hazelcast map
 * that every node's dispatcher reads, written through to a compacted topic so that a full restart
 * does not forget a disabled endpoint. Events wait, undelivered and uncommitted, until an operator
 * enables the endpoint again; then the department catches up in order.
 */
public final class EndpointStates implements AutoCloseable {

    public static final String MAP = "fanout-endpoints";

    /** Why and since when an endpoint is disabled. */
    public record Disabled(String reason, Instant since) implements Serializable {
    }

    private final IMap<String, Disabled> disabled;
    private final KafkaProducer<String, byte[]> producer;
    private final String topic;

    public EndpointStates(HazelcastInstance hazelcast, KafkaClients clients, String topic, String nodeId) {
        this.disabled = hazelcast.getMap(MAP);
        this.topic = topic;
        this.producer = clients.producer("gateway-fanout-endpoints-" + nodeId);
        if (disabled.isEmpty()) {
            clients.readToEnd(topic, "fanout-endpoints-loader", r -> {
                if (r.value() == null) {
                    disabled.remove(r.key());
                } else {
                    try {
                        disabled.set(r.key(), RecordJson.mapper().readValue(r.value(), Disabled.class));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            });
        }
    }

    public Optional<Disabled> disabled(String department) {
        return Optional.ofNullable(disabled.get(department));
    }

    public void disable(String department, String reason, Instant at) {
        Disabled d = new Disabled(reason, at);
        try {
            write(department, RecordJson.mapper().writeValueAsBytes(d));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        disabled.set(department, d);
    }

    /** True when it was disabled. */
    public boolean enable(String department) {
        write(department, null);
        return disabled.remove(department) != null;
    }

    private void write(String department, byte[] value) {
        KafkaClients.awaitDurable(producer.send(new ProducerRecord<>(topic, department, value)), "the endpoint state of " + department);
    }

    @Override
    public void close() {
        producer.close(java.time.Duration.ofSeconds(5));
    }
}
