package cn.bazhong.credit.gateway.support;

import cn.bazhong.credit.gateway.infra.EmbeddedKafkaBroker;
import cn.bazhong.credit.gateway.infra.KafkaClients;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A real KRaft broker for a test class, on free ports, in a folder of its own that goes with it, and the gateway's
 * Kafka clients for it. Registered as an extension it starts before the class's {@code @BeforeAll} methods and stops
 * after its {@code @AfterAll} ones:
 * <pre>{@code @RegisterExtension static final TestBroker KAFKA = new TestBroker("list-rebuild");}</pre>
 */
public final class TestBroker implements BeforeAllCallback, AfterAllCallback {

    /**
     * What every broker of the tests runs with ({@code gateway.kafka.embedded.broker}; TestGateway and ForkedGateway
     * pass it on): a 4 MB key map for the log cleaner instead of Kafka's 128 MB, which every broker start allocated
     * and a test JVM's collector then moved or swept through; the tests' compacted topics hold a few thousand keys.
     */
    public static final Map<String, String> SETTINGS = Map.of("log.cleaner.dedupe.buffer.size", String.valueOf(4 << 20));

    /** {@link #SETTINGS} as the gateway's properties ({@code gateway.kafka.embedded.broker[name]}), for a gateway's broker. */
    public static Map<String, String> gatewayProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        SETTINGS.forEach((k, v) -> properties.put("gateway.kafka.embedded.broker[" + k + "]", v));
        return properties;
    }

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
        broker = EmbeddedKafkaBroker.start("127.0.0.1", FreePorts.next(), FreePorts.next(), dir, SETTINGS);
        clients = new KafkaClients(broker.bootstrapServers(), Map.of());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (broker != null) {
            broker.close();
        }
        if (dir != null) {
            Folders.deleteQuietly(dir);
        }
    }

    public KafkaClients clients() {
        return clients;
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }
}
