package cn.bazhong.credit.gateway.upstream;

import cn.bazhong.credit.gateway.infra.GatewayTopics;
import cn.bazhong.credit.gateway.infra.HazelcastMaps;
import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.ingest.DedupIndex;
import cn.bazhong.credit.gateway.ingest.RecordEnvelope;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Rebuilds the dedup index from the upstream topic, which holds every version ever forwarded.
 * Each upstream partition has a watermark in Hazelcast: the offset up to which the index is known
 * to be complete. After a restart of the whole cluster the watermarks are gone too and the index is
 * read again from the start; after the restart of one node it only catches up.
 */
public class DedupIndexLoader {

    private static final Logger LOG = LoggerFactory.getLogger(DedupIndexLoader.class);

    private final KafkaClients clients;
    private final GatewayTopics topics;
    private final DedupIndex index;
    private final IMap<String, Long> watermarks;

    public DedupIndexLoader(KafkaClients clients, GatewayTopics topics, DedupIndex index, HazelcastInstance hazelcast) {
        this.clients = clients;
        this.topics = topics;
        this.index = index;
        this.watermarks = hazelcast.getMap(HazelcastMaps.DEDUP_WATERMARKS);
    }

    public void catchUp() {
        long read = 0;
        try (KafkaConsumer<String, byte[]> reader = clients.reader("dedup-index-loader")) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo p : reader.partitionsFor(topics.upstream(), Duration.ofSeconds(60))) {
                partitions.add(new TopicPartition(p.topic(), p.partition()));
            }
            reader.assign(partitions);
            Map<TopicPartition, Long> ends = reader.endOffsets(partitions, Duration.ofSeconds(60));
            for (TopicPartition tp : partitions) {
                Long mark = watermarks.get(key(tp));
                reader.seek(tp, mark == null ? 0 : mark);
            }
            List<TopicPartition> pending = new ArrayList<>(partitions);
            pending.removeIf(tp -> reader.position(tp) >= ends.get(tp));
            while (!pending.isEmpty()) {
                List<DedupIndex.ClaimRequest> claims = new ArrayList<>();
                for (ConsumerRecord<String, byte[]> r : reader.poll(Duration.ofMillis(500))) {
                    Header claimed = r.headers().lastHeader(DedupStage.CLAIMED_AT_HEADER);
                    String claimedAt = claimed == null ? "unknown" : new String(claimed.value(), StandardCharsets.UTF_8);
                    RecordEnvelope.Headline e = RecordEnvelope.headline(r);
                    claims.add(new DedupIndex.ClaimRequest(e.recordId(), e.version(), claimedAt));
                }
                index.claimInOrder(claims);
                read += claims.size();
                for (TopicPartition tp : List.copyOf(pending)) {
                    if (reader.position(tp) >= ends.get(tp)) {
                        watermarks.set(key(tp), ends.get(tp));
                        pending.remove(tp);
                    }
                }
            }
        }
        if (read > 0) {
            LOG.info("dedup index caught up with {} record versions from {}", read, topics.upstream());
        }
    }

    private static String key(TopicPartition tp) {
        return tp.topic() + "/" + tp.partition();
    }
}
