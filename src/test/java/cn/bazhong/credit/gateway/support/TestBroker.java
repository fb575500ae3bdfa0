package cn.bazhong.credit.gateway.support;

import cn.bazhong.credit.gateway.infra.EmbeddedKafkaBroker;
import cn.bazhong.credit.gateway.infra.KafkaClients;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A real KRaft broker for a test class on free ports, in a folder of its own that goes with it, and the gateway's
 * Kafka clients for it: {@code static TestBroker KAFKA = TestBroker.start("name")} in {@code @BeforeAll}, {@code close()}
 * in {@code @AfterAll}.
 */
public final class TestBroker implements AutoCloseable {

    private final Path dir;
    private final EmbeddedKafkaBroker broker;
    private final KafkaClients clients;

    private TestBroker(Path dir, EmbeddedKafkaBroker broker) {
        this.dir = dir;
        this.broker = broker;
        this.clients = new KafkaClients(broker.bootstrapServers(), Map.of());
    }

    /** @param name the start of the folder's name, to tell whose it is */
    public static TestBroker start(String name) throws Exception {
        Path dir = Files.createTempDirectory(name + "-");
        return new TestBroker(dir, EmbeddedKafkaBroker.start("127.0.0.1", FreePorts.next(), FreePorts.next(), dir));
    }

    public KafkaClients clients() {
        return clients;
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    @Override
    public void close() {
        broker.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
