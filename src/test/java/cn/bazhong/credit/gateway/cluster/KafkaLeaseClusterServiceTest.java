package cn.bazhong.credit.gateway.cluster;

import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.support.FreePorts;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.cluster.CamelClusterEventListener;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.SortedSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Kafka lease cluster service on a real KRaft broker, with several service instances standing
 * for several gateway nodes: each feed (namespace) has one leader at a time, and its lease moves
 * to another node when its node stops, dies or is cut off from Kafka, within the session timeout.
 */
class KafkaLeaseClusterServiceTest {

    /** The broker's floor (group.min.session.timeout.ms); production uses 10 s. */
    static final Duration SESSION = Duration.ofSeconds(6);
    static final Duration HEARTBEAT = Duration.ofSeconds(1);
    static final int PARTITIONS = 12;
    /** One feed per lease partition, pinned, so that every node leads some feeds. */
    static final List<String> FEEDS = IntStream.range(0, PARTITIONS).mapToObj(i -> "feed-" + i).toList();

    static Path dir;
    static KafkaRaftServer broker;
    static int port;
    static BlackHoleProxy proxy;

    final List<KafkaLeaseClusterService> nodes = new ArrayList<>();
    final LeadershipLog log = new LeadershipLog();
    String group;
    String topic;

    @BeforeAll
    static void startBroker() throws Exception {
        dir = Files.createTempDirectory("leases-");
        port = FreePorts.next();
        int partedPort = FreePorts.next();
        proxy = new BlackHoleProxy(partedPort);
        broker = twoListenerBroker(port, partedPort, proxy.port(), FreePorts.next(), dir);
    }

    @AfterAll
    static void stopBroker() {
        proxy.close();
        broker.shutdown();
        broker.awaitShutdown();
    }

    @org.junit.jupiter.api.BeforeEach
    void names(TestInfo test) {
        String name = test.getTestMethod().orElseThrow().getName().replace('_', '-');
        group = "leases-" + name;
        topic = "leases." + name;
        KafkaLeaseClusterService.provision(direct(), settings(), (short) 1);
    }

    @AfterEach
    void stopNodes() {
        proxy.heal();
        nodes.forEach(KafkaLeaseClusterService::stop);
    }

    @Test
    void each_feed_has_exactly_one_leader_and_the_feeds_spread_over_the_nodes() {
        KafkaLeaseClusterService a = node("a", direct());
        KafkaLeaseClusterService b = node("b", direct());
        KafkaLeaseClusterService c = node("c", direct());

        awaitOneLeaderEach(List.of(a, b, c));
        assertThat(a.ownedPartitions().size() + b.ownedPartitions().size() + c.ownedPartitions().size()).isEqualTo(PARTITIONS);
        log.assertNeverTwoLeaders();
    }

    @Test
    void a_node_that_stops_hands_its_feeds_to_the_others_without_waiting_for_the_session_timeout() {
        KafkaLeaseClusterService a = node("a", direct());
        KafkaLeaseClusterService b = node("b", direct());
        awaitOneLeaderEach(List.of(a, b));
        Set<String> aLed = led(a);

        long stopped = System.nanoTime();
        a.stop();
        awaitOneLeaderEach(List.of(b));
        Duration handover = Duration.ofNanos(System.nanoTime() - stopped);

        assertThat(led(b)).containsAll(aLed);
        assertThat(handover).isLessThan(SESSION);
        log.assertNeverTwoLeaders();
    }

    @Test
    void a_node_that_dies_without_leaving_the_group_loses_its_feeds_after_the_session_timeout() {
        KafkaLeaseClusterService a = node("a", direct());
        KafkaLeaseClusterService b = node("b", direct());
        awaitOneLeaderEach(List.of(a, b));
        Set<String> aLed = led(a);

        long died = System.nanoTime();
        a.halt();
        awaitOneLeaderEach(List.of(b), SESSION.plusSeconds(15));
        Duration failover = Duration.ofNanos(System.nanoTime() - died);

        assertThat(led(b)).containsAll(aLed);
        // the group waited for the dead member's session to expire: nothing told it the node had gone
        assertThat(failover).isGreaterThan(SESSION.minus(HEARTBEAT.multipliedBy(2))).isLessThan(Duration.ofSeconds(30));
        log.assertNeverTwoLeaders();
    }

