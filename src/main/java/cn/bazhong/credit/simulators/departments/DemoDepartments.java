package cn.bazhong.credit.simulators.departments;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The departments of the demo, once the gateway is up: SCJGJ and ZJFY put their sample files
 * on the SFTP server, XZSPJ and SSTHJJ push theirs over REST, SWJ publishes its messages on its
 * topic, and JTYSJ's case system writes into its front-end database ({@link DemoFrontEndDatabase}). Everything they send is the project's sample data under {@code samples/feeds}.
 */
public class DemoDepartments {

    private static final Logger LOG = LoggerFactory.getLogger(DemoDepartments.class);

    private final DemoSftpServer sftp;
    private final Environment env;
    private final DemoFrontEndDatabase frontEnd;

    public DemoDepartments(DemoSftpServer sftp, Environment env) {
        this(sftp, env, null);
    }

    public DemoDepartments(DemoSftpServer sftp, Environment env, DemoFrontEndDatabase frontEnd) {
        this.sftp = sftp;
        this.env = env;
        this.frontEnd = frontEnd;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void sendSamples() {
        Path samples = Path.of(env.getProperty("simulators.samples", "samples/feeds"));
        sftp.drop("outbox/xzcf", "XZCF_20250310_001.csv", read(samples.resolve("sftp/scjgj/outbox/xzcf/XZCF_20250310_001.csv")));
        sftp.drop("export/sxbzxr", "SXBZXR_20250310.xml", read(samples.resolve("sftp/zjfy/export/sxbzxr/SXBZXR_20250310.xml")));
        LOG.info("SCJGJ and ZJFY put their files on the SFTP server");
        push("xzspj", "licences", read(samples.resolve("rest/xzspj/licences-001.json")));
        push("ssthjj", "penalties", read(samples.resolve("rest/ssthjj/penalties-001.ndjson")));
        publishTaxMessages(samples.resolve("kafka/swj/messages-001.ndjson"));
        if (frontEnd != null) {
            frontEnd.startWriting(6, env.getProperty("simulators.front-end-db.every-seconds", Long.class, 20L));
        }
    }

    private void push(String dept, String feed, byte[] body) {
        String url = "http://127.0.0.1:" + env.getProperty("local.server.port", env.getProperty("server.port", "8080"))
                + "/api/v1/feeds/" + dept + "/" + feed;
        String key = env.getRequiredProperty("simulators.keys." + dept);
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(60))
                    .header("Authorization", "Bearer " + key)
                    .header("Idempotency-Key", dept + "-demo-1")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
            LOG.info("{} pushed {}: HTTP {} {}", dept.toUpperCase(), feed, r.statusCode(), r.body().length() > 300 ? r.body().substring(0, 300) + "…" : r.body());
        } catch (IOException e) {
            LOG.warn("{} could not push {}: {}", dept.toUpperCase(), feed, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void publishTaxMessages(Path file) {
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, env.getRequiredProperty("gateway.kafka.bootstrap-servers"),
                ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                producer.send(new ProducerRecord<>(env.getProperty("gateway.feeds.swj.kafka.topic", "dept.swj.credit"),
                        "swj-demo-" + i, lines.get(i).getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
            LOG.info("SWJ published {} messages on its topic", lines.size());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
