package cn.bazhong.credit.gateway.upstream;

import cn.bazhong.credit.gateway.infra.GatewayTopics;
import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.schema.RecordJson;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The batches the province did not take: listed from the dead-letter topic, and replayed by
 * putting the batch back on the batches topic with the same id and content. Replaying twice is
 * harmless: the province answers a repeated batch id with its first answer.
 */
public class DeadLetters implements AutoCloseable {

    /** A dead letter as operators see it. */
    public record Entry(String batchId, String dataset, int records, String reason, int status, Instant at, Instant replayedAt) {
    }

    private final KafkaClients clients;
    private final GatewayTopics topics;
    private final KafkaProducer<String, byte[]> producer;
    private final IMap<String, Long> replayed;
    private final Clock clock;

    public DeadLetters(KafkaClients clients, GatewayTopics topics, HazelcastInstance hazelcast, Clock clock) {
        this.clients = clients;
        this.topics = topics;
        this.producer = clients.producer("gateway-dead-letter-replay");
        this.replayed = hazelcast.getMap(cn.bazhong.credit.gateway.infra.HazelcastMaps.DEAD_LETTERS_REPLAYED);
        this.clock = clock;
    }

    public List<Entry> list() {
        List<Entry> out = new ArrayList<>();
        for (SenderStage.DeadLetter letter : readAll().values()) {
            Long at = replayed.get(letter.batch().batchId());
            out.add(new Entry(letter.batch().batchId(), letter.batch().dataset(), letter.batch().records().size(), letter.reason(),
                    letter.status(), letter.at(), at == null ? null : Instant.ofEpochMilli(at)));
        }
        return out;
    }

    /** Puts the batch back for sending; false when no dead letter has that batch id. */
    public boolean replay(String batchId) {
        SenderStage.DeadLetter letter = readAll().get(batchId);
        if (letter == null) {
            return false;
        }
        try {
            producer.send(new ProducerRecord<>(topics.batches(), letter.batch().dataset(),
                    RecordJson.mapper().writeValueAsBytes(letter.batch()))).get(60, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while replaying " + batchId, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("batch " + batchId + " could not be put back: " + e.getMessage(), e);
        }
        replayed.set(batchId, Instant.now(clock).toEpochMilli());
        return true;
    }

    /** The latest dead letter per batch id, read from the start of the topic. */
    private Map<String, SenderStage.DeadLetter> readAll() {
        Map<String, SenderStage.DeadLetter> byBatch = new LinkedHashMap<>();
        clients.readToEnd(topics.upstreamDeadLetters(), "dead-letter-reader", r -> {
            try {
                byBatch.put(r.key(), RecordJson.mapper().readValue(r.value(), SenderStage.DeadLetter.class));
            } catch (IOException e) {
                throw new UncheckedIOException("dead letter at offset " + r.offset() + " cannot be read", e);
            }
        });
        return byBatch;
    }

    @Override
    public void close() {
        producer.close();
    }
}