    @Test
    void a_node_cut_off_from_kafka_stops_leading_before_another_node_takes_its_feeds() {
        KafkaLeaseClusterService a = node("a", direct());
        KafkaLeaseClusterService b = node("b", direct());
        KafkaLeaseClusterService c = node("c", new KafkaClients("127.0.0.1:" + proxy.port(), Map.of()));
        awaitOneLeaderEach(List.of(a, b, c));

        long cut = System.nanoTime();
        proxy.cut();
        // c holds no lease on its own before the coordinator could have given it away...
        await().atMost(SESSION).until(() -> led(c).isEmpty());
        Duration dropped = Duration.ofNanos(System.nanoTime() - cut);
        // ...and the others take its feeds once c's session has expired
        awaitOneLeaderEach(List.of(a, b), SESSION.plusSeconds(15));
        Duration failover = Duration.ofNanos(System.nanoTime() - cut);
        assertThat(dropped).isLessThan(SESSION);
        assertThat(failover).isLessThan(Duration.ofSeconds(30));
        log.assertNeverTwoLeaders();

        // back on the network, c learns it was dropped from the group, rejoins and takes its share again
        proxy.heal();
        awaitOneLeaderEach(List.of(a, b, c), Duration.ofSeconds(40));
        log.assertNeverTwoLeaders();
    }

    @Test
    void a_feed_stays_with_its_node_when_an_unrelated_node_joins() {
        KafkaLeaseClusterService a = node("a", direct());
        KafkaLeaseClusterService b = node("b", direct());
        awaitOneLeaderEach(List.of(a, b));
        SortedSet<Integer> aBefore = a.ownedPartitions();
        SortedSet<Integer> bBefore = b.ownedPartitions();
        Set<String> aLedBefore = led(a);
        Set<String> bLedBefore = led(b);
        int eventsBefore = log.size();

        KafkaLeaseClusterService c = node("c", direct());
        awaitOneLeaderEach(List.of(a, b, c));

        // cooperative-sticky: the newcomer's share comes from the others, who keep the rest, and
        // between themselves they swap nothing
        assertThat(aBefore).containsAll(a.ownedPartitions());
        assertThat(bBefore).containsAll(b.ownedPartitions());
        Set<String> kept = new HashSet<>(led(a));
        kept.addAll(led(b));
        // a feed that stayed on its node never stopped there, not even for a moment
        Set<String> flapped = log.since(eventsBefore).stream()
                .filter(e -> kept.contains(e.feed()) && !e.leader()).map(Event::feed).collect(Collectors.toSet());
        assertThat(flapped).isEmpty();
        assertThat(aLedBefore).containsAll(led(a));
        assertThat(bLedBefore).containsAll(led(b));
        log.assertNeverTwoLeaders();
    }

    @Test
    void a_led_camel_route_runs_on_one_context_at_a_time_and_moves_when_its_context_stops() throws Exception {
        List<String> ticks = new CopyOnWriteArrayList<>();
        CamelContext one = camelNode("one", ticks);
        CamelContext two = camelNode("two", ticks);
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> running(one) != running(two));
            CamelContext leader = running(one) ? one : two;
            CamelContext other = leader == one ? two : one;
            String leaderName = leader.getName();
            await().atMost(Duration.ofSeconds(10)).until(() -> ticks.contains(leaderName));
            assertThat(ticks).containsOnly(leaderName);

