package cn.bazhong.credit.gateway.ops;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsResult;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads how far consumer groups are behind: per group and topic, the sum over the topic's
 * partitions of (end offset − committed offset). A partition the group never committed counts from
 * the log start, as its consumers (auto.offset.reset=earliest) would read it. A topic that does not
 * exist, or a group Kafka cannot answer for, is left out of the result; the others are still read.
 * Four admin requests per call, whatever the number of groups: describe topics, end offsets,
 * start offsets, committed offsets.
 */
public final class ConsumerLagReader {

    private static final Logger LOG = LoggerFactory.getLogger(ConsumerLagReader.class);

    private final Admin admin;
    private final Duration timeout;

    public ConsumerLagReader(Admin admin, Duration timeout) {
        this.admin = admin;
        this.timeout = timeout;
    }

    /** The lag of each group on its topic; absent when it cannot be known. */
    public Map<ConsumerGroupTopic, Long> read(Collection<ConsumerGroupTopic> wanted) throws InterruptedException, ExecutionException, TimeoutException {
        Set<String> topicNames = new LinkedHashSet<>();
        wanted.forEach(w -> topicNames.add(w.topic()));
        Map<String, List<TopicPartition>> partitions = partitions(topicNames);
        List<TopicPartition> all = partitions.values().stream().flatMap(List::stream).toList();
        if (all.isEmpty()) {
            return Map.of();
        }
        Map<TopicPartition, Long> end = offsets(all, OffsetSpec.latest());
        Map<TopicPartition, Long> start = offsets(all, OffsetSpec.earliest());

        Map<String, List<TopicPartition>> byGroup = new LinkedHashMap<>();
        for (ConsumerGroupTopic w : wanted) {
            List<TopicPartition> tps = partitions.get(w.topic());
            if (tps != null) {
                byGroup.computeIfAbsent(w.group(), g -> new ArrayList<>()).addAll(tps);
            }
        }
        Map<String, ListConsumerGroupOffsetsSpec> specs = new LinkedHashMap<>();
        byGroup.forEach((group, tps) -> specs.put(group, new ListConsumerGroupOffsetsSpec().topicPartitions(tps)));
        ListConsumerGroupOffsetsResult committed = admin.listConsumerGroupOffsets(specs,
                new ListConsumerGroupOffsetsOptions().timeoutMs(timeoutMs()));

        Map<ConsumerGroupTopic, Long> lag = new LinkedHashMap<>();
        for (ConsumerGroupTopic w : wanted) {
            List<TopicPartition> tps = partitions.get(w.topic());
            if (tps == null) {
                continue;
            }
            Map<TopicPartition, OffsetAndMetadata> offsets;
            try {
                offsets = committed.partitionsToOffsetAndMetadata(w.group()).get(waitMs(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                LOG.debug("committed offsets of group {} unavailable: {}", w.group(), e.getCause().toString());
                continue;
            }
            long sum = 0;
            for (TopicPartition tp : tps) {
                OffsetAndMetadata c = offsets.get(tp);
                long from = c != null ? c.offset() : start.getOrDefault(tp, 0L);
                sum += Math.max(0, end.getOrDefault(tp, from) - from);
            }
            lag.put(w, sum);
        }
        return lag;
    }

    private Map<String, List<TopicPartition>> partitions(Set<String> topics) throws InterruptedException, TimeoutException {
        Map<String, KafkaFuture<TopicDescription>> described = admin.describeTopics(topics,
                new DescribeTopicsOptions().timeoutMs(timeoutMs())).topicNameValues();
        Map<String, List<TopicPartition>> partitions = new LinkedHashMap<>();
        for (Map.Entry<String, KafkaFuture<TopicDescription>> e : described.entrySet()) {
            try {
                TopicDescription d = e.getValue().get(waitMs(), TimeUnit.MILLISECONDS);
                partitions.put(e.getKey(), d.partitions().stream().map(p -> new TopicPartition(d.name(), p.partition())).toList());
            } catch (ExecutionException ex) {
                LOG.debug("topic {} cannot be described: {}", e.getKey(), ex.getCause().toString());
            }
        }
        return partitions;
    }

    private Map<TopicPartition, Long> offsets(List<TopicPartition> partitions, OffsetSpec spec)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(tp -> request.put(tp, spec));
        ListOffsetsResult result = admin.listOffsets(request, new ListOffsetsOptions().timeoutMs(timeoutMs()));
        Map<TopicPartition, Long> offsets = new HashMap<>();
        result.all().get(waitMs(), TimeUnit.MILLISECONDS).forEach((tp, info) -> offsets.put(tp, info.offset()));
        return offsets;
    }

    private int timeoutMs() {
        return (int) timeout.toMillis();
    }

    private long waitMs() {
        return timeout.toMillis() + 500;
    }
}
