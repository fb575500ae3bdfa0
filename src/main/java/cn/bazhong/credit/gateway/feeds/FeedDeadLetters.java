package cn.bazhong.credit.gateway.feeds;

import cn.bazhong.credit.gateway.infra.HazelcastMaps;
import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.ingest.FeedIngestor;
import cn.bazhong.credit.gateway.ingest.FeedSource;
import cn.bazhong.credit.gateway.ingest.Receipt;
import cn.bazhong.credit.gateway.ingest.ReceiptStore;
import cn.bazhong.credit.gateway.ingest.RecordPublisher;
import cn.bazhong.credit.gateway.privacy.PersonalFields;
import cn.bazhong.credit.gateway.validation.IdNumbers;
import cn.bazhong.credit.gateway.validation.Text;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The messages a department's Kafka feed set aside on its dead-letter topic ({@link KafkaFeedHandler}): listed for
 * operators, and replayed once the cause is mended (a mapping added or fixed): one, or all of them not replayed yet a
 * piece at a time ({@link #replayAll}).
 *
 * <p>A replay reads the message as it was sent (opened when it was sealed), through the feed that set it aside, with
 * its own topic, partition, offset and timestamp, so that its records carry the same provenance and an old list entry
 * replayed after a newer one is stale, exactly as if the department had sent it again. It gets a receipt of its own,
 * {@code <message>.replay-<dead-letter offset>} ({@link #replayId}), stored and sent to the department's receipts topic under the message's
 * key; the receipt the message got when it was set aside stays as it was. A replay is done once: replaying a dead
 * letter again answers with the receipt of its replay (taken under a cluster-wide lock, so that two operators at once
 * do not both ingest it). A replay that fails again changes nothing and says why; the dead letter stays for a later try.
 */
public class FeedDeadLetters implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FeedDeadLetters.class);
    /** Dead letters listed at most, the newest first; the total is counted. */
    public static final int LISTED = 1_000;
    /** How long a replay may hold its lock before the cluster frees it (a node that died mid-replay). */
    private static final long LOCK_LEASE_MINUTES = 10;

    /** A dead letter as operators see it; {@code replayReceiptId} and {@code replayedAt} are null until it is replayed. */
    public record Entry(String source, int partition, long offset, String feed, String reason, Instant at, int bytes, Instant sourceTime,
                        String replayReceiptId, Instant replayedAt) {
    }

    /** A department's dead letters: the newest {@link #LISTED} and how many there are. */
    public record Listing(String department, String topic, long total, List<Entry> deadLetters) {
    }

    /** What became of a replay. */
    public sealed interface Replay {
        /** Replayed now ({@code again} false), or before ({@code again} true: the receipt of that first replay). */
        record Done(Receipt receipt, boolean again) implements Replay {
        }

        /** No dead letter of the department's feed keeps that message. */
        record NotFound(String detail) implements Replay {
        }

        /** The message still cannot be handled, or another replay of it is under way: nothing changed. */
        record Refused(String rule, String detail) implements Replay {
        }
    }

    private final KafkaFeedTopics topics;
    private final KafkaClients clients;
    private final FeedIngestor ingestor;
    private final ReceiptStore receipts;
    private final PersonalFields personal;
    private KafkaProducer<String, byte[]> producer; // made at the first replay: most nodes never replay
    private final IMap<String, Boolean> locks;

    public FeedDeadLetters(KafkaFeedTopics topics, KafkaClients clients, FeedIngestor ingestor, ReceiptStore receipts,
                           PersonalFields personal, HazelcastInstance hazelcast) {
        this.topics = topics;
        this.clients = clients;
        this.ingestor = ingestor;
        this.receipts = receipts;
        this.personal = personal;
        this.locks = hazelcast.getMap(HazelcastMaps.FEED_DEAD_LETTER_REPLAYS);
    }

    /** The department's dead letters, or empty when it has no Kafka feed on this gateway. */
    public Optional<Listing> list(String dept) {
        return topics.of(dept).map(feed -> {
            // only the newest are read: a department's broken producer may have filled the topic with millions
            Deque<Entry> newest = new ArrayDeque<>();
            long total = clients.readLast(feed.deadLetterTopic(), "feed-dead-letter-reader", LISTED, r -> newest.addFirst(entry(r)));
            Map<String, Receipt> replays = receipts.findAll(newest.stream().filter(e -> e.source() != null).map(FeedDeadLetters::replayId).toList());
            return new Listing(feed.department(), feed.deadLetterTopic(), total,
                    newest.stream().map(e -> withReplay(e, replays.get(replayId(e)))).toList());
        });
    }

    /** The departments (their keys under {@code gateway.feeds}) whose Kafka feed is enabled on this gateway. */
    public List<String> departments() {
        return topics.feeds().stream().map(KafkaFeedTopics.Feed::department).toList();
    }

    /** The latest dead letter of the department's feed that keeps message {@code source}, as the list shows it. */
    public Optional<Entry> find(String dept, String source) {
        return topics.of(dept).flatMap(feed -> latest(feed, source)).map(r -> withReplay(entry(r)));
    }

    /** Replays the latest dead letter that keeps message {@code source} ({@code <topic>-<partition>-<offset>}). */
    public Replay replay(String dept, String source) {
        Optional<KafkaFeedTopics.Feed> feed = topics.of(dept);
        if (feed.isEmpty()) {
            return new Replay.NotFound("department " + Text.shorten(dept, 64) + " has no Kafka feed on this gateway");
        }
        return latest(feed.get(), source).<Replay>map(letter -> replay(feed.get(), letter)).orElseGet(() ->
                new Replay.NotFound("no dead letter on " + feed.get().deadLetterTopic() + " keeps message " + Text.shorten(source, 200)));
    }

    /**
     * What a replay of many dead letters did: {@code replayed} now, {@code replayedBefore} (skipped), {@code refused} by
     * rule (each stays for a later try); {@code next} is the offset to go on from, null when the topic's end was reached.
     */
    public record Replays(String department, long from, int replayed, int replayedBefore, Map<String, Integer> refused, Long next) {
    }

    /**
     * Replays, in their order on the dead-letter topic from offset {@code from}, the department's dead letters not
     * replayed yet, each as {@link #replay(String, String)} would, until {@code limit} of them were tried (replayed or
     * refused): after a mapping was missing or broken a while, every message of that time is on the topic. Empty when
     * the department has no Kafka feed here.
     */
    public Optional<Replays> replayAll(String dept, long from, int limit) {
        return topics.of(dept).map(feed -> {
            int[] tried = {0, 0};
            long[] last = {from - 1};
            Map<String, Integer> refused = new TreeMap<>();
            boolean ended = clients.readFrom(feed.deadLetterTopic(), "feed-dead-letter-replays", from, letter -> {
                if (tried[0] >= limit) {
                    return false;
                }
                last[0] = letter.offset();
                Entry entry = entry(letter);
                if (entry.source() == null || receipts.find(replayId(entry)) != null) {
                    tried[1]++; // not a feed's dead letter, or replayed before: nothing to do
                    return true;
                }
                tried[0]++;
                Replay outcome = replay(feed, letter);
                if (outcome instanceof Replay.Refused r) {
                    refused.merge(r.rule(), 1, Integer::sum);
                }
                return true;
            });
            int refusedCount = refused.values().stream().mapToInt(Integer::intValue).sum();
            LOG.info("dead letters of {} replayed from offset {}: {} replayed, {} refused {}, {} replayed before", feed.department(), from,
                    tried[0] - refusedCount, refusedCount, refused, tried[1]);
            return new Replays(feed.department(), from, tried[0] - refusedCount, tried[1], refused, ended ? null : last[0] + 1);
        });
    }

    /**
     * The newest letter that keeps {@code source}: looked for among the newest thousand letters, then the newest
     * hundred thousand, then all, since the letter an operator replays is most often a recent one.
     */
    private Optional<ConsumerRecord<String, byte[]>> latest(KafkaFeedTopics.Feed feed, String source) {
        AtomicReference<ConsumerRecord<String, byte[]>> latest = new AtomicReference<>();
        for (long window : new long[] {LISTED, 100 * LISTED, Long.MAX_VALUE}) {
            long held = clients.readLast(feed.deadLetterTopic(), "feed-dead-letter-finder", window, r -> {
                if (source.equals(header(r, KafkaFeedHandler.SOURCE_HEADER))) {
                    latest.set(r);
                }
            });
            if (latest.get() != null || held <= window) {
                break;
            }
        }
        return Optional.ofNullable(latest.get());
    }

    private Replay replay(KafkaFeedTopics.Feed feed, ConsumerRecord<String, byte[]> letter) {
        Entry entry = entry(letter);
        String replayId = replayId(entry);
        boolean locked;
        try {
            locked = locks.tryLock(replayId, 0, TimeUnit.SECONDS, LOCK_LEASE_MINUTES, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while taking the replay lock of " + replayId, e);
        }
        if (!locked) {
            return new Replay.Refused("replay-under-way", "another replay of " + entry.source() + " is under way");
        }
        try {
            Receipt before = receipts.find(replayId);
            if (before != null) {
                return new Replay.Done(before, true);
            }
            return ingest(feed, letter, entry, replayId);
        } finally {
            locks.unlock(replayId);
        }
    }

    private Replay ingest(KafkaFeedTopics.Feed feed, ConsumerRecord<String, byte[]> letter, Entry entry, String replayId) {
        if (entry.feed() == null || "null".equals(entry.feed())) {
            return new Replay.Refused("no-feed", "the dead letter does not name the feed that set it aside");
        }
        if (header(letter, KafkaFeedHandler.NOT_KEPT_HEADER) != null) {
            return new Replay.Refused("not-kept", "the message (" + header(letter, KafkaFeedHandler.NOT_KEPT_HEADER)
                    + " bytes) was more than the dead-letter topic takes and was not kept: the department sends it again");
        }
        if (!entry.feed().toLowerCase(java.util.Locale.ROOT).startsWith(feed.department().toLowerCase(java.util.Locale.ROOT) + "-")) {
            // a feed's mappings are <dept>-<feed>: a letter on this department's topic never goes in through another's
            return new Replay.Refused("foreign-feed", "the dead letter names feed " + Text.shorten(entry.feed(), 100)
                    + ", which is not one of department " + feed.department() + "'s");
        }
        FeedSource source;
        byte[] message;
        try {
            source = FeedSource.replay(entry.feed(), entry.source(), replayId, entry.sourceTime());
            message = letter.value() == null ? null : personal.openRaw(letter.value()); // an empty message is sealed too
        } catch (RuntimeException e) {
            return new Replay.Refused("unreadable", Text.shorten("the dead letter cannot be read: " + IdNumbers.maskAll(String.valueOf(e.getMessage())), 1_000));
        }
        if (message == null || message.length == 0) {
            return new Replay.Refused("no-value", "the message has no value: there is nothing to replay");
        }
        String key = letter.key() != null ? letter.key() : replayId;
        try {
            Receipt receipt = ingestor.ingest(source, new ByteArrayInputStream(message),
                    (r, json) -> producer().send(new ProducerRecord<>(feed.receiptsTopic(), key, json)));
            LOG.info("dead letter {} of {} replayed: receipt {}", entry.source(), feed.department(), replayId);
            return new Replay.Done(receipt, false);
        } catch (RecordPublisher.NotDurableException e) {
            throw e; // Kafka does not take writes: the caller says so (503), and the replay can be tried again
        } catch (RuntimeException e) {
            LOG.warn("dead letter {} of {} still cannot be handled: {}", entry.source(), feed.department(), e.toString());
            return new Replay.Refused("still-failing", Text.shorten(e.getClass().getSimpleName() + ": " + IdNumbers.maskAll(String.valueOf(e.getMessage())), 1_000));
        }
    }

    private static Entry entry(ConsumerRecord<String, byte[]> r) {
        return new Entry(header(r, KafkaFeedHandler.SOURCE_HEADER), r.partition(), r.offset(), header(r, KafkaFeedHandler.FEED_HEADER),
                header(r, KafkaFeedHandler.REASON_HEADER), Instant.ofEpochMilli(r.timestamp()), r.value() == null ? 0 : r.value().length,
                epochMillis(header(r, KafkaFeedHandler.SOURCE_TIME_HEADER)), null, null);
    }

    /** The entry with its replay's receipt, if it was replayed. */
    private Entry withReplay(Entry e) {
        return withReplay(e, e.source() == null ? null : receipts.find(replayId(e)));
    }

    /** The entry with {@code replayed}, the receipt of its replay (null: not replayed). */
    private static Entry withReplay(Entry e, Receipt replayed) {
        return replayed == null ? e : new Entry(e.source(), e.partition(), e.offset(), e.feed(), e.reason(), e.at(), e.bytes(), e.sourceTime(),
                replayed.receiptId(), replayed.receivedAt());
    }

    /**
     * The receipt id of a dead letter's replay: the message's own, and the dead letter's offset (and its partition when
     * not the first: the gateway creates the topic with one, a topic made by hand may have more).
     */
    static String replayId(Entry e) {
        return e.source() + ".replay-" + (e.partition() == 0 ? "" : e.partition() + "-") + e.offset();
    }

    private static String header(ConsumerRecord<String, byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** A header's epoch milliseconds; null when it is missing or not a number. */
    private static Instant epochMillis(String text) {
        try {
            return text == null ? null : Instant.ofEpochMilli(Long.parseLong(text));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private synchronized KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            producer = clients.producer("gateway-feed-replay-receipts");
        }
        return producer;
    }

    @Override
    public synchronized void close() {
        if (producer != null) {
            producer.close();
        }
    }
}
