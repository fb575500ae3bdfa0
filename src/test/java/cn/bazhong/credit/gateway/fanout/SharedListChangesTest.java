package cn.bazhong.credit.gateway.fanout;

import cn.bazhong.credit.gateway.support.TestBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The list changes fetched once per node for its department dispatchers, on a real broker: each "department" is a
 * consumer in its own group polled as a dispatcher polls it ({@link SharedListChanges#poll}), and must get exactly what
 * its own consumer would have fetched, whatever the others do.
 */
class SharedListChangesTest {

    @RegisterExtension
    static final TestBroker BROKER = new TestBroker("shared-list-changes");
    static final AtomicInteger TOPICS = new AtomicInteger();

    private final List<Department> departments = new ArrayList<>();
    private SharedListChanges shared;

    @AfterEach
    void stop() throws InterruptedException {
        for (Department d : departments) {
            d.stop();
        }
        if (shared != null) {
            shared.stop();
        }
    }

    @Test
    void every_department_gets_every_committed_change_once_and_in_order_while_the_node_fetches_them_once() throws Exception {
        String topic = topic();
        shared = started();
        for (String dept : List.of("D01", "D02", "D03")) {
            departments.add(new Department(dept, topic, shared).start());
        }
        List<String> warmUp = warmUp(topic);
        Map<String, Long> takenBefore = new HashMap<>();
        departments.forEach(d -> takenBefore.put(d.name, d.taken()));
        List<String> committed = write(topic, 40, 50); // 2,000 records in 40 transactions, one more aborted

        List<String> all = concat(warmUp, committed);
        for (Department d : departments) {
            await().atMost(Duration.ofSeconds(60)).until(() -> d.received().size() >= all.size());
        }
        for (Department d : departments) {
            assertThat(d.received()).as(d.name).containsExactlyInAnyOrderElementsOf(all);
            assertThat(d.inPartitionOrder()).as(d.name).isTrue();
        }
        // fetched once for the node: each record handed to each department, none fetched by a department's consumer
        for (Department d : departments) {
            assertThat(d.taken() - takenBefore.get(d.name)).as(d.name).isEqualTo(committed.size());
            assertThat(d.fetchedItself()).as(d.name).isEqualTo(d.fetchedAfterWarmUp);
        }
    }

    @Test
    void a_department_that_falls_behind_catches_up_on_its_own_and_never_holds_back_the_others() throws Exception {
        String topic = topic();
        shared = started();
        Department fast = new Department("D01", topic, shared).start();
        Department stuck = new Department("D02", topic, shared);
        departments.add(fast);
        departments.add(stuck);
        stuck.start();
        List<String> warmUp = warmUp(topic);
        stuck.holdAfter(warmUp.size() + 100);
        List<String> committed = write(topic, 10, 600); // 6,000: three times what the two partitions' windows hold
        List<String> all = concat(warmUp, committed);

        await().atMost(Duration.ofSeconds(60)).until(() -> fast.received().size() >= all.size());
        assertThat(stuck.received()).hasSize(warmUp.size() + 100); // the fast one got everything while this one waited
        stuck.release();
        await().atMost(Duration.ofSeconds(60)).until(() -> stuck.received().size() >= all.size());

        for (Department d : departments) {
            assertThat(d.received()).as(d.name).containsExactlyInAnyOrderElementsOf(all);
            assertThat(d.inPartitionOrder()).as(d.name).isTrue();
        }
        assertThat(stuck.fetchedItself() - stuck.fetchedAfterWarmUp).as("the records that left the window while it waited").isPositive();
        assertThat(fast.fetchedItself()).isEqualTo(fast.fetchedAfterWarmUp);
    }

    @Test
    void the_reader_waits_for_the_foremost_department_however_slow_so_that_it_never_fetches_for_itself() throws Exception {
        String topic = topic();
        shared = started();
        Department slow = new Department("D01", topic, shared).taking(Duration.ofNanos(300_000)).start();
        departments.add(slow);
        List<String> warmUp = warmUp(topic);
        long takenBefore = slow.taken();
        List<String> committed = write(topic, 6, 1_000); // three windows' worth on each partition, at once

        List<String> all = concat(warmUp, committed);
        await().atMost(Duration.ofSeconds(60)).until(() -> slow.received().size() >= all.size());
        assertThat(slow.received()).containsExactlyInAnyOrderElementsOf(all);
        assertThat(slow.inPartitionOrder()).isTrue();
        assertThat(slow.taken() - takenBefore).isEqualTo(committed.size());
        assertThat(slow.fetchedItself()).isEqualTo(slow.fetchedAfterWarmUp);
    }

    @Test
    void without_the_shared_reader_every_department_fetches_for_itself_and_misses_nothing() throws Exception {
        String topic = topic();
        shared = started();
        for (String dept : List.of("D01", "D02")) {
            departments.add(new Department(dept, topic, shared).start());
        }
        List<String> first = concat(warmUp(topic), write(topic, 4, 50));
        for (Department d : departments) {
            await().atMost(Duration.ofSeconds(60)).until(() -> d.received().size() >= first.size());
        }
        shared.stop();
        List<String> later = write(topic, 4, 50);
        List<String> all = concat(first, later);

        for (Department d : departments) {
            await().atMost(Duration.ofSeconds(60)).until(() -> d.received().size() >= all.size());
            assertThat(d.received()).as(d.name).containsExactlyInAnyOrderElementsOf(all);
            assertThat(d.inPartitionOrder()).as(d.name).isTrue();
            assertThat(d.fetchedItself() - d.fetchedAfterWarmUp).as(d.name).isEqualTo(later.size());
        }
    }

    private static String topic() throws Exception {
        String topic = "list-changes-" + TOPICS.incrementAndGet();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", BROKER.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get();
        }
        return topic;
    }

    private static SharedListChanges started() {
        SharedListChanges s = new SharedListChanges(BROKER.clients(), "test");
        s.start();
        return s;
    }

    /**
     * Once every department has its two partitions, one record on each partition, awaited at every department: from
     * then on the shared reader holds both partitions, and what each department's consumer fetched so far is noted.
     */
    private List<String> warmUp(String topic) {
        for (Department d : departments) {
            await().atMost(Duration.ofSeconds(60)).until(() -> d.assigned.get() == 2);
        }
        List<String> warmUp = write(topic, 1, 34); // 17 subjects twice: both partitions
        for (Department d : departments) {
            await().atMost(Duration.ofSeconds(60)).until(() -> d.received().size() >= warmUp.size());
            d.fetchedAfterWarmUp = d.fetchedItself();
        }
        return warmUp;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    /**
     * Writes {@code transactions} committed transactions of {@code each} records (so that the topic has transaction
     * markers between them) and one aborted transaction in the middle, whose records nobody may get.
     */
    private static List<String> write(String topic, int transactions, int each) {
        List<String> committed = new ArrayList<>();
        try (KafkaProducer<String, byte[]> p = BROKER.clients().transactionalProducer("writer-" + topic + "-" + System.nanoTime())) {
            p.initTransactions();
            for (int t = 0; t < transactions; t++) {
                if (t == transactions / 2) {
                    p.beginTransaction();
                    p.send(new ProducerRecord<>(topic, "subject-aborted", "aborted".getBytes(StandardCharsets.UTF_8)));
                    p.abortTransaction();
                }
                p.beginTransaction();
                for (int i = 0; i < each; i++) {
                    String value = topic + "/" + t + "/" + i;
                    p.send(new ProducerRecord<>(topic, "subject-" + (i % 17), value.getBytes(StandardCharsets.UTF_8)));
                    committed.add(value);
                }
                p.commitTransaction();
            }
        }
        return committed;
    }

    /** A department's dispatcher, reduced to its poll: its own group and consumer, what it got, in the order it got it. */
    private static final class Department {
        final String name;
        final String group;
        final KafkaConsumer<String, byte[]> consumer;
        final SharedListChanges shared;
        final List<ConsumerRecord<String, byte[]>> got = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger assigned = new AtomicInteger();
        final CountDownLatch released = new CountDownLatch(1);
        volatile int holdAfter = Integer.MAX_VALUE;
        volatile Duration perRecord = Duration.ZERO;
        volatile boolean running = true;
        volatile long fetchedAfterWarmUp;
        Thread thread;

        Department(String name, String topic, SharedListChanges shared) {
            this.name = name;
            this.shared = shared;
            this.group = "gateway-fanout-" + name + "-" + topic;
            this.consumer = BROKER.clients().consumer(group, name + "-" + topic, 100,
                    Map.of(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 2_000));
            consumer.subscribe(List.of(topic));
        }

        /** Each record takes this long to work on, as a slow endpoint's answer would. */
        Department taking(Duration each) {
            perRecord = each;
            return this;
        }

        Department holdAfter(int records) {
            holdAfter = records;
            return this;
        }

        Department start() {
            thread = new Thread(this::run, "department-" + name);
            thread.start();
            return this;
        }

        private void run() {
            try {
                while (running) {
                    Map<TopicPartition, Long> left = new HashMap<>();
                    for (ConsumerRecord<String, byte[]> r : shared.poll(consumer, group, 100, Duration.ofMillis(500))) {
                        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                        if (left.containsKey(tp) || got.size() >= holdAfter) {
                            left.putIfAbsent(tp, r.offset());
                        } else {
                            got.add(r);
                            if (!perRecord.isZero()) {
                                java.util.concurrent.locks.LockSupport.parkNanos(perRecord.toNanos()); // the work, not a wait for anything
                            }
                        }
                    }
                    if (!left.isEmpty()) {
                        // waits as a dispatcher retrying its endpoint does, polling its paused consumer; then goes back
                        // to the first record of each partition it has not worked (AcknowledgingStage's rewind)
                        left.forEach(consumer::seek);
                        while (running && released.getCount() > 0) {
                            consumer.pause(consumer.assignment());
                            consumer.poll(Duration.ofMillis(200));
                        }
                        holdAfter = Integer.MAX_VALUE;
                    }
                    assigned.set(consumer.assignment().size());
                }
            } finally {
                consumer.close(Duration.ofSeconds(5));
            }
        }

        void release() {
            released.countDown();
        }

        void stop() throws InterruptedException {
            running = false;
            released.countDown();
            if (thread != null) {
                thread.join(30_000);
            }
        }

        List<String> received() {
            synchronized (got) {
                return got.stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList();
            }
        }

        boolean inPartitionOrder() {
            synchronized (got) {
                Map<Integer, Long> last = new java.util.HashMap<>();
                for (ConsumerRecord<String, byte[]> r : got) {
                    Long before = last.put(r.partition(), r.offset());
                    if (before != null && before >= r.offset()) {
                        return false;
                    }
                }
                return true;
            }
        }

        /** The records this department's consumer fetched itself (the consumer's own count, as of its last poll). */
        long fetchedItself() {
            return shared.fetchedItself(group);
        }

        long taken() {
            return shared.taken(group);
        }
    }
}
