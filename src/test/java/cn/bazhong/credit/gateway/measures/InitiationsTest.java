package cn.bazhong.credit.gateway.measures;

import cn.bazhong.credit.gateway.schema.RecordJson;
import cn.bazhong.credit.gateway.support.FreePorts;
import cn.bazhong.credit.gateway.support.HazelcastMembers;
import cn.bazhong.credit.gateway.support.TestBroker;
import com.hazelcast.core.HazelcastInstance;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The initiations' record and view, on a real broker and Hazelcast member, without the rest of the gateway. */
class InitiationsTest {

    @RegisterExtension
    static final TestBroker BROKER = new TestBroker("initiations");
    static final int HAZELCAST = FreePorts.next();
    static final HazelcastInstance MEMBER = HazelcastMembers.start("initiations-" + HAZELCAST, HAZELCAST, HAZELCAST);
    static final String TOPIC = "credit.measure-initiations";
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-07T02:00:00Z"), ZoneId.of("Asia/Shanghai"));

    @AfterAll
    static void stop() {
        MEMBER.shutdown();
    }

    @Test
    void nodes_opening_the_same_initiations_at_once_write_each_to_the_topic_once_and_as_the_view_holds_it() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", BROKER.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 3, (short) 1).configs(Map.of("cleanup.policy", "compact")))).all().get();
        }
        WorkingDays days = new WorkingDays(Set.of(), Set.of());
        // two nodes of one cluster: the same view, a producer each
        List<Initiations> nodes = List.of(
                new Initiations(MEMBER, BROKER.clients(), TOPIC, days, 5, 20, CLOCK, "node-a", (i, f) -> { }),
                new Initiations(MEMBER, BROKER.clients(), TOPIC, days, 5, 20, CLOCK, "node-b", (i, f) -> { }));
        List<String> listings = new ArrayList<>();
        for (int n = 0; n < 300; n++) {
            listings.add("lst_" + n);
        }
        int threads = 8;
        CyclicBarrier together = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Initiations node = nodes.get(t % 2);
                List<String> order = new ArrayList<>(listings);
                Collections.shuffle(order, new java.util.Random(t));
                done.add(pool.submit(() -> {
                    together.await();
                    for (String listing : order) {
                        node.open("XZSPJ", listing, "SWJ:LIST_ENTRY:" + listing, "subject-" + listing, "91511900MA62XQ1B0K",
                                "巴中市某公司", "MAJOR_TAX_VIOLATION", List.of("M-001"), CLOCK.instant());
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(2, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        nodes.forEach(Initiations::flush);

        Map<String, List<byte[]>> written = new HashMap<>();
        BROKER.clients().readToEnd(TOPIC, "initiations-test", r -> written.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r.value()));
        assertThat(written).as("one initiation per listing").hasSize(listings.size());
        for (Map.Entry<String, List<byte[]>> e : written.entrySet()) {
            assertThat(e.getValue()).as("%s written once", e.getKey()).hasSize(1);
            Initiation onTopic = RecordJson.mapper().readValue(e.getValue().get(0), Initiation.class);
            assertThat(onTopic).as("%s on the topic as in the view", e.getKey()).isEqualTo(nodes.get(0).get(e.getKey()).orElseThrow());
        }
        nodes.forEach(Initiations::close);
    }
}
