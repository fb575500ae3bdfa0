package cn.bazhong.credit.gateway.support;

import cn.bazhong.credit.gateway.GatewayApplication;
import cn.bazhong.credit.simulators.province.ProvincialSimulator;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * One gateway on {@link TestGateway}'s settings and nothing else, shared by the test classes that extend this
 * one: Spring's test context cache keeps it while such classes follow each other in a test JVM, so they boot
 * one gateway (broker, Hazelcast member, Camel) instead of one each. The cache holds one context
 * ({@code spring.properties}): a class with a context of its own closes the shared one rather than leaving it
 * idle beside it until the end of the run.
 *
 * <p>A class that extends it must leave the context as it found it (no {@code @DirtiesContext}, no settings of
 * its own; a test that needs either gets a context of its own) and must not assume it is the gateway's only
 * caller: it asserts on what it did itself (its own ids, access-log entries since it started, counters
 * before and after), never on totals. Its province is a simulator that takes every batch, so that what one
 * class pushes never opens the circuit under the next class's feet.
 */
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class SharedGateway {

    /** The shared gateway's node id ({@code gateway.node-id}). */
    public static final String NODE = "shared";

    /** The shared gateway's province, for as long as the test JVM runs. */
    protected static final ProvincialSimulator PROVINCE = ProvincialSimulator.start(ProvincialSimulator.Settings.defaults());

    @DynamicPropertySource
    static void sharedGateway(DynamicPropertyRegistry registry) {
        TestGateway.register(registry, NODE);
        registry.add("gateway.upstream.base-url", () -> PROVINCE.baseUri().toString());
        registry.add("gateway.upstream.token", () -> PROVINCE.settings().token());
    }
}