            leader.stop();
            int before = ticks.size();
            await().atMost(SESSION).until(() -> running(other) && ticks.size() > before + 2);
            assertThat(ticks.subList(before, ticks.size())).containsOnly(other.getName());
        } finally {
            one.stop();
            two.stop();
        }
    }

    @Test
    void a_lease_held_before_its_camel_context_starts_runs_the_route_once_the_context_has_started() throws Exception {
        List<String> ticks = new CopyOnWriteArrayList<>();
        KafkaLeaseClusterService leases = node("early", direct());
        await().atMost(Duration.ofSeconds(20)).until(() -> leases.ownedPartitions().contains(leases.partitionOf("feed-3"))
                && Boolean.TRUE.equals(leases.leadership().get("feed-3")));
        CamelContext context = camelContext("early", leases, ticks);
        try {
            await().atMost(Duration.ofSeconds(5)).until(() -> Boolean.FALSE.equals(leases.leadership().get("feed-3")));
            context.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> running(context) && ticks.contains("early"));
            assertThat(leases.leadership()).containsEntry("feed-3", true);
        } finally {
            context.stop();
        }
    }

    // ---------------------------------------------------------------- helpers

    ClusterSettings settings() {
        Map<String, Integer> pinned = new HashMap<>();
        for (int i = 0; i < PARTITIONS; i++) {
            pinned.put(FEEDS.get(i), i);
        }
        return new ClusterSettings(group, topic, PARTITIONS, SESSION, HEARTBEAT, pinned);
    }

    static KafkaClients direct() {
        return new KafkaClients("127.0.0.1:" + port, Map.of());
    }

    KafkaLeaseClusterService node(String nodeId, KafkaClients clients) {
        KafkaLeaseClusterService node = new KafkaLeaseClusterService(clients, settings(), nodeId);
        for (String feed : FEEDS) {
            try {
                node.getView(feed).addEventListener((CamelClusterEventListener.Leadership) (view, leader) ->
                        log.add(new Event(System.nanoTime(), feed, nodeId, view.getLocalMember().isLeader())));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        node.start();
        nodes.add(node);
        return node;
    }

    CamelContext camelNode(String name, List<String> ticks) throws Exception {
        CamelContext context = camelContext(name, node(name, direct()), ticks);
        context.start();
        return context;
    }

    /** A Camel context, not started, whose route "tick" runs while the node leads feed-3. */
    static CamelContext camelContext(String name, KafkaLeaseClusterService leases, List<String> ticks) throws Exception {
        DefaultCamelContext context = new DefaultCamelContext();
        context.getCamelContextExtension().setName(name);
        context.addService(leases);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() throws Exception {
                from("timer:tick?period=100").routeId("tick").routePolicy(FeedPollerLeases.forFeed(leases, "feed-3"))
                        .process(e -> ticks.add(name));
            }
        });
        return context;
    }

    static boolean running(CamelContext context) {
        return context.getRouteController().getRouteStatus("tick") == ServiceStatus.Started;
    }

    static Set<String> led(KafkaLeaseClusterService node) {
        return node.leadership().entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey).collect(Collectors.toSet());
    }

    /** Every feed has exactly one leader among the live nodes, and every live node leads some feed. */
    static boolean oneLeaderEach(Collection<KafkaLeaseClusterService> live) {
        return FEEDS.stream().allMatch(feed -> live.stream().filter(n -> n.isLeader(feed)).count() == 1)
                && live.stream().allMatch(n -> !led(n).isEmpty());
    }

    static void awaitOneLeaderEach(Collection<KafkaLeaseClusterService> live) {
        awaitOneLeaderEach(live, Duration.ofSeconds(20));
    }

    static void awaitOneLeaderEach(Collection<KafkaLeaseClusterService> live, Duration atMost) {
        await().atMost(atMost).pollInterval(Duration.ofMillis(50)).until(() -> oneLeaderEach(live));
    }

    record Event(long at, String feed, String node, boolean leader) {
    }

    /** Every leadership change of every node, as the nodes reported it. */
    static final class LeadershipLog {
        private final List<Event> events = new CopyOnWriteArrayList<>();

        void add(Event e) {
            events.add(e);
        }

        int size() {
            return events.size();
        }

        List<Event> since(int index) {
            return events.subList(index, events.size());
        }

        /** Replays the changes in time order: no feed ever had two leaders at once. */
        void assertNeverTwoLeaders() {
            List<Event> ordered = new ArrayList<>(events);
            ordered.sort((x, y) -> Long.compare(x.at(), y.at()));
            Map<String, Set<String>> leaders = new HashMap<>();
            for (Event e : ordered) {
                Set<String> current = leaders.computeIfAbsent(e.feed(), f -> new HashSet<>());
                if (e.leader()) {
                    current.add(e.node());
                } else {
                    current.remove(e.node());
                }
                assertThat(current).as("leaders of %s after %s", e.feed(), e).hasSizeLessThanOrEqualTo(1);
            }
        }
    }

    /**
     * A KRaft broker with a second listener whose advertised address is a proxy, so that the clients
     * that bootstrap through the proxy reach the broker only through it.
     */
    static KafkaRaftServer twoListenerBroker(int port, int partedPort, int proxyPort, int controllerPort, Path dir) throws Exception {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",PARTED://127.0.0.1:" + partedPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port + ",PARTED://127.0.0.1:" + proxyPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,PARTED:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", dir.toString());
        p.put("auto.create.topics.enable", "false");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        KafkaConfig config = KafkaConfig.fromProps(p, false);
        new Formatter().setClusterId(Uuid.randomUuid().toString()).setNodeId(config.nodeId())
                .setControllerListenerName("CONTROLLER").setMetadataLogDirectory(config.metadataLogDir())
                .addDirectory(dir.toString()).setReleaseVersion(MetadataVersion.LATEST_PRODUCTION).run();
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
        return server;
    }

    /**
     * A TCP proxy on loopback that can be cut: while cut it forwards nothing in either direction and
     * connects new connections nowhere, like a network partition; healing drops the connections of
     * the cut so that the clients reconnect.
     */
    static final class BlackHoleProxy implements AutoCloseable {
        private final ServerSocket server;
        private final int target;
        private final List<Socket> open = new CopyOnWriteArrayList<>();
        private volatile boolean cut;

        BlackHoleProxy(int target) throws IOException {
            this.target = target;
            this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread accept = new Thread(this::accept, "proxy-accept");
            accept.setDaemon(true);
            accept.start();
        }

        int port() {
            return server.getLocalPort();
        }

        void cut() {
            cut = true;
        }

        void heal() {
            if (cut) {
                cut = false;
                open.forEach(BlackHoleProxy::closeQuietly);
                open.clear();
            }
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    open.add(client);
                    if (cut) {
                        continue;
                    }
                    Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
                    open.add(upstream);
                    pump(client, upstream);
                    pump(upstream, client);
                } catch (IOException e) {
                    // closed
                }
            }
        }

        private void pump(Socket from, Socket to) {
            Thread t = new Thread(() -> {
                byte[] buf = new byte[16 * 1024];
                try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                    int n;
                    while ((n = in.read(buf)) >= 0) {
                        if (!cut) {
                            out.write(buf, 0, n);
                            out.flush();
                        }
                    }
                } catch (IOException e) {
                    // a side closed
                } finally {
                    closeQuietly(from);
                    closeQuietly(to);
                }
            }, "proxy-pump");
            t.setDaemon(true);
            t.start();
        }

        private static void closeQuietly(Socket s) {
            try {
                s.close();
            } catch (IOException e) {
                // already closed
            }
        }

        @Override
        public void close() {
            try {
                server.close();
            } catch (IOException e) {
                // already closed
            }
            open.forEach(BlackHoleProxy::closeQuietly);
        }
    }
}
