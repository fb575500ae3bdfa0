package cn.bazhong.credit.gateway.infra;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.HashMap;
import java.util.Map;

/**
 * Builds the Kafka clients of the gateway's internal stages with the settings that make them
 * safe: idempotent producers acknowledged by all replicas, consumers that read only committed
 * data and commit offsets themselves, cooperative rebalancing.
 */
public final class KafkaClients {

    /**
     * The largest message the gateway writes (8 MiB): a producer's request, and the topics that keep whole documents or
     * messages (batches, receipts, dead letters) are made to take it; the embedded broker takes it everywhere.
     */
    public static final int LARGEST_MESSAGE = 8 * 1024 * 1024;

    private final String bootstrapServers;
    private final Map<String, String> common;

    public KafkaClients(String bootstrapServers, Map<String, String> common) {
        this.bootstrapServers = bootstrapServers;
        this.common = Map.copyOf(common);
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public Map<String, Object> base() {
        Map<String, Object> p = new HashMap<>(common);
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return p;
    }

    /**
     * A durable producer: every send is acknowledged by all in-sync replicas, never duplicated by retries.
     * It sends at once ({@code linger.ms} 0): its callers wait for each send before the next (a receipt,
     * a sequence number, a delivery's state), so waiting to fill a batch would only add to every write.
     * Records sent meanwhile by other threads still travel together while a request is under way.
     */
    public KafkaProducer<String, byte[]> producer(String clientId) {
        return producer(clientId, Map.of());
    }

    /**
     * A durable producer for many records sent before one wait (a file's records, an index copied from a
     * topic): it waits up to {@value #BULK_LINGER_MS} ms to fill a batch, so that a thousand records take a
     * few requests rather than hundreds; the wait at the end is a {@code flush()}, which sends at once.
     */
    public KafkaProducer<String, byte[]> bulkProducer(String clientId) {
        return producer(clientId, Map.of(ProducerConfig.LINGER_MS_CONFIG, BULK_LINGER_MS));
    }

    /**
     * A durable producer for a log written a few short lines at a time (checks, initiations, deliveries), on top of
     * {@code overrides}: its batches are not compressed. Kafka's LZ4 stream allocates two 64 KB buffers for every
     * batch it opens, which a batch of 256 KB of records pays back and a batch of three lines does not (measured: a
     * quarter of the gateway's allocation during the check load, a fifth during a fan-out; docs/benchmarks.md), and
     * a few lines compress little. Snappy, tried first, reuses its buffers but has no fallback when its native
     * library cannot be loaded (a {@code /tmp} mounted {@code noexec}), where lz4-java falls back to Java.
     */
    public KafkaProducer<String, byte[]> lineProducer(String clientId, Map<String, Object> overrides) {
        Map<String, Object> p = new java.util.HashMap<>(overrides);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, LINE_COMPRESSION);
        return producer(clientId, p);
    }

    /** The compression of {@link #lineProducer}. */
    public static final String LINE_COMPRESSION = "none";

    /** How long a bulk or transactional producer waits to fill a batch. */
    public static final int BULK_LINGER_MS = 10;

