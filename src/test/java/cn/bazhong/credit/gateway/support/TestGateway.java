package cn.bazhong.credit.gateway.support;

import cn.bazhong.credit.gateway.security.ApiKeys;
import org.springframework.test.context.DynamicPropertyRegistry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Settings for a gateway under test: its own embedded Kafka broker and Hazelcast member on free
 * ports with data in a fresh folder, a known API key per department, and personal fields sealed at rest.
 */
public final class TestGateway {

    /** Department → API key used by tests. Only their hashes reach the gateway's configuration. */
    public static final Map<String, String> KEYS = Map.of(
            "SCJGJ", "test-key-scjgj", "ZJFY", "test-key-zjfy", "XZSPJ", "test-key-xzspj",
            "SSTHJJ", "test-key-ssthjj", "SWJ", "test-key-swj", "GGZY", "test-key-ggzy");
    /** An admin's key (reads, replays, enables, decides). */
    public static final String OPERATOR_KEY = "test-key-operator";
    /** A viewer's key (reads only). */
    public static final String VIEWER_KEY = "test-key-viewer";
    /** The province's key (pushes list updates, nothing else). */
    public static final String PROVINCE_KEY = "test-key-province";

    private TestGateway() {
    }

    private static Map<String, String> encryption;

    /**
     * The settings that turn on the encryption of personal fields (SM4-GCM), as production has it: one KEK and
     * key ring per test JVM, in a folder of their own, so that the nodes a test starts (in this JVM or forked)
     * share them as a cluster's nodes do.
     */
    public static synchronized Map<String, String> encryptionProperties() {
        if (encryption == null) {
            try {
                Path dir = Files.createTempDirectory("gateway-keys-");
                java.security.SecureRandom random = new java.security.SecureRandom();
                cn.bazhong.credit.gateway.crypto.KeyEncryptionKey kek = cn.bazhong.credit.gateway.crypto.KeyEncryptionKey.generate("kek-test", random);
                Path kekFile = dir.resolve("kek.b64");
                cn.bazhong.credit.gateway.crypto.KeyFiles.createOwnerOnly(kekFile, kek.toBase64());
                Path ring = dir.resolve("data-keys.json");
                cn.bazhong.credit.gateway.crypto.KeyRing.rotate(ring, kek, cn.bazhong.credit.gateway.crypto.Aead.SM4_GCM,
                        java.time.Clock.systemUTC(), random);
                encryption = Map.of("gateway.crypto.fields.enabled", "true",
                        "gateway.crypto.fields.data-keys-file", ring.toString(),
                        "gateway.crypto.kek.id", "kek-test",
                        "gateway.crypto.kek.file", kekFile.toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return encryption;
    }

    /** Adds {@link #encryptionProperties()} to a test's registry (for tests that do not {@link #register}). */
    public static void encryptPersonalData(DynamicPropertyRegistry registry) {
        encryptionProperties().forEach((k, v) -> registry.add(k, () -> v));
    }

    public static void register(DynamicPropertyRegistry registry, String nodeId) {
        int kafka = FreePorts.next();
        int controller = FreePorts.next();
        int hazelcast = FreePorts.next();
        Path data;
        try {
            data = Files.createTempDirectory("gateway-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        registry.add("gateway.node-id", () -> nodeId);
        // personal fields sealed at rest, as the production profile requires
        encryptPersonalData(registry);
        registry.add("gateway.kafka.embedded.enabled", () -> "true");
        registry.add("gateway.kafka.embedded.port", () -> kafka);
        registry.add("gateway.kafka.embedded.controller-port", () -> controller);
        registry.add("gateway.kafka.embedded.log-dir", () -> data.resolve("kafka").toString());
        registry.add("gateway.kafka.bootstrap-servers", () -> "127.0.0.1:" + kafka);
        TestBroker.gatewayProperties().forEach((k, v) -> registry.add(k, () -> v));
        registry.add("gateway.topics.partitions", () -> "3");
        registry.add("gateway.hazelcast.port", () -> hazelcast);
        registry.add("gateway.hazelcast.members", () -> "127.0.0.1:" + hazelcast);
        registry.add("gateway.hazelcast.cluster-name", () -> "test-" + nodeId + "-" + hazelcast);
        registry.add("camel.main.run-controller", () -> "false");
        // a consumer stuck on a dead endpoint must not hold the context's shutdown for long
        registry.add("camel.main.shutdown-timeout", () -> "5");
        // one watch service per context adds up; the reload tests turn it on over their own copies of the files
        registry.add("gateway.reload.enabled", () -> "false");
        // fan-out tests turn it on with their own receivers and subscriptions
        registry.add("gateway.fanout.enabled", () -> "false");
        registry.add("gateway.upstream.batch-wait", () -> "300ms");
        registry.add("gateway.upstream.initial-backoff", () -> "200ms");
        registry.add("gateway.upstream.max-backoff", () -> "2s");
        KEYS.forEach((dept, key) -> registry.add("gateway.access.departments." + dept + "[0]", () -> ApiKeys.hash(key)));
        registry.add("gateway.access.admins.ops[0]", () -> ApiKeys.hash(OPERATOR_KEY));
        registry.add("gateway.access.viewers.watch[0]", () -> ApiKeys.hash(VIEWER_KEY));
        registry.add("gateway.access.province[0]", () -> ApiKeys.hash(PROVINCE_KEY));
    }
}
