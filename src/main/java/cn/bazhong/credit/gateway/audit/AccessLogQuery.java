package cn.bazhong.credit.gateway.audit;

import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.schema.RecordJson;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Reads the access log over a period, straight from the audit topic (no view to keep: the topic is the
 * log). Each partition is read from the first offset at or after {@code from} ({@code offsetsForTimes})
 * to the end it had when the query began, or until its entries are well past {@code to}; the caller never
 * holds more than {@code limit} entries, the earliest of the period, and learns how many more matched.
 */
public class AccessLogQuery {

    private static final Logger LOG = LoggerFactory.getLogger(AccessLogQuery.class);
    /** Nodes' clocks differ a little: a partition is read this far past {@code to} before it is left. */
    private static final Duration SKEW = Duration.ofMinutes(5);

    /**
     * @param entries the earliest {@code limit} matching entries, oldest first
     * @param matched how many entries of the period matched in all
     */
    public record Result(List<AccessEntry> entries, long matched) {
        public boolean capped() {
            return matched > entries.size();
        }
    }

    private final KafkaClients clients;
    private final String topic;

    public AccessLogQuery(KafkaClients clients, String topic) {
        this.clients = clients;
        this.topic = topic;
    }

    /** Entries with {@code from <= at < to} that {@code filter} accepts. */
    public Result find(Instant from, Instant to, Predicate<AccessEntry> filter, int limit) {
        Comparator<AccessEntry> byTime = Comparator.comparing(AccessEntry::at);
        PriorityQueue<AccessEntry> latestFirst = new PriorityQueue<>(byTime.reversed());
        long matched = 0;
        try (KafkaConsumer<String, byte[]> reader = clients.reader("audit-query")) {
            List<TopicPartition> partitions = reader.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            reader.assign(partitions);
            Map<TopicPartition, Long> query = new HashMap<>();
            partitions.forEach(tp -> query.put(tp, from.toEpochMilli()));
            Map<TopicPartition, OffsetAndTimestamp> starts = reader.offsetsForTimes(query, Duration.ofSeconds(30));
            Map<TopicPartition, Long> ends = reader.endOffsets(partitions, Duration.ofSeconds(30));
            Set<TopicPartition> open = new HashSet<>();
            for (TopicPartition tp : partitions) {
                OffsetAndTimestamp start = starts.get(tp);
                if (start != null && start.offset() < ends.get(tp)) {
                    reader.seek(tp, start.offset());
                    open.add(tp);
                }
            }
            reader.pause(new ArrayList<>(partitionsNotIn(partitions, open)));
            long stopAt = to.plus(SKEW).toEpochMilli();
            while (!open.isEmpty()) {
                for (ConsumerRecord<String, byte[]> r : reader.poll(Duration.ofMillis(500))) {
                    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                    if (!open.contains(tp)) {
                        continue;
                    }
                    if (r.offset() >= ends.get(tp) || r.timestamp() > stopAt) {
                        close(reader, open, tp);
                        continue;
                    }
                    AccessEntry entry = parse(r);
                    if (entry != null && !entry.at().isBefore(from) && entry.at().isBefore(to) && filter.test(entry)) {
                        matched++;
                        latestFirst.add(entry);
                        if (latestFirst.size() > limit) {
                            latestFirst.poll();
                        }
                    }
                }
                for (TopicPartition tp : new ArrayList<>(open)) {
                    if (reader.position(tp) >= ends.get(tp)) {
                        close(reader, open, tp);
                    }
                }
            }
        }
        List<AccessEntry> entries = new ArrayList<>(latestFirst);
        entries.sort(byTime);
        return new Result(entries, matched);
    }

    private static Set<TopicPartition> partitionsNotIn(List<TopicPartition> all, Set<TopicPartition> open) {
        Set<TopicPartition> rest = new HashSet<>(all);
        rest.removeAll(open);
        return rest;
    }

    private static void close(KafkaConsumer<String, byte[]> reader, Set<TopicPartition> open, TopicPartition tp) {
        open.remove(tp);
        reader.pause(List.of(tp));
    }

    private static AccessEntry parse(ConsumerRecord<String, byte[]> r) {
        try {
            return RecordJson.mapper().readValue(r.value(), AccessEntry.class);
        } catch (IOException | RuntimeException e) {
            LOG.warn("access-log entry at {}-{} offset {} could not be read: {}", r.topic(), r.partition(), r.offset(), e.getMessage());
            return null;
        }
    }
}
