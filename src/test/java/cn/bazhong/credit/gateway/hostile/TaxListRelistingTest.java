package cn.bazhong.credit.gateway.hostile;

import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.support.Http;
import cn.bazhong.credit.gateway.support.SharedGateway;
import cn.bazhong.credit.gateway.support.TestGateway;
import cn.bazhong.credit.simulators.province.ReceivedRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The tax bureau withdraws a listing (zt=0) and lists it again with the very same content (zt=1):
 * the subject is listed again. Its messages replayed with their own times, or an old message sent
 * again, change nothing.
 */
class TaxListRelistingTest extends SharedGateway {

    static final String BLACK = "91511903XFWA2JK10D";
    static final String RECORD_ID = "SWJ:LIST_ENTRY:巴税稽罚〔2026〕31号";
    static final String MESSAGE = "{\"lx\": \"ZDSSWF\", \"nsrsbh\": \"" + BLACK + "\", \"nsrmc\": \"乙公司\", \"fddbr\": \"孔洋敏\","
            + " \"fddbrzjhm\": \"511902195009250256\", \"ajxz\": \"偷税\", \"wfss\": \"少缴税款\", \"cljd\": \"巴税稽罚〔2026〕31号\","
            + " \"gbrq\": \"20260718\", \"yxqz\": \"20290717\", \"zt\": \"%s\"}";

    @LocalServerPort
    int port;

    @Autowired
    KafkaClients clients;

    /** One message of the bureau, created at {@code createdAt} (the record's Kafka timestamp, as the bureau's producer sets it). */
    private void publish(String zt, long createdAt) {
        try (KafkaProducer<String, byte[]> producer = clients.producer("swj-test")) {
            producer.send(new ProducerRecord<>("dept.swj.credit", null, createdAt, "k", MESSAGE.formatted(zt).getBytes(StandardCharsets.UTF_8)));
            producer.flush();
        }
    }

    private boolean listed() {
        return Http.get("http://127.0.0.1:" + port + "/api/v1/subjects/" + BLACK + "/measures", TestGateway.KEYS.get("GGZY"))
                .json().path("entries").size() == 1;
    }

    private static List<ReceivedRecord> atProvince() {
        return PROVINCE.records().stream().filter(r -> r.recordId().equals(RECORD_ID)).toList();
    }

    @Test
    void a_listing_withdrawn_and_listed_again_with_the_same_content_is_listed_again_and_replays_change_nothing() {
        long t1 = System.currentTimeMillis() - 60_000;
        long t2 = t1 + 10_000;
        long t3 = t1 + 20_000;
        publish("1", t1);
        await().atMost(Duration.ofSeconds(60)).until(this::listed);
        publish("0", t2);
        await().atMost(Duration.ofSeconds(60)).until(() -> !listed());

        publish("1", t3);
        await().atMost(Duration.ofSeconds(30)).until(this::listed);
        await().atMost(Duration.ofSeconds(30)).until(() -> atProvince().size() == 3);
        assertThat(atProvince().stream().map(ReceivedRecord::version).distinct()).hasSize(3);

        // the bureau's three messages replayed with their own times, and the withdrawal sent once more
        // long after the listing that followed it: nothing new, the subject stays listed
        publish("1", t1);
        publish("0", t2);
        publish("1", t3);
        publish("0", t2);
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(15)).until(() -> atProvince().size() == 3 && listed());
        assertThat(atProvince().get(2).data().get("status")).isNotEqualTo("EXITED");
    }
}
