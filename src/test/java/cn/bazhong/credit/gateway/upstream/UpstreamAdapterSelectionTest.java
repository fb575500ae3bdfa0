package cn.bazhong.credit.gateway.upstream;

import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.support.TestSftpServer;
import cn.bazhong.credit.gateway.transport.SftpUpstreamTransport;
import cn.bazhong.credit.gateway.transport.UpstreamTransport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code gateway.upstream.transport} and its nested keys, bound as Spring binds them, choose the
 * adapter that {@link UpstreamConfiguration} builds.
 */
class UpstreamAdapterSelectionTest {

    private static final KafkaClients GATEWAY_KAFKA = new KafkaClients("127.0.0.1:19092", Map.of());

    private static Map<String, String> existingKeys() {
        Map<String, String> p = new HashMap<>();
        p.put("gateway.upstream.base-url", "http://127.0.0.1:18090");
        p.put("gateway.upstream.token", "province-dev-token");
        p.put("gateway.upstream.batch-size", "200");
        p.put("gateway.upstream.batch-wait", "2s");
        p.put("gateway.upstream.request-timeout", "30s");
        p.put("gateway.upstream.retry-budget", "24h");
        p.put("gateway.upstream.initial-backoff", "1s");
        p.put("gateway.upstream.max-backoff", "5m");
        p.put("gateway.upstream.source-unit.name", "巴中市社会信用体系建设领导小组办公室");
        p.put("gateway.upstream.source-unit.uscc", "11511900MB1599991T");
        return p;
    }

