package cn.bazhong.credit.gateway.hostile;

import cn.bazhong.credit.gateway.security.ApiKeys;
import cn.bazhong.credit.gateway.support.ForkedGateway;
import cn.bazhong.credit.gateway.support.FreePorts;
import cn.bazhong.credit.gateway.support.Http;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A hostile client streams a gigabyte of chunked zeros at the gateway, which runs in a JVM of its own with
 * a small heap (384 MB, the node's own embedded broker included). Without a key it is answered 401 before the body is read; with a key, 413 once the
 * limit is passed; the province's list-update push has the same limit. The node stays up and ready, its heap
 * does not fill, and nothing of the bodies reaches its log.
 */
class HugeBodiesTest {

    private static final long GIGABYTE = 1L << 30;
    private static final String DEPARTMENT_KEY = "huge-bodies-xzspj";
    private static final String PROVINCE_KEY = "huge-bodies-province";
    private static final String VIEWER_KEY = "huge-bodies-viewer";

    private static ForkedGateway gateway;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        Path data = Files.createTempDirectory("huge-bodies-");
        int kafka = FreePorts.next();
        int hazelcast = FreePorts.next();
        port = FreePorts.next();
        Map<String, String> props = new HashMap<>();
        props.put("gateway.node-id", "huge-bodies");
        props.put("gateway.kafka.embedded.port", String.valueOf(kafka));
        props.put("gateway.kafka.embedded.controller-port", String.valueOf(FreePorts.next()));
        props.put("gateway.kafka.embedded.log-dir", data.resolve("kafka").toString());
        props.put("gateway.kafka.bootstrap-servers", "127.0.0.1:" + kafka);
        props.put("gateway.hazelcast.port", String.valueOf(hazelcast));
        props.put("gateway.hazelcast.members", "127.0.0.1:" + hazelcast);
        props.put("gateway.hazelcast.cluster-name", "huge-" + hazelcast);
        props.put("server.port", String.valueOf(port));
        props.put("gateway.feeds.swj.kafka.enabled", "false");
        // what the bodies are about, without the work they do not reach: no fan-out, three partitions per topic
        props.put("gateway.fanout.enabled", "false");
        props.put("gateway.topics.partitions", "3");
        props.put("gateway.access.departments.XZSPJ[0]", ApiKeys.hash(DEPARTMENT_KEY));
        props.put("gateway.access.province[0]", ApiKeys.hash(PROVINCE_KEY));
        props.put("gateway.access.viewers.watch[0]", ApiKeys.hash(VIEWER_KEY));
        Path log = Files.createDirectories(Path.of("target/hostile")).resolve("huge-bodies-" + System.currentTimeMillis() + ".log");
        // a heap a gigabyte cannot fit in, with room for what the node itself holds (its embedded broker among it:
        // about 240 MB once the console, the catalog of the whole plan and the database feeds were added)
        gateway = ForkedGateway.start(props, log, "384m");
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).until(() -> ready() || !gateway.isAlive());
        assertThat(gateway.isAlive()).as("the gateway runs; see %s", log).isTrue();
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void a_gigabyte_without_a_key_is_answered_401_at_once_and_the_node_stays_healthy() throws Exception {
        Answer answer = stream("/api/v1/feeds/xzspj/licences", null, "", (byte) 0, GIGABYTE);

        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.sentBeforeAnswer()).as("bytes the client could send before the answer").isLessThan(64L << 20);
        assertHealthy();
    }

    @Test
    void a_gigabyte_with_a_department_key_is_answered_413_and_the_node_stays_healthy() throws Exception {
        // an array that never ends: the reader keeps reading, only the limit stops it
        Answer answer = stream("/api/v1/feeds/xzspj/licences", DEPARTMENT_KEY, "[", (byte) ' ', GIGABYTE);

        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.sentBeforeAnswer()).isLessThan(200L << 20);
        assertHealthy();
    }

    @Test
    void a_gigabyte_of_list_updates_from_the_province_is_answered_413_and_the_node_stays_healthy() throws Exception {
        Answer answer = stream("/api/v1/upstream/list-updates", PROVINCE_KEY, "[", (byte) ' ', GIGABYTE);

        assertThat(answer.status()).isEqualTo(413);
        assertHealthy();
    }

    private static void assertHealthy() throws IOException {
        assertThat(gateway.isAlive()).isTrue();
        await().atMost(Duration.ofSeconds(30)).until(HugeBodiesTest::ready);
        double used = metric("jvm.memory.used");
        double max = metric("jvm.memory.max");
        assertThat(used).as("heap in use after the request, of %s", max).isLessThan(max * 0.9);
        String log = Files.readString(gateway.log());
        assertThat(log).doesNotContain("OutOfMemoryError");
    }

    private static boolean ready() {
        try {
            Http.Response r = Http.get("http://127.0.0.1:" + port + "/actuator/health/readiness", null);
            return r.status() == 200 && r.json().path("status").asText().equals("UP");
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static double metric(String name) {
        Http.Response r = Http.get("http://127.0.0.1:" + port + "/actuator/metrics/" + name + "?tag=area:heap", VIEWER_KEY);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().path("measurements").get(0).path("value").asDouble();
    }

    record Answer(int status, long sentBeforeAnswer) {
    }

    /**
     * Sends a chunked body of {@code prefix} and then {@code size} bytes of {@code fill}, from a thread of its own
     * while reading the answer: a client that does not wait to be told off. Returns the status and how much had
     * been sent by then.
     */
    private static Answer stream(String path, String key, String prefix, byte fill, long size) throws Exception {
        AtomicLong sent = new AtomicLong();
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(120_000);
            OutputStream out = socket.getOutputStream();
            String head = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
                    + (key == null ? "" : "Authorization: Bearer " + key + "\r\n") + "\r\n";
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread writer = new Thread(() -> {
                byte[] chunk = new byte[64 * 1024];
                java.util.Arrays.fill(chunk, fill);
                byte[] chunkHead = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
                try {
                    if (!prefix.isEmpty()) {
                        out.write((Integer.toHexString(prefix.length()) + "\r\n" + prefix + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    }
                    while (sent.get() < size) {
                        out.write(chunkHead);
                        out.write(chunk);
                        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                        sent.addAndGet(chunk.length);
                    }
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                } catch (IOException e) {
                    // the gateway closed the connection: what a refused request should end in
                }
            }, "hostile-writer");
            writer.setDaemon(true);
            writer.start();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            String statusLine = in.readLine();
            long sentThen = sent.get();
            socket.close();
            writer.join(30_000);
            assertThat(statusLine).as("status line").isNotNull().startsWith("HTTP/1.1 ");
            return new Answer(Integer.parseInt(statusLine.substring(9, 12)), sentThen);
        }
    }
}
