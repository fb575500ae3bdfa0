package cn.bazhong.credit.gateway.support;

import cn.bazhong.credit.gateway.infra.EmbeddedKafkaBroker;
import cn.bazhong.credit.gateway.infra.KafkaClients;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A real KRaft broker for a test class, on free ports, in a folder of its own that goes with it, and the gateway's
 * Kafka clients for it. Registered as an extension it starts before the class's {@code @BeforeAll} methods and stops
 * after its {@code @AfterAll} ones:
 * <pre>{@code @RegisterExtension static final TestBroker KAFKA = new TestBroker("list-rebuild");}</pre>
 */
public final class TestBroker implements BeforeAllCallback, AfterAllCallback {

    private final String name;
    private Path dir;
    private EmbeddedKafkaBroker broker;
    private KafkaClients clients;

    /** @param name the start of the folder's name, to tell whose it is */
    public TestBroker(String name) {
        this.name = name;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dir = Files.createTempDirectory(name + "-");
        broker = EmbeddedKafkaBroker.start("127.0.0.1", FreePorts.next(), FreePorts.next(), dir);
        clients = new KafkaClients(broker.bootstrapServers(), Map.of());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (broker != null) {
            broker.close();
        }
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    public KafkaClients clients() {
        return clients;
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }
}