    private static UpstreamSettings bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties)).bind("gateway.upstream", UpstreamSettings.class).get();
    }

    private static UpstreamTransport select(UpstreamSettings settings) {
        StaticListableBeanFactory beans = new StaticListableBeanFactory(Map.of("kafkaClients", GATEWAY_KAFKA));
        ObjectProvider<KafkaClients> kafka = beans.getBeanProvider(KafkaClients.class);
        return new UpstreamConfiguration().upstreamTransport(settings, kafka, new cn.bazhong.credit.gateway.infra.NodeSettings("node-1"), cn.bazhong.credit.gateway.tls.OutboundTls.jdkDefaults(),
                beans.getBeanProvider(cn.bazhong.credit.gateway.crypto.Sm2SigningKey.class), beans.getBeanProvider(org.apache.camel.CamelContext.class));
    }

    @Test
    void without_a_transport_key_batches_go_by_rest_and_the_existing_keys_keep_their_meaning() {
        UpstreamSettings settings = bind(existingKeys());

        assertThat(settings.transport()).isEqualTo(UpstreamSettings.Transport.REST);
        assertThat(settings.requestTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.kafka().topicPattern()).isEqualTo("province.exchange.{dataset}");
        assertThat(settings.sftp().port()).isEqualTo(22);
        UpstreamTransport transport = select(settings);
        assertThat(transport).isInstanceOf(RestUpstreamTransport.class);
        assertThat(transport.describe()).isEqualTo("REST http://127.0.0.1:18090/exchange/v1/batches");
    }

    @Test
    void transport_sftp_binds_its_keys_and_selects_the_sftp_adapter() throws Exception {
        try (TestSftpServer province = TestSftpServer.start()) {
            Map<String, String> p = existingKeys();
            p.put("gateway.upstream.transport", "sftp");
            p.put("gateway.upstream.sftp.host", "127.0.0.1");
            p.put("gateway.upstream.sftp.port", String.valueOf(province.port()));
            p.put("gateway.upstream.sftp.username", TestSftpServer.USER);
            p.put("gateway.upstream.sftp.password", TestSftpServer.PASSWORD);
            p.put("gateway.upstream.sftp.private-key-file", "");
            p.put("gateway.upstream.sftp.known-hosts-file", province.knownHosts().toString());
            p.put("gateway.upstream.sftp.directory", "/exchange/in");
            UpstreamSettings settings = bind(p);

            assertThat(settings.sftp().privateKeyFile()).isNull();
            UpstreamTransport transport = select(settings);
            try (AutoCloseable closing = (AutoCloseable) transport) {
                assertThat(transport).isInstanceOf(SftpUpstreamTransport.class);
                assertThat(transport.describe())
                        .isEqualTo("SFTP gateway@127.0.0.1:" + province.port() + " folder /exchange/in")
                        .doesNotContain(TestSftpServer.PASSWORD);
            }
        }
    }

    @Test
    void transport_sftp_without_a_known_hosts_file_refuses_to_start() {
        Map<String, String> p = existingKeys();
        p.put("gateway.upstream.transport", "SFTP");
        p.put("gateway.upstream.sftp.host", "sftp.province.example");
        p.put("gateway.upstream.sftp.username", "bazhong");
        p.put("gateway.upstream.sftp.password", "secret");

        assertThatThrownBy(() -> select(bind(p)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("gateway.upstream.sftp.known-hosts-file");
    }

    @Test
    void transport_kafka_with_its_own_bootstrap_servers_publishes_to_the_province_cluster_with_its_client_settings() throws Exception {
        Map<String, String> p = existingKeys();
        p.put("gateway.upstream.transport", "kafka");
        p.put("gateway.upstream.kafka.bootstrap-servers", "127.0.0.1:19093");
        p.put("gateway.upstream.kafka.topic-pattern", "sc.credit.{dataset}.in");
        p.put("gateway.upstream.kafka.client.security.protocol", "PLAINTEXT");
        p.put("gateway.upstream.kafka.client.max.block.ms", "5000");
        UpstreamSettings settings = bind(p);

        assertThat(settings.kafka().client()).containsEntry("security.protocol", "PLAINTEXT").containsEntry("max.block.ms", "5000");
        KafkaClients clients = UpstreamConfiguration.provinceKafka(settings.kafka(), () -> GATEWAY_KAFKA);
        assertThat(clients.bootstrapServers()).isEqualTo("127.0.0.1:19093");
        assertThat(clients.base()).containsEntry("security.protocol", "PLAINTEXT");
        UpstreamTransport transport = select(settings);
        try (AutoCloseable closing = (AutoCloseable) transport) {
            assertThat(transport).isInstanceOf(KafkaUpstreamTransport.class);
            assertThat(transport.describe()).isEqualTo("Kafka 127.0.0.1:19093 topics sc.credit.{dataset}.in");
            assertThat(((KafkaUpstreamTransport) transport).topicOf("ADMIN_LICENSE")).isEqualTo("sc.credit.admin_license.in");
        }
    }

    @Test
    void transport_kafka_without_bootstrap_servers_uses_the_gateways_own_cluster() throws Exception {
        Map<String, String> p = existingKeys();
        p.put("gateway.upstream.transport", "kafka");
        UpstreamSettings settings = bind(p);

        assertThat(UpstreamConfiguration.provinceKafka(settings.kafka(), () -> GATEWAY_KAFKA)).isSameAs(GATEWAY_KAFKA);
        UpstreamTransport transport = select(settings);
        try (AutoCloseable closing = (AutoCloseable) transport) {
            assertThat(transport.describe()).isEqualTo("Kafka 127.0.0.1:19092 topics province.exchange.{dataset}");
        }
    }

    @Test
    void kafka_client_settings_without_bootstrap_servers_are_refused_rather_than_sent_to_the_gateways_cluster() {
        Map<String, String> p = existingKeys();
        p.put("gateway.upstream.transport", "kafka");
        p.put("gateway.upstream.kafka.client.security.protocol", "SASL_SSL");

        assertThatThrownBy(() -> select(bind(p)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("gateway.upstream.kafka.bootstrap-servers");
    }

    @Test
    void transport_camel_hands_each_batch_to_the_named_endpoint_and_reads_a_failed_exchange_or_an_http_answer_like_the_province() throws Exception {
        try (org.apache.camel.impl.DefaultCamelContext camel = new org.apache.camel.impl.DefaultCamelContext()) {
            java.util.List<org.apache.camel.Message> taken = new java.util.concurrent.CopyOnWriteArrayList<>();
            java.util.concurrent.atomic.AtomicInteger failures = new java.util.concurrent.atomic.AtomicInteger(1);
            camel.addRoutes(new org.apache.camel.builder.RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:province-out").routeId("province-out").process(e -> {
                        if (failures.getAndDecrement() > 0) {
                            throw new IllegalStateException("the queue manager is down");
                        }
                        taken.add(e.getMessage().copy());
                    });
                    from("direct:province-http").routeId("province-http").process(e -> {
                        e.getMessage().setHeader(org.apache.camel.Exchange.HTTP_RESPONSE_CODE, 503);
                        e.getMessage().setHeader("Retry-After", "7");
                        e.getMessage().setBody("{\"error\":\"maintenance\"}");
                    });
                }
            });
            camel.start();
            StaticListableBeanFactory beans = new StaticListableBeanFactory(Map.of("kafkaClients", GATEWAY_KAFKA, "camelContext", camel));
            Map<String, String> p = existingKeys();
            p.put("gateway.upstream.transport", "camel");
            p.put("gateway.upstream.camel.uri", "direct:province-out");
            p.put("gateway.upstream.camel.parameters.timeout", "5000");
            UpstreamSettings settings = bind(p);
            UpstreamTransport transport = new UpstreamConfiguration().upstreamTransport(settings, beans.getBeanProvider(KafkaClients.class),
                    new cn.bazhong.credit.gateway.infra.NodeSettings("node-1"), cn.bazhong.credit.gateway.tls.OutboundTls.jdkDefaults(),
                    beans.getBeanProvider(cn.bazhong.credit.gateway.crypto.Sm2SigningKey.class), beans.getBeanProvider(org.apache.camel.CamelContext.class));
            byte[] document = "{\"dataset\":\"ADMIN_PENALTY\",\"batchId\":\"B-1\",\"records\":[]}".getBytes(java.nio.charset.StandardCharsets.UTF_8);

            assertThat(transport).isInstanceOf(CamelUpstreamTransport.class);
            assertThat(transport.describe()).isEqualTo("Camel endpoint direct:province-out (options [timeout])");
            // the endpoint fails: an attempt that BatchDelivery retries, nothing taken
            assertThatThrownBy(() -> transport.send("B-1", document)).isInstanceOf(java.io.IOException.class)
                    .hasMessageContaining("the queue manager is down");
            assertThat(taken).isEmpty();
            // sent again: taken once, the same batch id as its idempotency key, the document's bytes as they are
            UpstreamTransport.Answer delivered = transport.send("B-1", document);
            assertThat(delivered.status()).isEqualTo(200);
            assertThat(taken).hasSize(1);
            assertThat(taken.get(0).getHeader("Idempotency-Key")).isEqualTo("B-1");
            assertThat(taken.get(0).getHeader(CamelUpstreamTransport.DATASET)).isEqualTo("ADMIN_PENALTY");
            assertThat(taken.get(0).getBody(byte[].class)).isEqualTo(document);
            // a document without a dataset never leaves
            assertThat(transport.send("B-2", "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8)).status()).isEqualTo(400);
            assertThat(taken).hasSize(1);

            // an endpoint that answers like the province's REST API is read as its answer
            p.put("gateway.upstream.camel.uri", "direct:province-http");
            p.remove("gateway.upstream.camel.parameters.timeout");
            UpstreamTransport http = new CamelUpstreamTransport(() -> camel, "direct:province-http", Map.of());
            UpstreamTransport.Answer busy = http.send("B-3", document);
            assertThat(busy.status()).isEqualTo(503);
            assertThat(busy.retryAfter()).isEqualTo(Duration.ofSeconds(7));
            assertThat(busy.body()).contains("maintenance");

            // an endpoint Camel cannot make is refused with the key named, before anything is sent
            UpstreamTransport unknown = new CamelUpstreamTransport(() -> camel, "nosuchcomponent:queue", Map.of());
            assertThatThrownBy(() -> unknown.send("B-4", document)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("gateway.upstream.camel").hasMessageContaining("nosuchcomponent");
            assertThatThrownBy(() -> new CamelUpstreamTransport(() -> camel, "  ", Map.of())).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("gateway.upstream.camel.uri");
        }
    }
}
