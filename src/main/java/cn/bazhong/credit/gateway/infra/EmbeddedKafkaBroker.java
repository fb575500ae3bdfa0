package cn.bazhong.credit.gateway.infra;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * A single-node Kafka broker (KRaft, broker and controller in one) inside the gateway's JVM, with
 * its log in a local folder, so that one machine needs nothing installed. Its data survives a
 * restart: the folder is formatted only the first time.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

    private final KafkaRaftServer server;
    private final String bootstrapServers;

    private EmbeddedKafkaBroker(KafkaRaftServer server, String bootstrapServers) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
    }

    /**
     * The broker settings the gateway decides itself: where the broker listens and keeps its log, its single-node
     * roles, and what the gateway's clients rely on (no topic created by a mistyped name, messages as large as a
     * receipt). {@code gateway.kafka.embedded.broker} may not set them.
     */
    public static final Set<String> GATEWAY_OWNED = Set.of("process.roles", "node.id", "controller.quorum.voters",
            "listeners", "advertised.listeners", "controller.listener.names", "inter.broker.listener.name",
            "listener.security.protocol.map", "log.dirs", "log.dir", "auto.create.topics.enable", "message.max.bytes");

    public static EmbeddedKafkaBroker start(String host, int port, int controllerPort, Path logDir) throws Exception {
        return start(host, port, controllerPort, logDir, Map.of());
    }

    /**
     * @param extra further broker settings by Kafka's names ({@code gateway.kafka.embedded.broker}), applied over the
     *              gateway's defaults; one of {@link #GATEWAY_OWNED} fails the start before anything is written
     */
    public static EmbeddedKafkaBroker start(String host, int port, int controllerPort, Path logDir, Map<String, String> extra)
            throws Exception {
        List<String> owned = extra.keySet().stream().filter(GATEWAY_OWNED::contains).sorted().toList();
        if (!owned.isEmpty()) {
            throw new IllegalArgumentException("gateway.kafka.embedded.broker may not set " + String.join(", ", owned)
                    + ": the gateway sets these itself (gateway.kafka.embedded.host, port, controller-port and log-dir place the broker)");
        }
        Path dir = Files.createDirectories(logDir);
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@" + host + ":" + controllerPort);
        p.put("listeners", "PLAINTEXT://" + host + ":" + port + ",CONTROLLER://" + host + ":" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://" + host + ":" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", dir.toString());
        p.put("num.partitions", "1");
        p.put("auto.create.topics.enable", "false");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "3");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "3");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        // a node that dies with a stage's transaction open holds back every read_committed reader of the partitions
        // it wrote until the transaction times out (15 s, KafkaClients) and the next abort pass finds it: check each
        // second rather than Kafka's every 10 s
        p.put("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000");
        p.put("message.max.bytes", String.valueOf(KafkaClients.LARGEST_MESSAGE));
        p.putAll(extra);
        KafkaConfig config = KafkaConfig.fromProps(p, false);
        if (!Files.exists(dir.resolve("meta.properties"))) {
            new Formatter()
                    .setClusterId(Uuid.randomUuid().toString())
                    .setNodeId(config.nodeId())
                    .setControllerListenerName("CONTROLLER")
                    .setMetadataLogDirectory(config.metadataLogDir())
                    .addDirectory(dir.toString())
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .run();
            LOG.info("formatted a new embedded Kafka log in {}", dir.toAbsolutePath());
        }
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
        String bootstrap = host + ":" + port;
        LOG.info("embedded Kafka broker listening on {} (log in {})", bootstrap, dir.toAbsolutePath());
        return new EmbeddedKafkaBroker(server, bootstrap);
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }
}
