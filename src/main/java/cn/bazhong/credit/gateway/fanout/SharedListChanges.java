package cn.bazhong.credit.gateway.fanout;

import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.infra.KafkaStage;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The list changes and redeliveries fetched once per node for all its department dispatchers, instead of once per
 * department (fifty consumers fetching the same records was the largest part of a delivery's cost; docs/benchmarks.md).
 *
 * <p>Each department keeps everything that makes it independent: its own consumer group, its partitions, its
 * position and committed offsets, its pace. Only the fetch is shared. One reader (a consumer outside any group) keeps,
 * for every partition a dispatcher of the node has asked for, a window of the latest records read; a dispatcher whose
 * position lies in that window takes its records from there, and otherwise fetches them with its own consumer, as it
 * always did. The reader stays up to half a window ahead of the foremost dispatcher, dropping the oldest records once
 * the window is full: a department that falls behind (its endpoint slow or down) leaves the window and catches up on
 * its own, and never holds back the others; when it is back in the window it takes from there again. A reader that
 * stops (a broker outage) hands every partition back to the dispatchers' own fetches within {@link #STALE}. Each
 * department's split between the two is the meter {@code gateway.fanout.fetched{department, from=shared|own}}.
 *
 * <p>Memory stays bounded: at most {@link #WINDOW_RECORDS} records or {@link #WINDOW_BYTES} bytes per partition.
 */
public final class SharedListChanges extends KafkaStage {

    /** Records kept per partition: more than dispatchers of one node are usually apart in a burst. */
    static final int WINDOW_RECORDS = 1024;
    /** Bytes kept per partition at most, whatever the records' size. */
    static final long WINDOW_BYTES = 2 * 1024 * 1024;
    /**
     * How far the reader reads ahead of the foremost dispatcher: half a window, so that the records it has not taken yet
     * are never the ones dropped; the other half keeps what the dispatchers behind it still take.
     */
    static final int AHEAD_RECORDS = WINDOW_RECORDS / 2;
    /** Records the reader takes per poll: a quarter of a window. */
    static final int READ_PER_POLL = WINDOW_RECORDS / 4;
    /** How long the foremost dispatcher's position counts after it last asked (then the next to ask is the foremost). */
    static final Duration LEAD = Duration.ofSeconds(5);
    /** A partition no dispatcher has asked for this long is no longer read (its department moved to another node). */
    static final Duration UNUSED = Duration.ofSeconds(60);
    /** A reader that has not polled for this long serves nothing: the dispatchers fetch on their own. */
    static final Duration STALE = Duration.ofSeconds(10);

    /** What a dispatcher took: records per partition, and the position each partition's consumer moves on to. */
    record Taken(Map<TopicPartition, List<ConsumerRecord<String, byte[]>>> records, Map<TopicPartition, Long> next, int count) {
        static final Taken NOTHING = new Taken(Map.of(), Map.of(), 0);
    }

    private final KafkaClients clients;
    private final String clientId;
    private final Object lock = new Object();
    /** Guarded by {@link #lock}. */
    private final Map<TopicPartition, Window> windows = new HashMap<>();
    /** Partitions asked for that the reader does not read yet, with the position to start at; guarded by {@link #lock}. */
    private final Map<TopicPartition, Long> wanted = new HashMap<>();
    private volatile long lastPoll = System.nanoTime() - 2 * STALE.toNanos();
    private final Map<String, LongAdder> sharedTaken = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> ownFetched = new ConcurrentHashMap<>();

    public SharedListChanges(KafkaClients clients, String nodeId) {
        super("fanout-shared-fetch");
        this.clients = clients;
        this.clientId = "gateway-fanout-shared-" + nodeId;
    }

    /** Each partition read, with the offsets its window holds and how many records: for the health details and logs. */
    public Map<String, String> windows() {
        Map<String, String> out = new java.util.TreeMap<>();
        synchronized (lock) {
            windows.forEach((tp, w) -> out.put(tp.toString(), "[" + w.base + ", " + w.head + ") " + w.records.size() + " records"
                    + (w.held ? ", held" : "")));
        }
        return out;
    }

    /**
     * The partitions, of those a dispatcher's consumer is at, whose records it can take here now; the others it fetches
     * itself. Asking is also how the reader learns which partitions to read and from where, and that a dispatcher waits.
     */
    Set<TopicPartition> serves(Map<TopicPartition, Long> positions) {
        Set<TopicPartition> out = new HashSet<>();
        boolean wake = false;
        long now = System.nanoTime();
        synchronized (lock) {
            boolean fresh = now - lastPoll < STALE.toNanos();
            for (Map.Entry<TopicPartition, Long> e : positions.entrySet()) {
                Window w = windows.get(e.getKey());
                long at = e.getValue();
                if (w == null) {
                    wake |= wanted.merge(e.getKey(), at, Math::min) == at;
                    continue;
                }
                w.askedAt = now;
                if (at > w.lead || now - w.leadAt > LEAD.toNanos()) {
                    wake |= w.held && at > w.lead; // the reader waits for the foremost dispatcher: read on
                    w.lead = at;
                }
                if (at >= w.lead) {
                    w.leadAt = now;
                }
                if (fresh && servable(w, at)) {
                    out.add(e.getKey());
                }
            }
        }
        if (wake) {
            wakeup();
        }
        return out;
    }

    /**
     * Takes up to {@code max} records from the given positions, waiting up to {@code wait} for the first when there are
     * none yet. A partition that has left its window meanwhile gives nothing (the dispatcher fetches it itself next).
     */
    Taken take(Map<TopicPartition, Long> positions, int max, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        synchronized (lock) {
            while (true) {
                if (positions.entrySet().stream().noneMatch(e -> servable(windows.get(e.getKey()), e.getValue()))) {
                    return Taken.NOTHING; // left meanwhile: the dispatcher fetches them itself
                }
                Taken taken = takeNow(positions, max);
                long left = deadline - System.nanoTime();
                if (taken.count() > 0 || left <= 0 || !running()) {
                    return taken;
                }
                if (!taken.next().isEmpty()) {
                    return taken; // no records, but positions to move on (past transaction markers)
                }
                java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
        }
    }

    /**
     * Whether a dispatcher at {@code at} takes this partition's records from the window: when the window has them, or
     * will have them soon (the dispatcher is less than {@link #AHEAD_RECORDS} offsets ahead of the reader, e.g. it fetched
     * some itself while the reader started); then it waits for the reader rather than racing it with its own fetches.
     */
    private static boolean servable(Window w, long at) {
        return w != null && at >= w.base && at <= w.head + AHEAD_RECORDS;
    }

    private Taken takeNow(Map<TopicPartition, Long> positions, int max) {
        Map<TopicPartition, List<ConsumerRecord<String, byte[]>>> records = new LinkedHashMap<>();
        Map<TopicPartition, Long> next = new HashMap<>();
        int room = max;
        for (Map.Entry<TopicPartition, Long> e : positions.entrySet()) {
            Window w = windows.get(e.getKey());
            long at = e.getValue();
            if (room == 0 || w == null || at < w.base || at > w.head) {
                continue; // nothing more wanted, or not in the window (the dispatcher waits or fetches it itself)
            }
            // from the end back to the position: a dispatcher is usually near the end of the window
            List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
            for (java.util.Iterator<ConsumerRecord<String, byte[]>> it = w.records.descendingIterator(); it.hasNext(); ) {
                ConsumerRecord<String, byte[]> r = it.next();
                if (r.offset() < at) {
                    break;
                }
                out.add(r);
            }
            Collections.reverse(out);
            if (out.size() > room) {
                out = new ArrayList<>(out.subList(0, room));
            }
            long to = out.isEmpty() || out.get(out.size() - 1) == w.records.peekLast() ? w.head : out.get(out.size() - 1).offset() + 1;
            if (!out.isEmpty()) {
                records.put(e.getKey(), out);
                room -= out.size();
            }
            if (to != at) {
                next.put(e.getKey(), to);
            }
        }
        return new Taken(records, next, max - room);
    }

    /**
     * How long a dispatcher waits for shared records before it polls its consumer again, for its group's sake: a
     * rebalance of the department's group goes on at its next poll, and one takes two or three of them. 100 ms was
     * tried first: an idle node with eleven departments then spent more CPU on those polls (0.117 cores) than it had
     * on their held fetches (0.101); docs/benchmarks.md.
     */
    static final Duration SHARED_WAIT = Duration.ofMillis(500);
    /** How long it polls its consumer for the partitions it fetches itself while others come shared. */
    static final Duration OWN_POLL = Duration.ofMillis(50);

    /**
     * A dispatcher's poll: the records of its partitions held here are taken from here (those partitions paused on its
     * consumer, then moved on past what was taken, so that the consumer's positions stay the dispatcher's progress);
     * the others, e.g. while the department is behind the window, are fetched by its consumer as before. The consumer
     * is polled at least every {@link #SHARED_WAIT}, so that a rebalance of the department's group goes on.
     *
     * @param c     the dispatcher's consumer, in its department's group
     * @param group that group, under which the records taken and fetched are counted
     * @param max   records at most, as the consumer's {@code max.poll.records}
     */
    public ConsumerRecords<String, byte[]> poll(KafkaConsumer<String, byte[]> c, String group, int max, Duration timeout) {
        Set<TopicPartition> assigned = c.assignment();
        if (assigned.isEmpty()) {
            c.resume(c.paused());
            return c.poll(timeout); // joining its group
        }
        Set<TopicPartition> fromHere = serves(positions(c, assigned));
        Set<TopicPartition> own = new HashSet<>(assigned);
        own.removeAll(fromHere);
        c.pause(fromHere);
        c.resume(own);
        ConsumerRecords<String, byte[]> polled = c.poll(fromHere.isEmpty() ? timeout : own.isEmpty() ? Duration.ZERO : OWN_POLL);
        count(group, ownFetched, polled.count());
        fromHere.retainAll(c.assignment()); // the poll may have taken some away
        if (fromHere.isEmpty()) {
            return polled;
        }
        Duration wait = polled.isEmpty() ? (timeout.compareTo(SHARED_WAIT) < 0 ? timeout : SHARED_WAIT) : Duration.ZERO;
        Taken taken;
        try {
            taken = take(positions(c, fromHere), max - polled.count(), wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return polled;
        }
        taken.next().forEach(c::seek);
        count(group, sharedTaken, taken.count());
        if (taken.count() == 0) {
            return polled;
        }
        Map<TopicPartition, List<ConsumerRecord<String, byte[]>>> all = new LinkedHashMap<>(taken.records());
        polled.partitions().forEach(tp -> all.put(tp, polled.records(tp)));
        return new ConsumerRecords<>(all, Map.of());
    }

    private static void count(String group, Map<String, LongAdder> counts, int records) {
        if (records > 0) {
            counts.computeIfAbsent(group, g -> new LongAdder()).add(records);
        }
    }

    /** Records a department's dispatcher (by its group) took from here so far. */
    public long taken(String group) {
        LongAdder n = sharedTaken.get(group);
        return n == null ? 0 : n.sum();
    }

    /** Records a department's dispatcher (by its group) fetched with its own consumer so far, e.g. while it was behind. */
    public long fetchedItself(String group) {
        LongAdder n = ownFetched.get(group);
        return n == null ? 0 : n.sum();
    }

    private static Map<TopicPartition, Long> positions(KafkaConsumer<String, byte[]> c, Set<TopicPartition> partitions) {
        Map<TopicPartition, Long> at = new HashMap<>();
        partitions.forEach(tp -> at.put(tp, c.position(tp)));
        return at;
    }

    @Override
    protected void runOnce() throws Exception {
        Map<String, Object> settings = Map.of(
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none", // a position gone from the log drops its window, never skips
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, READ_PER_POLL);
        try (KafkaConsumer<String, byte[]> c = clients.reader(clientId, settings)) {
            polling(c);
            while (running()) {
                try {
                    if (!arrange(c)) {
                        continue;
                    }
                    ConsumerRecords<String, byte[]> polled = c.poll(Duration.ofMillis(500));
                    keep(c, polled);
                } catch (WakeupException e) {
                    // a dispatcher asked for another partition, or moved ahead on a held one: arrange again
                } catch (OffsetOutOfRangeException e) {
                    drop(c, e.partitions());
                }
                healthy();
            }
        } finally {
            polling(null);
            synchronized (lock) {
                windows.clear();
                lock.notifyAll();
            }
        }
    }

    /**
     * Assigns the partitions asked for and stops reading those nobody asks for; holds a partition the reader is far
     * enough ahead on (half a window past the foremost dispatcher), or whose window is full when no dispatcher has asked
     * lately. False when there is nothing to read (waited for a dispatcher to ask).
     */
    private boolean arrange(KafkaConsumer<String, byte[]> c) throws InterruptedException {
        Map<TopicPartition, Long> starts;
        Set<TopicPartition> held = new HashSet<>();
        Set<TopicPartition> reading;
        long now = System.nanoTime();
        synchronized (lock) {
            windows.entrySet().removeIf(e -> now - e.getValue().askedAt > UNUSED.toNanos());
            starts = new HashMap<>(wanted);
            wanted.clear();
            starts.forEach((tp, at) -> windows.put(tp, new Window(at, now)));
            if (!starts.isEmpty() && now - lastPoll > STALE.toNanos()) {
                lastPoll = now; // a reader that starts is alive: the dispatchers wait for its first records
            }
            for (Map.Entry<TopicPartition, Window> e : windows.entrySet()) {
                Window w = e.getValue();
                w.held = now - w.leadAt > LEAD.toNanos() ? w.full() : w.farAhead();
                if (w.held) {
                    held.add(e.getKey());
                }
            }
            reading = new HashSet<>(windows.keySet());
            if (reading.isEmpty()) {
                lastPoll = now;
                lock.wait(1_000);
                return false;
            }
        }
        if (!c.assignment().equals(reading)) {
            c.assign(reading);
        }
        starts.forEach(c::seek);
        c.pause(held);
        Set<TopicPartition> resume = new HashSet<>(reading);
        resume.removeAll(held);
        c.resume(resume);
        return true;
    }

    /** Appends what was read to the windows, dropping the oldest records beyond a window's size, and wakes the waiting dispatchers. */
    private void keep(KafkaConsumer<String, byte[]> c, ConsumerRecords<String, byte[]> polled) {
        Map<TopicPartition, Long> heads = new HashMap<>();
        for (TopicPartition tp : c.assignment()) {
            heads.put(tp, c.position(tp)); // past the last record read, and past transaction markers
        }
        synchronized (lock) {
            for (Map.Entry<TopicPartition, Long> e : heads.entrySet()) {
                Window w = windows.get(e.getKey());
                if (w == null) {
                    continue; // dropped meanwhile: unassigned at the next arrangement
                }
                for (ConsumerRecord<String, byte[]> r : polled.records(e.getKey())) {
                    w.add(r);
                }
                w.head = Math.max(w.head, e.getValue());
            }
            lastPoll = System.nanoTime();
            lock.notifyAll();
        }
    }

    private void drop(KafkaConsumer<String, byte[]> c, Set<TopicPartition> gone) {
        synchronized (lock) {
            gone.forEach(windows::remove);
        }
        Set<TopicPartition> left = new HashSet<>(c.assignment());
        left.removeAll(gone);
        c.assign(left);
    }

    /** Wakes the reader: from its poll (a dispatcher asked for more), or from waiting to be asked at all (stopping). */
    @Override
    protected void wakeup() {
        super.wakeup();
        synchronized (lock) {
            lock.notifyAll();
        }
    }

    /** The latest records read of one partition: every committed record from {@code base} to {@code head}. */
    private static final class Window {
        long base;
        long head;
        long bytes;
        long askedAt;
        /** The position of the foremost dispatcher, as of {@code leadAt}. */
        long lead;
        long leadAt;
        boolean held;
        final ArrayDeque<ConsumerRecord<String, byte[]>> records = new ArrayDeque<>();

        Window(long start, long now) {
            this.base = start;
            this.head = start;
            this.askedAt = now;
            this.lead = start;
            this.leadAt = now;
        }

        /**
         * Whether the reader is far enough ahead of the foremost dispatcher to wait for it: half a window of records it
         * has not taken yet, or half the window's bytes.
         */
        boolean farAhead() {
            int n = 0;
            long size = 0;
            for (java.util.Iterator<ConsumerRecord<String, byte[]>> it = records.descendingIterator(); it.hasNext(); ) {
                ConsumerRecord<String, byte[]> r = it.next();
                if (r.offset() < lead) {
                    break;
                }
                n++;
                size += size(r);
            }
            return n >= AHEAD_RECORDS || size >= WINDOW_BYTES / 2;
        }

        boolean full() {
            return records.size() >= WINDOW_RECORDS || bytes >= WINDOW_BYTES;
        }

        void add(ConsumerRecord<String, byte[]> r) {
            records.addLast(r);
            bytes += size(r);
            while (records.size() > WINDOW_RECORDS || (bytes > WINDOW_BYTES && records.size() > 1)) {
                ConsumerRecord<String, byte[]> oldest = records.removeFirst();
                bytes -= size(oldest);
                base = oldest.offset() + 1;
            }
        }

        private static long size(ConsumerRecord<String, byte[]> r) {
            return (r.value() == null ? 0 : r.value().length) + (r.key() == null ? 0 : r.key().length() * 2L) + 200;
        }
    }
}