    /**
     * The durable producer with some settings of its own on top, e.g. small batches for a log written a
     * line at a time (a 256 KB batch buffer per line costs more than the line).
     */
    public KafkaProducer<String, byte[]> producer(String clientId, Map<String, Object> overrides) {
        Map<String, Object> p = durableProducerConfig(clientId);
        p.putAll(overrides);
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    /**
     * Waits until Kafka has acknowledged a send; otherwise throws an {@link IllegalStateException} naming
     * {@code what} (interrupted: the thread's flag is set again). The one way the gateway's stores wait for
     * a write to be durable before they show it.
     */
    public static void awaitDurable(java.util.concurrent.Future<?> send, String what) {
        try {
            send.get(60, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing " + what, e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException(what + " could not be written: " + e.getMessage(), e);
        }
    }

    /** A transactional producer for consume-transform-produce stages (exactly once between topics). */
    public KafkaProducer<String, byte[]> transactionalProducer(String transactionalId) {
        Map<String, Object> p = durableProducerConfig(transactionalId);
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        p.put(ProducerConfig.LINGER_MS_CONFIG, BULK_LINGER_MS); // the commit sends what is left at once
        // a stage's transaction lasts well under a second; when its node dies with one open, readers of
        // those partitions wait until it times out, so keep that short (Kafka's default is 60 s)
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 15_000);
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    /**
     * A transactional producer whose transactions may last up to {@code transactionTimeout} (at most the
     * broker's {@code transaction.max.timeout.ms}, 15 minutes by default), e.g. a REST push read from a
     * slow client. Readers of the partitions it writes wait for its open transaction that long at most.
     */
    public KafkaProducer<String, byte[]> transactionalProducer(String transactionalId, java.time.Duration transactionTimeout) {
        Map<String, Object> p = durableProducerConfig(transactionalId);
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        p.put(ProducerConfig.LINGER_MS_CONFIG, BULK_LINGER_MS);
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) transactionTimeout.toMillis());
        // a send must not time out before the transaction it belongs to
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.max(120_000, transactionTimeout.toMillis()));
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    private Map<String, Object> durableProducerConfig(String clientId) {
        Map<String, Object> p = base();
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        // credit records are about 1-2 KB: large batches keep the number of acks=all round trips low
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, LARGEST_MESSAGE);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
        return p;
    }

    /** A consumer in a group that reads committed data only and never auto-commits. */
    public KafkaConsumer<String, byte[]> consumer(String groupId, String clientId, int maxPollRecords) {
        return consumer(groupId, clientId, maxPollRecords, Map.of());
    }

    /**
     * The same consumer with some settings of its own on top, e.g. the short session timeout of the
     * lease consumer that decides which node polls a feed.
     */
    public KafkaConsumer<String, byte[]> consumer(String groupId, String clientId, int maxPollRecords, Map<String, Object> overrides) {
        return new KafkaConsumer<>(consumerConfig(groupId, clientId, maxPollRecords, overrides), new StringDeserializer(),
                new ByteArrayDeserializer());
    }

    /** What {@link #consumer(String, String, int, Map)} is made with. */
    Map<String, Object> consumerConfig(String groupId, String clientId, int maxPollRecords, Map<String, Object> overrides) {
        Map<String, Object> p = base();
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
        p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
                "org.apache.kafka.clients.consumer.CooperativeStickyAssignor");
        // a node that dies gives its partitions up after 15 s rather than Kafka's 45 s default
        // (heartbeats come from a thread of their own, so slow work does not count against it);
        // gateway.kafka.client.session.timeout.ms / heartbeat.interval.ms set by the operator win
        p.putIfAbsent(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 15_000);
        p.putIfAbsent(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 3_000);
        p.putAll(overrides);
        return p;
    }

    /**
     * Reads every partition of a topic from its start to the end it has now (committed data only),
     * handing each record to {@code each}: how views are rebuilt from compacted topics.
     */
    public void readToEnd(String topic, String clientId, java.util.function.Consumer<org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]>> each) {
        readToEndInPolls(topic, clientId, polled -> polled.forEach(each));
    }

    /**
     * As {@link #readToEnd}, handing over each poll's records at once (in their order within each
     * partition), for a rebuild that writes a poll's worth of records to its view in one go.
     */
    public void readToEndInPolls(String topic, String clientId,
                                 java.util.function.Consumer<java.util.List<org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]>>> eachPoll) {
        readToEndInPolls(topic, clientId, Long.MAX_VALUE, eachPoll);
    }

    /**
     * Reads the last {@code lastPerPartition} offsets of each partition of a topic, to the end it has now, handing each
     * record to {@code each}; answers how many offsets the partitions hold in all (their records, on a topic written
     * without transactions and not compacted). For the newest entries of a long topic, e.g. a dead-letter topic.
     */
    public long readLast(String topic, String clientId, long lastPerPartition,
                         java.util.function.Consumer<org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]>> each) {
        return readToEndInPolls(topic, clientId, lastPerPartition, polled -> polled.forEach(each));
    }

    /** From {@code lastPerPartition} offsets before each partition's end (its start if nearer); the offsets held in all. */
    private long readToEndInPolls(String topic, String clientId, long lastPerPartition,
                                  java.util.function.Consumer<java.util.List<org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]>>> eachPoll) {
        try (KafkaConsumer<String, byte[]> reader = reader(clientId)) {
            Span span = Span.assign(reader, topic);
            java.util.List<org.apache.kafka.common.TopicPartition> partitions = span.partitions();
            Map<org.apache.kafka.common.TopicPartition, Long> starts = span.starts();
            Map<org.apache.kafka.common.TopicPartition, Long> ends = span.ends();
            long held = 0;
            for (org.apache.kafka.common.TopicPartition tp : partitions) {
                held += ends.get(tp) - starts.get(tp);
                if (lastPerPartition < ends.get(tp) - starts.get(tp)) {
                    reader.seek(tp, ends.get(tp) - lastPerPartition);
                }
            }
            // the others from wherever their start is when the reader gets there (retention may have moved it); not with
            // none, which Kafka takes for all of them
            java.util.List<org.apache.kafka.common.TopicPartition> whole = partitions.stream()
                    .filter(tp -> lastPerPartition >= ends.get(tp) - starts.get(tp)).toList();
            if (!whole.isEmpty()) {
                reader.seekToBeginning(whole);
            }
            while (partitions.stream().anyMatch(tp -> reader.position(tp) < ends.get(tp))) {
                java.util.List<org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]>> polled = new java.util.ArrayList<>();
                reader.poll(java.time.Duration.ofMillis(500)).forEach(polled::add);
                if (!polled.isEmpty()) {
                    eachPoll.accept(polled);
                }
            }
            return held;
        }
    }

    /**
     * Reads each partition of a topic from offset {@code from} (its start if later) to the end it has now, handing each
     * record to {@code each} until it answers false; answers whether the end was reached. For work on a topic a piece
     * at a time, e.g. replaying a dead-letter topic's letters a thousand at a time.
     */
    public boolean readFrom(String topic, String clientId, long from,
                            java.util.function.Predicate<org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]>> each) {
        try (KafkaConsumer<String, byte[]> reader = reader(clientId)) {
            Span span = Span.assign(reader, topic);
            java.util.List<org.apache.kafka.common.TopicPartition> partitions = span.partitions();
            Map<org.apache.kafka.common.TopicPartition, Long> starts = span.starts();
            Map<org.apache.kafka.common.TopicPartition, Long> ends = span.ends();
            partitions.forEach(tp -> reader.seek(tp, Math.min(ends.get(tp), Math.max(starts.get(tp), from))));
            while (partitions.stream().anyMatch(tp -> reader.position(tp) < ends.get(tp))) {
                for (org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]> r : reader.poll(java.time.Duration.ofMillis(500))) {
                    if (r.offset() < ends.get(new org.apache.kafka.common.TopicPartition(r.topic(), r.partition())) && !each.test(r)) {
                        return false;
                    }
                }
            }
            return true;
        }
    }

    /** Every partition of a topic, assigned to a reader, with the offsets each starts and ends at now. */
    private record Span(java.util.List<org.apache.kafka.common.TopicPartition> partitions,
                        Map<org.apache.kafka.common.TopicPartition, Long> starts, Map<org.apache.kafka.common.TopicPartition, Long> ends) {
        static Span assign(KafkaConsumer<String, byte[]> reader, String topic) {
            java.util.List<org.apache.kafka.common.TopicPartition> partitions = reader.partitionsFor(topic, java.time.Duration.ofSeconds(60))
                    .stream().map(p -> new org.apache.kafka.common.TopicPartition(topic, p.partition())).toList();
            reader.assign(partitions);
            return new Span(partitions, reader.beginningOffsets(partitions, java.time.Duration.ofSeconds(60)),
                    reader.endOffsets(partitions, java.time.Duration.ofSeconds(60)));
        }
    }

    /** A consumer outside any group, for rebuilding views by reading topics from the start. */
    public KafkaConsumer<String, byte[]> reader(String clientId) {
        return reader(clientId, Map.of());
    }

    /** The same reader with some settings of its own on top. */
    public KafkaConsumer<String, byte[]> reader(String clientId, Map<String, Object> overrides) {
        Map<String, Object> p = base();
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        p.putAll(overrides);
        return new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    }
}
