package cn.bazhong.credit.gateway.cluster;

import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.infra.TopicProvisioner;
import org.apache.camel.CamelContext;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.support.cluster.AbstractCamelClusterService;
import org.apache.camel.support.cluster.AbstractCamelClusterView;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A Camel cluster service whose leaderships are Kafka partitions. Every node runs one consumer in
 * the lease group, subscribed to the lease topic; a namespace (one per feed) is led by the node
 * that Kafka assigned the namespace's partition to ({@link LeasePartitions}). The consumer polls on
 * a thread of its own so that it heartbeats and takes part in rebalances all the time; nothing is
 * ever written to the topic.
 *
 * <ul>
 *   <li>A node that leaves (stops, is restarted) gives its partitions up in the rebalance: it drops
 *   leadership in {@code onPartitionsRevoked}, before Kafka hands the partitions to another member.</li>
 *   <li>A node that dies stops heartbeating: after the session timeout the group coordinator gives its
 *   partitions to the others.</li>
 *   <li>A node cut off from Kafka hears nothing from the coordinator, and the Kafka consumer tells it
 *   it lost its partitions ({@code onPartitionsLost}) only once it can reach the coordinator again.
 *   So the node also drops leadership by itself once the coordinator has not answered for
 *   {@link ClusterSettings#leaseGuard()}, which is shorter than the session timeout after which
 *   the coordinator moves the partitions. It leads again only after the coordinator answers and
 *   a further poll has passed without the consumer reporting the partitions lost.</li>
 * </ul>
 *
 * Listeners (the feeds' route policies) are called on the lease thread, one change at a time.
 */
public final class KafkaLeaseClusterService extends AbstractCamelClusterService<KafkaLeaseClusterService.LeaseView> {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaLeaseClusterService.class);
    private static final Duration POLL = Duration.ofMillis(200);
    /** The lease consumer's client id is this and the node's id ({@link LeaseHolders} reads it back). */
    static final String CLIENT_PREFIX = "leases-";
    /** Coordinator metrics of the Kafka consumer that count answers: heartbeats, joins and syncs. */
    private static final String COORDINATOR_METRICS = "consumer-coordinator-metrics";
    private static final Set<String> ANSWER_COUNTERS = Set.of("heartbeat-total", "join-total", "sync-total");

    private final KafkaClients clients;
    private final ClusterSettings settings;
    private final String nodeId;
    private final Map<String, LeaseView> views = new ConcurrentHashMap<>();
    private final List<Consumer<String>> namespaceListeners = new CopyOnWriteArrayList<>();
    private final Set<Integer> owned = ConcurrentHashMap.newKeySet();
    private final Object pause = new Object();

    private volatile LeasePartitions partitions;
    private volatile boolean confirmed;
    private volatile boolean running;
    private volatile boolean halted;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread leaseThread;

    public KafkaLeaseClusterService(KafkaClients clients, ClusterSettings settings, String nodeId) {
        super("kafka-leases");
        this.clients = clients;
        this.settings = settings;
        this.nodeId = nodeId;
    }

    /** Creates the lease topic when it does not exist yet. */
    public static void provision(KafkaClients clients, ClusterSettings settings, short replicationFactor) {
        TopicProvisioner.ensure(clients, List.of(
                TopicProvisioner.topic(settings.leaseTopic(), settings.leasePartitions(), replicationFactor, Map.of())));
    }

    public String nodeId() {
        return nodeId;
    }

    /** Called with each namespace the first time a route asks for it (e.g. to register a gauge). */
    public void onNamespace(Consumer<String> listener) {
        namespaceListeners.add(listener);
        views.keySet().forEach(listener);
    }

    /** Every namespace asked for so far, and whether this node leads it now. */
    public SortedMap<String, Boolean> leadership() {
        SortedMap<String, Boolean> m = new TreeMap<>();
        views.forEach((ns, v) -> m.put(ns, v.leader));
        return m;
    }

    /** The lease partitions this node holds now. */
    public SortedSet<Integer> ownedPartitions() {
        return new TreeSet<>(owned);
    }

    /** The namespace's lease partition, or -1 before the lease topic has been read. */
    public int partitionOf(String namespace) {
        LeasePartitions p = partitions;
        return p == null ? -1 : p.of(namespace);
    }

    @Override
    protected LeaseView createView(String namespace) {
        LeaseView view = new LeaseView(namespace);
        views.put(namespace, view);
        namespaceListeners.forEach(l -> l.accept(namespace));
        return view;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        running = true;
        halted = false;
        leaseThread = new Thread(this::run, "kafka-leases");
        leaseThread.setDaemon(true);
        leaseThread.start();
    }

    @Override
    protected void doStop() throws Exception {
        stopLeaseThread();
        super.doStop();
    }

    /**
     * Stops polling and closes the consumer without leaving the group, as a killed process would:
     * the coordinator hands the partitions on only after the session timeout. For tests.
     */
    void halt() {
        halted = true;
        stopLeaseThread();
    }

    private void stopLeaseThread() {
        running = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        synchronized (pause) {
            pause.notifyAll();
        }
        Thread t = leaseThread;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(Duration.ofSeconds(60).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        long backoff = 500;
        while (running) {
            try {
                lease();
                backoff = 500;
            } catch (WakeupException e) {
                // stop() woke the poll
            } catch (Exception e) {
                if (!running) {
                    break;
                }
                LOG.warn("lease consumer failed, holding no lease; retrying in {} ms: {}", backoff, e.toString());
                synchronized (pause) {
                    try {
                        pause.wait(backoff);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        running = false;
                    }
                }
                backoff = Math.min(backoff * 2, 30_000);
            }
        }
    }

    private void lease() {
        Map<String, Object> overrides = Map.of(
                ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) settings.sessionTimeout().toMillis(),
                ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) settings.heartbeatInterval().toMillis(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        KafkaConsumer<String, byte[]> c = clients.consumer(settings.leaseGroup(), CLIENT_PREFIX + nodeId, 1, overrides);
        consumer = c;
        try {
            List<PartitionInfo> infos = c.partitionsFor(settings.leaseTopic(), Duration.ofSeconds(30));
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("the lease topic " + settings.leaseTopic() + " does not exist");
            }
            if (infos.size() != settings.leasePartitions()) {
                LOG.warn("the lease topic {} has {} partitions, not the {} configured: using {}", settings.leaseTopic(),
                        infos.size(), settings.leasePartitions(), infos.size());
            }
            partitions = new LeasePartitions(infos.size(), settings.pinnedPartitions());
            Answers answers = new Answers(c, settings.leaseGuard());
            c.subscribe(List.of(settings.leaseTopic()), new Rebalance(answers));
            while (running) {
                answers.beforePoll();
                c.poll(POLL);
                confirmed = answers.afterPoll(System.nanoTime());
                reconcile();
            }
        } finally {
            consumer = null;
            // every lease is dropped here, before the group can hand it to another node
            owned.clear();
            confirmed = false;
            reconcile();
            if (halted) {
                c.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP)
                        .withTimeout(Duration.ZERO));
            } else {
                c.close(CloseOptions.timeout(Duration.ofSeconds(10)));
            }
        }
    }

    /**
     * Brings every view's leadership in line with the partitions held; called on the lease thread only.
     * A view leads only once the Camel context it serves has started ({@link #contextTakesLeadership}).
     */
    private void reconcile() {
        LeasePartitions p = partitions;
        for (LeaseView v : views.values()) {
            boolean held = confirmed && p != null && v.isRunAllowed() && owned.contains(p.of(v.getNamespace()));
            v.lead(held && contextTakesLeadership(v.leader));
        }
    }

    /**
     * Whether this node's Camel context can act on a leadership now. Camel's clustered route policy
     * drops a leadership it hears of before its context has started (it neither starts the route then
     * nor later, once the context is up): the feed would stay unpolled on the node that holds its lease,
     * with no other node taking it. So no view leads while the context is being built, initialised or
     * started; a leadership held when the context goes down is left to the partitions, as before, so
     * that this thread does not stop routes while Camel is stopping them itself.
     */
    private boolean contextTakesLeadership(boolean leading) {
        CamelContext camel = getCamelContext();
        if (camel == null || camel.isStarted()) {
            return true;
        }
        return leading && (camel.isStopping() || camel.isSuspending() || camel.isSuspended());
    }

    private final class Rebalance implements ConsumerRebalanceListener {

        private final Answers answers;

        Rebalance(Answers answers) {
            this.answers = answers;
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
            assigned.forEach(tp -> owned.add(tp.partition()));
            if (!assigned.isEmpty()) {
                LOG.info("lease partitions assigned to {}: {} (now holding {})", nodeId, partitionNumbers(assigned), ownedPartitions());
            }
            // leadership follows after this poll, once the lease is confirmed (see Answers)
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
            revoked.forEach(tp -> owned.remove(tp.partition()));
            if (!revoked.isEmpty()) {
                LOG.info("lease partitions revoked from {}: {} (now holding {})", nodeId, partitionNumbers(revoked), ownedPartitions());
            }
            // the routes stop here, before the partitions can be assigned to another member
            reconcile();
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> lost) {
            lost.forEach(tp -> owned.remove(tp.partition()));
            answers.lost();
            confirmed = false;
            LOG.warn("lease partitions lost by {}: {}; the group has moved on without this node", nodeId, partitionNumbers(lost));
            reconcile();
        }

        private static SortedSet<Integer> partitionNumbers(Collection<TopicPartition> tps) {
            SortedSet<Integer> s = new TreeSet<>();
            tps.forEach(tp -> s.add(tp.partition()));
            return s;
        }
    }

    /**
     * Whether the group coordinator still counts this node in: it has answered (a heartbeat, join or
     * sync response) within the lease guard, and a poll has passed since it first answered again
     * without the consumer reporting its partitions lost. The consumer counts every answer in its
     * coordinator metrics; an answer that says the member is gone makes the next poll call
     * {@code onPartitionsLost}.
     */
    private static final class Answers {

        private final List<Metric> counters;
        private final long guardNanos;
        private double seen = -1;
        private long lastAnswer;
        private boolean lostDuringPoll;
        private long polls;
        private long freshSince = -1;
        private boolean confirmed;

        Answers(KafkaConsumer<?, ?> consumer, Duration guard) {
            this.counters = consumer.metrics().entrySet().stream()
                    .filter(e -> COORDINATOR_METRICS.equals(e.getKey().group()) && ANSWER_COUNTERS.contains(e.getKey().name()))
                    .map(Map.Entry::getValue)
                    .map(Metric.class::cast)
                    .toList();
            if (counters.isEmpty()) {
                LOG.warn("the Kafka consumer has no coordinator metrics {}: a node cut off from Kafka keeps its leases"
                        + " until the consumer reports them lost", ANSWER_COUNTERS);
            }
            this.guardNanos = guard.toNanos();
        }

        void beforePoll() {
            lostDuringPoll = false;
        }

        void lost() {
            lostDuringPoll = true;
            confirmed = false;
            freshSince = -1;
        }

        boolean afterPoll(long now) {
            polls++;
            if (counters.isEmpty()) {
                confirmed = !lostDuringPoll;
                return confirmed;
            }
            double answersSoFar = 0;
            for (Metric m : counters) {
                if (m.metricValue() instanceof Number n) {
                    answersSoFar += n.doubleValue();
                }
            }
            if (answersSoFar != seen) {
                seen = answersSoFar;
                lastAnswer = now;
            }
            boolean fresh = lastAnswer != 0 && now - lastAnswer < guardNanos;
            if (!fresh || lostDuringPoll) {
                if (confirmed && !fresh) {
                    LOG.warn("no answer from the Kafka group coordinator for {} ms: holding no lease until it answers again",
                            Duration.ofNanos(now - lastAnswer).toMillis());
                }
                confirmed = false;
                freshSince = -1;
                return false;
            }
            if (!confirmed) {
                if (freshSince < 0) {
                    freshSince = polls;
                } else if (polls > freshSince) {
                    confirmed = true;
                }
            }
            return confirmed;
        }
    }

    /** One namespace: led by this node while it holds the namespace's lease partition. */
    public final class LeaseView extends AbstractCamelClusterView {

        private final CamelClusterMember local = new CamelClusterMember() {
            @Override
            public boolean isLeader() {
                return leader;
            }

            @Override
            public boolean isLocal() {
                return true;
            }

            @Override
            public String getId() {
                return nodeId;
            }
        };
        private volatile boolean leader;

        LeaseView(String namespace) {
            super(KafkaLeaseClusterService.this, namespace);
        }

        void lead(boolean lead) {
            if (leader == lead) {
                return;
            }
            leader = lead;
            LOG.info("{} {} {} (lease partition {})", nodeId, lead ? "now leads" : "no longer leads", getNamespace(),
                    partitionOf(getNamespace()));
            fireLeadershipChangedEvent(lead ? local : null);
        }

        @Override
        public Optional<CamelClusterMember> getLeader() {
            return leader ? Optional.of(local) : Optional.empty();
        }

        @Override
        public CamelClusterMember getLocalMember() {
            return local;
        }

        /** This node only: the other members of the lease group are not tracked. */
        @Override
        public List<CamelClusterMember> getMembers() {
            return List.of(local);
        }

        @Override
        protected void doStart() {
            // the lease thread gives leadership at its next poll
        }

        @Override
        protected void doStop() {
            leader = false;
        }
    }
}
