package cn.bazhong.credit.gateway.fanout;

import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.lists.ListChangeEvent;
import cn.bazhong.credit.gateway.schema.RecordJson;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;

/**
 * Puts list changes back for one department: they go to the redelivery topic with a
 * {@code department} header, and only that department's dispatcher delivers them (with the same
 * event ids, so a department that had them already can tell).
 */
public final class Redeliveries implements AutoCloseable {

    public static final String DEPARTMENT_HEADER = "department";

    private final String topic;
    private final KafkaProducer<String, byte[]> producer;

    public Redeliveries(KafkaClients clients, String topic, String nodeId) {
        this.topic = topic;
        this.producer = clients.producer("gateway-fanout-redeliveries-" + nodeId);
    }

    public String topic() {
        return topic;
    }

    /** Durably puts the changes back for the department, in the given order. */
    public void putBack(String department, List<ListChangeEvent> changes) {
        List<Future<RecordMetadata>> sent = new ArrayList<>(changes.size());
        try {
            for (ListChangeEvent change : changes) {
                RecordHeaders headers = new RecordHeaders();
                headers.add(DEPARTMENT_HEADER, department.getBytes(StandardCharsets.UTF_8));
                sent.add(producer.send(new ProducerRecord<>(topic, null, change.subjectKey(),
                        RecordJson.mapper().writeValueAsBytes(change), headers)));
            }
            for (Future<RecordMetadata> f : sent) {
                KafkaClients.awaitDurable(f, "an event put back for " + department);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The department a redelivery is for, or null for a record without the header. */
    static String departmentOf(ConsumerRecord<String, byte[]> r) {
        Header h = r.headers().lastHeader(DEPARTMENT_HEADER);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        producer.close(java.time.Duration.ofSeconds(5));
    }
}
