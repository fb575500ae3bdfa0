package cn.bazhong.credit.gateway.feeds;

import cn.bazhong.credit.gateway.GatewayApplication;
import cn.bazhong.credit.gateway.support.TestBroker;
import cn.bazhong.credit.gateway.infra.EmbeddedKafkaBroker;
import cn.bazhong.credit.gateway.ingest.ReceiptStore;
import cn.bazhong.credit.gateway.support.FrontEndDatabase;
import cn.bazhong.credit.gateway.support.TestGateway;
import cn.bazhong.credit.simulators.province.ProvincialSimulator;
import cn.bazhong.credit.simulators.province.ReceivedRecord;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A database feed moves its watermark only once a page's records are durable: with Kafka gone, the
 * page read cannot be handed off, the watermark stays where it was and no receipt is written; when
 * Kafka is back, the page is read again and its rows reach the province once each.
 */
@SpringBootTest(classes = GatewayApplication.class)
@DirtiesContext
class JdbcFeedHandOffTest {

    static final FrontEndDatabase DB = FrontEndDatabase.start();
    static final ProvincialSimulator PROVINCE = ProvincialSimulator.start(ProvincialSimulator.Settings.defaults());
    static final String FEED = "jtysj-penalties";

    @DynamicPropertySource
    static void gateway(DynamicPropertyRegistry registry) {
        TestGateway.register(registry, "handoff");
        registry.add("gateway.upstream.base-url", () -> PROVINCE.baseUri().toString());
        String p = "gateway.feeds.jtysj.jdbc.";
        registry.add(p + "enabled", () -> "true");
        registry.add(p + "url", DB::url);
        registry.add(p + "user", () -> FrontEndDatabase.USER);
        registry.add(p + "page-size", () -> "50");
        registry.add(p + "delay", () -> "300");
    }

    @AfterAll
    static void stop() {
        DB.close();
        PROVINCE.close();
    }

    @Autowired
    ConfigurableApplicationContext applicationContext;
    @Autowired
    EmbeddedKafkaBroker broker;
    @Autowired
    FeedWatermarks watermarks;
    @Autowired
    ReceiptStore receipts;
    @Autowired
    CamelContext camel;
    @Autowired
    Environment environment;

    /** The restarted broker stops when the gateway does, after the beans that use Kafka (as the original one would). */
    private void stopWithTheGateway(EmbeddedKafkaBroker restarted) {
        var beans = (org.springframework.beans.factory.support.DefaultListableBeanFactory) applicationContext.getBeanFactory();
        beans.registerSingleton("restartedKafkaBroker", restarted);
        beans.registerDisposableBean("restartedKafkaBroker", restarted::close);
        beans.registerDependentBean("restartedKafkaBroker", "kafkaClients");
    }

    private static Map<String, Long> deliveredPerRecord() {
        return PROVINCE.records().stream().map(ReceivedRecord::recordId).filter(id -> id.startsWith("JTYSJ:"))
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }

    private List<String> receiptIds() {
        List<String> ids = new ArrayList<>();
        receipts.forEach(r -> {
            if (FEED.equals(r.feed())) {
                ids.add(r.receiptId());
            }
        });
        return ids;
    }

    @Test
    void with_kafka_gone_the_watermark_stays_and_the_page_is_delivered_once_when_kafka_is_back() throws Exception {
        DB.insertPenalties(0, 5, "91511923E8PR7JY32Q");
        await().atMost(Duration.ofSeconds(90)).until(() -> deliveredPerRecord().size() >= 5);
        await().atMost(Duration.ofSeconds(30)).until(() -> watermarks.get(FEED) != null && watermarks.get(FEED).key().equals("5"));
        Watermark before = watermarks.get(FEED);
        List<String> receiptsBefore = receiptIds();

        NotifyBuilder failed = new NotifyBuilder(camel).fromRoute("jtysj-penalties-jdbc").whenFailed(1).create();
        broker.close();
        DB.insertPenalties(5, 10, "91511923E8PR7JY32Q");

        // the page is read, but its records cannot be made durable: the exchange fails
        assertThat(failed.matches(180, TimeUnit.SECONDS)).as("a poll failed to hand the page off").isTrue();
        assertThat(watermarks.get(FEED)).isEqualTo(before);
        assertThat(receiptIds()).containsExactlyInAnyOrderElementsOf(receiptsBefore);
        assertThat(deliveredPerRecord()).hasSize(5);

        EmbeddedKafkaBroker restarted = EmbeddedKafkaBroker.start("127.0.0.1",
                environment.getRequiredProperty("gateway.kafka.embedded.port", Integer.class),
                environment.getRequiredProperty("gateway.kafka.embedded.controller-port", Integer.class),
                Path.of(environment.getRequiredProperty("gateway.kafka.embedded.log-dir")), TestBroker.SETTINGS);
        stopWithTheGateway(restarted);

        await().atMost(Duration.ofSeconds(180)).until(() -> deliveredPerRecord().size() >= 10);
        await().atMost(Duration.ofSeconds(30)).until(() -> watermarks.get(FEED).key().equals("10"));
        Map<String, Long> delivered = deliveredPerRecord();
        assertThat(delivered).hasSize(10);
        assertThat(delivered.values()).containsOnly(1L);
    }
}
