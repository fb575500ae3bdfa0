package cn.bazhong.credit.gateway.upstream;

import cn.bazhong.credit.gateway.ingest.DedupIndex;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.charset.StandardCharsets;

/**
 * The messages of the dedup index topic ({@code gateway.topics.dedup-index}, compacted): one per
 * forwarded (record id, version), key {@code <record id>@<version>} (a version has no {@code @}), value
 * the position in the records topic that claimed it, e.g. {@code credit.records/2/1234}: what
 * {@link DedupIndex} keeps, and nothing of the record itself. Entries are never removed, so there are no
 * tombstones: a version forwarded once stays known for good.
 *
 * <p>One more key, {@value #UPSTREAM_COPIED}, has no {@code @}: the mark that the versions forwarded before
 * the topic existed were copied into it from the upstream topic ({@link DedupIndexLoader}).
 */
public final class DedupIndexEntries {

    /** The key of the mark written after the one-time copy from the upstream topic. */
    public static final String UPSTREAM_COPIED = "upstream-copied";

    private DedupIndexEntries() {
    }

    public static ProducerRecord<String, byte[]> entry(String topic, String recordId, String version, String claimedAt) {
        return new ProducerRecord<>(topic, recordId + "@" + version, claimedAt.getBytes(StandardCharsets.UTF_8));
    }

    /** The claim an entry stands for; null for the copy mark (or anything else that is not an entry). */
    public static DedupIndex.ClaimRequest claim(ConsumerRecord<String, byte[]> r) {
        String key = r.key();
        int at = key == null ? -1 : key.lastIndexOf('@');
        if (at <= 0 || at == key.length() - 1 || r.value() == null) {
            return null;
        }
        return new DedupIndex.ClaimRequest(key.substring(0, at), key.substring(at + 1), new String(r.value(), StandardCharsets.UTF_8));
    }

    public static boolean isCopyMark(ConsumerRecord<String, byte[]> r) {
        return UPSTREAM_COPIED.equals(r.key());
    }
}
