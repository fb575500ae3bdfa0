package cn.bazhong.credit.gateway.support;

import cn.bazhong.credit.gateway.GatewayApplication;
import cn.bazhong.credit.simulators.province.ProvincialSimulator;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@link SharedGateway}'s twin with the fan-out on: one gateway on {@link TestGateway}'s settings that delivers the
 * list changes to webhooks of three departments, 通江县 (TJX), 南江县 (NJX) and the approval bureau (XZSPJ), all
 * received by {@link #HOOKS}; its consumer-lag gauges are refreshed every second. The classes that extend it run
 * through {@link SharedFanoutGatewayTests}, one after another in one test JVM, and follow the same rules as
 * SharedGateway's: no settings or {@code @DirtiesContext} of their own, and assertions on their own subjects only,
 * since the receivers get every class's changes.
 */
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class SharedFanoutGateway {

    /** The departments with a webhook subscription. */
    public static final List<String> DEPARTMENTS = List.of("TJX", "NJX", "XZSPJ");

    /** The province, and the departments' webhook receivers, for as long as the test JVM runs. */
    protected static final ProvincialSimulator PROVINCE = ProvincialSimulator.start(ProvincialSimulator.Settings.defaults());
    protected static final WebhookReceivers HOOKS = new WebhookReceivers();

    @DynamicPropertySource
    static void sharedFanoutGateway(DynamicPropertyRegistry registry) {
        TestGateway.register(registry, "shared-fanout");
        registry.add("gateway.upstream.base-url", () -> PROVINCE.baseUri().toString());
        registry.add("gateway.upstream.token", () -> PROVINCE.settings().token());
        Path subscriptions;
        try {
            subscriptions = Files.createTempFile("subscriptions-", ".yaml");
            Files.writeString(subscriptions, "subscriptions:\n" + FanoutFixtures.webhooks(HOOKS, DEPARTMENTS,
                    d -> "    retry: { maxAttempts: 50, initialBackoff: 200ms, maxBackoff: 1s }\n"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        registry.add("gateway.fanout.enabled", () -> "true");
        registry.add("gateway.fanout.subscriptions-file", subscriptions::toString);
        registry.add("gateway.ops.lag-refresh-interval", () -> "1s");
    }
}
