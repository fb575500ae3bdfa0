package cn.bazhong.credit.gateway.feeds;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.ProcessorDefinitionHelper;
import org.apache.camel.model.ToDefinition;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.RoutePolicySupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The feed route templates of routes/ on a plain Camel context (no Spring, no servers): each template's
 * consumer is advised to a {@code direct:} endpoint and its writing steps, woven by id, to mock endpoints;
 * the gateway's beans are small stand-ins. What is checked is what a template itself must do with what its
 * handler bean returns. The transports end to end are SftpFeedsTest, FtpFeedsTest, KafkaFeedsTest and JdbcFeedsTest.
 */
class RouteTemplatesTest {

    private final CamelContext camel = new DefaultCamelContext();
    private final JdbcFeedDataSources pools = new JdbcFeedDataSources(); // its pools connect on first use: never here
    private final List<String> events = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        camel.stop();
        pools.close();
    }

    private void load(String template) throws Exception {
        PluginHelper.getRoutesLoader(camel).loadRoutes(PluginHelper.getResourceLoader(camel).resolveResource("file:routes/" + template));
    }

    /** The lease policy of the templates, which needs a cluster: here a policy that lets the route run. */
    private static RoutePolicySupport noLease() {
        return new RoutePolicySupport() {
        };
    }

    private ProducerTemplate start() {
        camel.start();
        return camel.createProducerTemplate();
    }

    private MockEndpoint mock(String name) {
        return camel.getEndpoint("mock:" + name, MockEndpoint.class);
    }

    // ---------------------------------------------------------------- sftp-feed

    /** The file handler's stand-in: sends the file to the outcome it is told, with a receipt named after the file. */
    public final class FileHandler {
        volatile String outcome = SftpFeedHandler.DONE;
        final List<Map<String, Object>> handed = new CopyOnWriteArrayList<>();

        public void ingest(Exchange exchange) {
            handed.add(new HashMap<>(exchange.getProperties()));
            if (outcome == null) {
                throw new IllegalStateException("records not durable"); // as when Kafka is unavailable
            }
            String name = exchange.getIn().getHeader(Exchange.FILE_NAME_ONLY, String.class);
            exchange.setProperty(SftpFeedHandler.OUTCOME, outcome);
            exchange.getIn().setHeader("receiptFile", name + (outcome.equals(SftpFeedHandler.DONE) ? ".receipt.json" : ".reason.txt"));
            exchange.getIn().setBody(("receipt of " + name).getBytes(StandardCharsets.UTF_8));
        }
    }

    private FileHandler sftpFeed(String template, String templateId, String scheme) throws Exception {
        FileHandler handler = new FileHandler();
        camel.getRegistry().bind("sftpFeedHandler", handler);
        load(template);
        TemplatedRouteBuilder.builder(camel, templateId).routeId("xzcf-" + scheme)
                .parameter("mappingId", "scjgj-penalties")
                .parameter("host", "sftp.scjgj.example")
                .parameter("port", "2222")
                .parameter("username", "exchange")
                .parameter("password", "secret")
                .parameter("knownHostsFile", "config/known_hosts")
                .parameter("directory", "outbox/xzcf")
                .parameter("include", "XZCF_.*\\.csv")
                .bean("pollerLease", noLease())
                .add();
        AdviceWith.adviceWith(camel, "xzcf-" + scheme, a -> {
            a.replaceFromWith("direct:files");
            // the receipt's endpoint as the route resolved it (folder, file name, temp prefix), not written anywhere
            a.interceptSendToEndpoint(scheme + "*").skipSendToOriginalEndpoint().to("mock:written");
            a.weaveById("write-receipt").after().to("mock:receipt-written");
        });
        return handler;
    }

    private static String writtenTo(Exchange written) {
        return java.net.URLDecoder.decode(written.getProperty(Exchange.INTERCEPTED_ENDPOINT, String.class), StandardCharsets.UTF_8);
    }

    @Test
    void anSftpFeedHandsItsHandlerTheMappingAndWritesTheReceiptInTheDoneFolderUnderATempName() throws Exception {
        FileHandler handler = sftpFeed("template-sftp-feed.camel.yaml", "sftp-feed", "sftp");
        start().sendBodyAndHeader("direct:files", "a,b\n", Exchange.FILE_NAME_ONLY, "XZCF_20261201_001.csv");

        assertThat(handler.handed).singleElement().satisfies(p -> assertThat(p).containsEntry("mappingId", "scjgj-penalties"));
        assertThat(mock("written").getExchanges()).singleElement().satisfies(written -> {
            assertThat(writtenTo(written)).startsWith("sftp://sftp.scjgj.example:2222/outbox/xzcf/.done?")
                    .contains("fileName=${header.receiptFile}", "tempPrefix=.writing-",
                            "knownHostsFile=RAW(config/known_hosts)", "strictHostKeyChecking=yes");
            assertThat(written.getIn().getHeader("receiptFile")).isEqualTo("XZCF_20261201_001.csv.receipt.json");
            assertThat(written.getIn().getBody(String.class)).isEqualTo("receipt of XZCF_20261201_001.csv");
        });
    }

    @Test
    void anSftpFileTheHandlerRefusesGetsItsReasonInTheErrorFolder() throws Exception {
        FileHandler handler = sftpFeed("template-sftp-feed.camel.yaml", "sftp-feed", "sftp");
        handler.outcome = SftpFeedHandler.ERROR;
        start().sendBodyAndHeader("direct:files", "garbage", Exchange.FILE_NAME_ONLY, "XZCF_20261201_002.csv");

        assertThat(mock("written").getExchanges()).singleElement().satisfies(written ->
                assertThat(writtenTo(written)).startsWith("sftp://sftp.scjgj.example:2222/outbox/xzcf/.error?")
                        .contains("fileName=${header.receiptFile}", "tempPrefix=.writing-"));
    }

    @Test
    void whenTheSftpHandlerFailsNoReceiptIsWrittenAndTheFailureReachesTheConsumer() throws Exception {
        FileHandler handler = sftpFeed("template-sftp-feed.camel.yaml", "sftp-feed", "sftp");
        handler.outcome = null; // the records cannot be made durable
        ProducerTemplate send = start();

        assertThatThrownBy(() -> send.sendBodyAndHeader("direct:files", "a,b\n", Exchange.FILE_NAME_ONLY, "XZCF_20261201_003.csv"))
                .isInstanceOf(CamelExecutionException.class).hasRootCauseMessage("records not durable");
        assertThat(mock("written").getExchanges()).isEmpty();
    }

    @Test
    void anFtpFeedNamesItsChannelAndWritesTheReceiptInTheFolderTheHandlerChose() throws Exception {
        FileHandler handler = sftpFeed("template-ftp-feed.camel.yaml", "ftp-feed", "ftp");
        handler.outcome = SftpFeedHandler.ERROR;
        start().sendBodyAndHeader("direct:files", "garbage", Exchange.FILE_NAME_ONLY, "XZCF_20261201_004.csv");

        assertThat(handler.handed).singleElement().satisfies(p ->
                assertThat(p).containsEntry("mappingId", "scjgj-penalties").containsEntry(SftpFeedHandler.CHANNEL, "ftp"));
        assertThat(mock("written").getExchanges()).singleElement().satisfies(written ->
                assertThat(writtenTo(written)).startsWith("ftp://sftp.scjgj.example:2222/outbox/xzcf/.error?")
                        .contains("fileName=${header.receiptFile}", "tempPrefix=.writing-", "passiveMode=true"));
        assertThat(mock("receipt-written").getExchanges()).isEmpty(); // the .done branch was not taken
    }

    // ---------------------------------------------------------------- kafka-feed

    @Test
    void aKafkaFeedHandsItsHandlerTheMappingAndTheDepartmentsReceiptAndDeadLetterTopics() throws Exception {
        List<Map<String, Object>> handed = new CopyOnWriteArrayList<>();
        camel.getRegistry().bind("kafkaFeedHandler", new Object() {
            public void ingest(Exchange exchange) {
                handed.add(new HashMap<>(exchange.getProperties()));
            }
        });
        load("template-kafka-feed.camel.yaml");
        TemplatedRouteBuilder.builder(camel, "kafka-feed").routeId("swj-kafka")
                .parameter("mappingId", "swj-tax-arrears")
                .parameter("topic", "dept.swj.credit")
                .parameter("groupId", "gateway-swj")
                .parameter("receiptsTopic", "dept.swj.receipts")
                .parameter("deadLetterTopic", "dept.swj.dead-letters")
                .add();
        AdviceWith.adviceWith(camel, "swj-kafka", a -> {
            a.replaceFromWith("direct:messages");
            a.weaveById("ingest-message").after().to("mock:handled");
        });
        start().sendBody("direct:messages", "{}".getBytes(StandardCharsets.UTF_8));

        assertThat(handed).singleElement().satisfies(p -> assertThat(p)
                .containsEntry("mappingId", "swj-tax-arrears")
                .containsEntry("receiptsTopic", "dept.swj.receipts")
                .containsEntry("deadLetterTopic", "dept.swj.dead-letters"));
        assertThat(mock("handled").getReceivedCounter()).isEqualTo(1);
    }

    // ---------------------------------------------------------------- jdbc-feed

    private static Map<String, Object> row(long id, String updatedAt) {
        return Map.of("ID", id, "UPDATED_AT", Timestamp.valueOf(updatedAt), "STATUS", "0");
    }

    /**
     * The stand-in of the feed's pages bean (JdbcFeedPages, which needs Kafka and Hazelcast): in status mode it
     * says it took the odd keys of the page; in watermark mode it moves its watermark to the page's last row.
     * A page is full (more may follow) when it holds 3 rows, the feeds' pageSize here.
     */
    public final class Pages {
        volatile boolean fail;
        volatile Timestamp watermarkTime = Timestamp.valueOf("1900-01-01 00:00:00");
        volatile long watermarkKey = Long.MIN_VALUE;

        @SuppressWarnings("unchecked")
        private List<Map<String, Object>> page(Exchange exchange) {
            List<Map<String, Object>> rows = exchange.getIn().getBody(List.class);
            events.add("handler called with " + rows.stream().map(r -> r.get("ID")).toList());
            if (fail) {
                throw new IllegalStateException("records not durable");
            }
            exchange.setProperty(JdbcFeedPages.MORE, rows.size() >= 3);
            return rows;
        }

        public void takeFlagged(Exchange exchange) {
            List<Object> odd = new ArrayList<>();
            page(exchange).stream().map(r -> (Long) r.get("ID")).filter(id -> id % 2 == 1).forEach(odd::add);
            exchange.getIn().setHeader(JdbcFeedPages.TAKEN_KEYS, odd);
            events.add("handler returned");
        }

        public void startAfterWatermark(Exchange exchange) {
            exchange.getIn().setHeader(JdbcFeedPages.FROM_TIME, watermarkTime);
            exchange.getIn().setHeader(JdbcFeedPages.FROM_KEY, watermarkKey);
        }

        public void takeAfterWatermark(Exchange exchange) {
            List<Map<String, Object>> rows = page(exchange);
            if (!rows.isEmpty()) {
                Map<String, Object> last = rows.get(rows.size() - 1);
                watermarkTime = (Timestamp) last.get("UPDATED_AT");
                watermarkKey = (Long) last.get("ID");
            }
        }
    }

    /** A jdbc-feed route whose table reads answer the given pages in turn (then empty pages) and whose updates are recorded. */
    private Pages jdbcFeed(String mode, String readStep, List<List<Map<String, Object>>> answers) throws Exception {
        Pages pages = new Pages();
        camel.getRegistry().bind("jdbcFeedDataSources", pools);
        load("template-jdbc-feed.camel.yaml");
        // the template makes its pages bean from the gateway's ingestor and watermarks: the stand-in replaces it
        ((ModelCamelContext) camel).getRouteTemplateDefinition("jdbc-feed").getTemplateBeans().removeIf(b -> b.getName().equals("pages"));
        TemplatedRouteBuilder.builder(camel, "jdbc-feed").routeId("qzj-jdbc")
                .parameter("mappingId", "qzj-penalties")
                .parameter("url", "jdbc:postgresql://10.1.2.3:5432/qzj")
                .parameter("user", "exchange")
                .parameter("table", "qzj.xzcf_front")
                .parameter("mode", mode)
                .parameter("keyColumn", "id")
                .parameter("updatedColumn", "updated_at")
                .parameter("statusColumn", "status")
                .parameter("pageSize", "3")
                .bean("pollerLease", noLease())
                .bean("pages", pages)
                .add();
        AdviceWith.adviceWith(camel, "qzj-jdbc", a -> {
            a.replaceFromWith("direct:poll");
            a.weaveById(readStep).replace().to("mock:read");
            a.weaveById("mark-taken").replace().to("mock:mark-taken");
        });
        Iterator<List<Map<String, Object>>> next = answers.iterator();
        mock("read").whenAnyExchangeReceived(e -> {
            events.add("read");
            e.getIn().setBody(next.hasNext() ? next.next() : List.of());
        });
        mock("mark-taken").whenAnyExchangeReceived(e -> events.add("marked " + e.getIn().getHeader(JdbcFeedPages.TAKEN_KEYS)));
        return pages;
    }

    private String templateUri(String nodeId) {
        return ((ModelCamelContext) camel).getRouteTemplateDefinition("jdbc-feed").getRoute().getOutputs().stream()
                .flatMap(n -> ProcessorDefinitionHelper.filterTypeInOutputs(List.of(n), ToDefinition.class).stream())
                .filter(n -> nodeId.equals(n.getId())).findFirst().orElseThrow().getEndpointUri();
    }

    @Test
    void inStatusModeOnlyTheKeysTheHandlerTookAreMarkedAndOnlyAfterItReturnedPageAfterPage() throws Exception {
        jdbcFeed("status", "read-flagged-page", List.of(
                List.of(row(1, "2026-12-01 08:00:00"), row(2, "2026-12-01 08:00:00"), row(3, "2026-12-01 08:00:00")),
                List.of(row(4, "2026-12-01 09:00:00"), row(5, "2026-12-01 09:00:00"))));
        start().sendBody("direct:poll", null);

        assertThat(events).containsExactly(
                "read", "handler called with [1, 2, 3]", "handler returned", "marked [1, 3]",
                "read", "handler called with [4, 5]", "handler returned", "marked [5]");
        // the update reads its keys from the header the handler sets, and touches only rows still new
        assertThat(templateUri("mark-taken")).contains("WHERE {{keyColumn}} IN (:#in:takenKeys) AND {{statusColumn}} = {{statusNew}}");
    }

    @Test
    void inStatusModeAnEmptyPageMarksNothingAndEndsThePoll() throws Exception {
        jdbcFeed("status", "read-flagged-page", List.of(List.of(row(2, "2026-12-01 08:00:00"))));
        start().sendBody("direct:poll", null);

        assertThat(events).containsExactly("read", "handler called with [2]", "handler returned");
        assertThat(mock("mark-taken").getReceivedCounter()).isZero();
    }

    @Test
    void inStatusModeNothingIsMarkedWhenTheHandlerThrows() throws Exception {
        Pages pages = jdbcFeed("status", "read-flagged-page", List.of(
                List.of(row(1, "2026-12-01 08:00:00"), row(2, "2026-12-01 08:00:00"), row(3, "2026-12-01 08:00:00"))));
        pages.fail = true;
        ProducerTemplate send = start();

        assertThatThrownBy(() -> send.sendBody("direct:poll", null)).hasRootCauseMessage("records not durable");
        assertThat(events).containsExactly("read", "handler called with [1, 2, 3]");
        assertThat(mock("mark-taken").getReceivedCounter()).isZero();
    }

    @Test
    void inWatermarkModeEachPageIsReadAfterTheWatermarkTheHandlerLeftAndAShortPageEndsThePoll() throws Exception {
        jdbcFeed("watermark", "read-page", List.of(
                List.of(row(7, "2026-12-01 08:00:00"), row(3, "2026-12-01 08:30:00"), row(9, "2026-12-01 08:30:00")),
                List.of(row(4, "2026-12-01 09:00:00")),
                List.of(row(5, "2026-12-01 10:00:00"))));
        start().sendBody("direct:poll", null);

        assertThat(mock("read").getExchanges()).extracting(
                e -> e.getIn().getHeader(JdbcFeedPages.FROM_TIME), e -> e.getIn().getHeader(JdbcFeedPages.FROM_KEY))
                .containsExactly(
                        tuple(Timestamp.valueOf("1900-01-01 00:00:00"), Long.MIN_VALUE),
                        tuple(Timestamp.valueOf("2026-12-01 08:30:00"), 9L));
        assertThat(events).containsExactly("read", "handler called with [7, 3, 9]", "read", "handler called with [4]");
        assertThat(mock("mark-taken").getReceivedCounter()).isZero();
        assertThat(templateUri("read-page")).contains(
                "WHERE {{updatedColumn}} > :#wmTime OR ({{updatedColumn}} = :#wmTime AND {{keyColumn}} > :#wmKey) ORDER BY {{updatedColumn}}, {{keyColumn}}");
    }
}
