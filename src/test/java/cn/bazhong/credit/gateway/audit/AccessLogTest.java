package cn.bazhong.credit.gateway.audit;

import cn.bazhong.credit.gateway.support.SharedGateway;
import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.lists.SubjectKeys;
import cn.bazhong.credit.gateway.support.Http;
import cn.bazhong.credit.gateway.support.TestGateway;
import cn.bazhong.credit.gateway.validation.IdNumber;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.net.URLEncoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every read of a person's data and every operator action through the real API leaves exactly one entry
 * in the access log, found again by an admin's query, never with the clear ID number. The gateway is shared
 * with other test classes, so each test reads the entries written since it began.
 */
class AccessLogTest extends SharedGateway {

    /** Any 18-character ID number: 17 digits and a digit or X, not inside a longer run. */
    static final Pattern FULL_ID = Pattern.compile("(?<![0-9A-Za-z])\\d{17}[0-9Xx](?![0-9A-Za-z])");
    static final String ORGANISATION = "91511903JAMRDAJRXR";

    @LocalServerPort
    int port;

    @Autowired
    AccessLog accessLog;

    @Autowired
    SubjectKeys keys;

    @Autowired
    KafkaClients clients;

    /** A valid ID number no other test uses: a fresh birth date and sequence each time. */
    static String newIdNumber() {
        int n = Math.floorMod(UUID.randomUUID().hashCode(), 900) + 100;
        String first17 = "511902" + "1985" + "0" + (1 + n % 9) + "1" + (n % 9) + n;
        return first17 + IdNumber.checkChar(first17);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** When this test began: the shared gateway also holds the entries of the classes before it. */
    private Instant since;

    @BeforeEach
    void markTheStart() {
        since = Instant.now();
    }

    /** The admin's query, as JSON: entries since this test began unless the query names its own period. */
    private JsonNode audit(String query) {
        String period = query.contains("from=") ? "" : "&from=" + enc(since.toString());
        Http.Response r = Http.get(url("/api/v1/audit?" + query + period), TestGateway.OPERATOR_KEY);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    /** The entries of {@code query} for {@code endpoint}, once at least one is there and everything taken is written. */
    private List<JsonNode> entriesOnceWritten(String query, String endpoint) {
        await().atMost(Duration.ofSeconds(30)).until(() -> !of(audit(query), endpoint).isEmpty());
        assertThat(accessLog.flush(Duration.ofSeconds(30))).isTrue();
        return of(audit(query), endpoint);
    }

    private static List<JsonNode> of(JsonNode answer, String endpoint) {
        List<JsonNode> found = new ArrayList<>();
        answer.path("entries").forEach(e -> {
            if (e.path("endpoint").asText().equals(endpoint)) {
                found.add(e);
            }
        });
        return found;
    }

    @Test
    void a_check_of_a_person_writes_one_entry_with_the_keyed_hash_and_the_masked_number_and_a_check_of_an_organisation_none() {
        String id = newIdNumber();
        Http.Response person = Http.get(url("/api/v1/subjects/" + id + "/measures?matter=5119-XK-0001"), TestGateway.KEYS.get("XZSPJ"));
        assertThat(person.status()).as(person.body()).isEqualTo(200);
        Http.Response organisation = Http.get(url("/api/v1/subjects/" + ORGANISATION + "/measures?matter=5119-XK-0001"),
                TestGateway.KEYS.get("XZSPJ"));
        assertThat(organisation.status()).isEqualTo(200);

        List<JsonNode> entries = entriesOnceWritten("subject=" + id, "GET /api/v1/subjects/{code}/measures");
        assertThat(entries).singleElement().satisfies(e -> {
            assertThat(e.path("subjectKey").asText()).isEqualTo(keys.person(id));
            assertThat(e.path("subject").asText()).isEqualTo(IdNumber.mask(id)).doesNotContain(id);
            assertThat(e.path("callerKind").asText()).isEqualTo("department");
            assertThat(e.path("caller").asText()).isEqualTo("XZSPJ");
            assertThat(e.path("action").asText()).isEqualTo("read");
            assertThat(e.path("purpose").asText()).isEqualTo("matter 5119-XK-0001");
            assertThat(e.path("status").asInt()).isEqualTo(200);
        });
        assertThat(audit("subject=" + id).toString()).doesNotContain(id);
        assertThat(of(audit("subject=" + ORGANISATION), "GET /api/v1/subjects/{code}/measures")).isEmpty();
    }

    @Test
    void a_trace_read_and_a_receipt_read_write_one_entry_each_with_the_record_or_receipt_id() {
        String recordId = "SCJGJ:" + UUID.randomUUID();
        String receiptId = "REQ-" + UUID.randomUUID();
        assertThat(Http.get(url("/api/v1/records/" + recordId + "/trace"), TestGateway.VIEWER_KEY).status()).isEqualTo(404);
        assertThat(Http.get(url("/api/v1/receipts/" + receiptId), TestGateway.KEYS.get("SCJGJ")).status()).isEqualTo(404);

        List<JsonNode> traces = entriesOnceWritten("caller=watch", "GET /api/v1/records/{recordId}/trace").stream()
                .filter(e -> e.path("recordId").asText().equals(recordId)).toList();
        assertThat(traces).singleElement().satisfies(e -> {
            assertThat(e.path("callerKind").asText()).isEqualTo("viewer");
            assertThat(e.path("status").asInt()).isEqualTo(404);
        });
        List<JsonNode> receipts = entriesOnceWritten("caller=SCJGJ", "GET /api/v1/receipts/{id}").stream()
                .filter(e -> e.path("target").asText().equals("receiptId=" + receiptId)).toList();
        assertThat(receipts).singleElement().satisfies(e -> assertThat(e.path("status").asInt()).isEqualTo(404));
    }

    @Test
    void reading_initiations_objections_and_a_fanout_event_writes_one_entry_per_call() {
        String initiation = "INI-" + UUID.randomUUID();
        assertThat(Http.get(url("/api/v1/initiations?department=SCJGJ"), TestGateway.VIEWER_KEY).status()).isEqualTo(200);
        assertThat(Http.get(url("/api/v1/initiations/" + initiation), TestGateway.KEYS.get("SCJGJ")).status()).isEqualTo(404);
        assertThat(Http.get(url("/api/v1/objections"), TestGateway.VIEWER_KEY).status()).isEqualTo(200);

        assertThat(entriesOnceWritten("caller=watch", "GET /api/v1/initiations")).singleElement().satisfies(e -> {
            assertThat(e.path("action").asText()).isEqualTo("read");
            assertThat(e.path("target").asText()).isEqualTo("department=SCJGJ");
        });
        assertThat(entriesOnceWritten("caller=SCJGJ", "GET /api/v1/initiations/{initiationId}"))
                .filteredOn(e -> e.path("target").asText().equals("initiationId=" + initiation)).singleElement()
                .satisfies(e -> assertThat(e.path("status").asInt()).isEqualTo(404));
        assertThat(entriesOnceWritten("caller=watch", "GET /api/v1/objections")).singleElement()
                .satisfies(e -> assertThat(e.path("status").asInt()).isEqualTo(200));
    }

    @Test
    void reading_the_receipt_and_the_trace_of_pushed_records_writes_one_entry_per_call() throws Exception {
        Http.Response pushed = Http.post(url("/api/v1/feeds/xzspj/licences"), TestGateway.KEYS.get("XZSPJ"),
                Files.readAllBytes(Path.of("samples/feeds/rest/xzspj/licences-001.json")), "Content-Type", "application/json");
        assertThat(pushed.status()).as(pushed.body()).isEqualTo(200);
        String receiptId = pushed.json().path("receiptId").asText();
        assertThat(Http.get(url("/api/v1/receipts/" + enc(receiptId)), TestGateway.VIEWER_KEY).status()).isEqualTo(200);
        String recordId = "XZSPJ:ADMIN_LICENSE:11511900MB1530038P:巴审批许〔2023〕2000号";
        AtomicInteger calls = new AtomicInteger();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            calls.incrementAndGet();
            return Http.get(url("/api/v1/records/" + enc(recordId).replace("+", "%20") + "/trace"), TestGateway.KEYS.get("XZSPJ")).status() == 200;
        });

        assertThat(entriesOnceWritten("caller=watch", "GET /api/v1/receipts/{id}").stream()
                .filter(e -> e.path("target").asText().equals("receiptId=" + receiptId)).toList())
                .singleElement().satisfies(e -> assertThat(e.path("status").asInt()).isEqualTo(200));
        List<JsonNode> traces = entriesOnceWritten("caller=XZSPJ", "GET /api/v1/records/{recordId}/trace").stream()
                .filter(e -> e.path("recordId").asText().equals(recordId)).toList();
        assertThat(traces).hasSize(calls.get());
        assertThat(traces.get(traces.size() - 1).path("status").asInt()).isEqualTo(200);
    }

    @Test
    void an_operator_replay_and_a_hold_decision_write_one_entry_each_with_their_outcome() {
        String batch = "B-" + UUID.randomUUID();
        String hold = "H-" + UUID.randomUUID();
        assertThat(Http.post(url("/api/v1/upstream/dead-letters/" + batch + "/replay"), TestGateway.OPERATOR_KEY, new byte[0],
                "Content-Type", "application/json").status()).isEqualTo(404);
        assertThat(Http.post(url("/api/v1/lists/snapshot-holds/" + hold + "/approve"), TestGateway.OPERATOR_KEY, new byte[0],
                "Content-Type", "application/json").status()).isEqualTo(404);

        assertThat(entriesOnceWritten("caller=ops", "POST /api/v1/upstream/dead-letters/{batchId}/replay").stream()
                .filter(e -> e.path("target").asText().equals("batchId=" + batch)).toList())
                .singleElement().satisfies(e -> {
                    assertThat(e.path("action").asText()).isEqualTo("operation");
                    assertThat(e.path("callerKind").asText()).isEqualTo("admin");
                    assertThat(e.path("status").asInt()).isEqualTo(404);
                });
        assertThat(entriesOnceWritten("caller=ops", "POST /api/v1/lists/snapshot-holds/{holdId}/approve").stream()
                .filter(e -> e.path("target").asText().equals("holdId=" + hold)).toList())
                .singleElement().satisfies(e -> assertThat(e.path("status").asInt()).isEqualTo(404));
    }

    @Test
    void the_query_finds_entries_by_subject_and_period_logs_itself_and_is_for_admins_only() {
        String id = newIdNumber();
        Instant before = Instant.now().minusSeconds(1);
        assertThat(Http.get(url("/api/v1/subjects/" + id + "/measures"), TestGateway.VIEWER_KEY).status()).isEqualTo(200);
        entriesOnceWritten("subject=" + id, "GET /api/v1/subjects/{code}/measures");
        Instant after = Instant.now().plusSeconds(1);

        String period = "&from=" + enc(before.toString()) + "&to=" + enc(after.toString());
        assertThat(of(audit("subject=" + id + period), "GET /api/v1/subjects/{code}/measures")).hasSize(1);
        assertThat(of(audit("subject=" + id + "&from=" + enc(before.minusSeconds(3600).toString()) + "&to=" + enc(before.toString())),
                "GET /api/v1/subjects/{code}/measures")).isEmpty();
        assertThat(of(audit("subject=" + newIdNumber() + period), "GET /api/v1/subjects/{code}/measures")).isEmpty();
        // the queries above are operations on the log, with the person they asked about
        assertThat(entriesOnceWritten("subject=" + id, "GET /api/v1/audit")).isNotEmpty()
                .allSatisfy(e -> assertThat(e.path("subject").asText()).isEqualTo(IdNumber.mask(id)));

        JsonNode capped = audit("limit=1");
        assertThat(capped.path("entries")).hasSize(1);
        assertThat(capped.path("capped").asBoolean()).isTrue();
        assertThat(capped.path("matched").asLong()).isGreaterThan(1);

        assertThat(Http.get(url("/api/v1/audit"), TestGateway.VIEWER_KEY).status()).isEqualTo(403);
        assertThat(Http.get(url("/api/v1/audit"), TestGateway.KEYS.get("SCJGJ")).status()).isEqualTo(403);
        assertThat(Http.get(url("/api/v1/audit?limit=0"), TestGateway.OPERATOR_KEY).status()).isEqualTo(400);
        assertThat(Http.get(url("/api/v1/audit?subject=nobody"), TestGateway.OPERATOR_KEY).status()).isEqualTo(400);
    }

    @Test
    void the_csv_export_neutralises_formulas_and_holds_no_full_id_number() {
        String id = newIdNumber();
        String formula = "=SUM(1,2)";
        assertThat(Http.get(url("/api/v1/subjects/" + id + "/measures?matter=" + enc("@SUM(1)")), TestGateway.KEYS.get("GGZY")).status())
                .isEqualTo(200);
        Http.get(url("/api/v1/records/" + enc(formula) + "/trace"), TestGateway.OPERATOR_KEY);
        entriesOnceWritten("subject=" + id, "GET /api/v1/subjects/{code}/measures");
        entriesOnceWritten("caller=ops", "GET /api/v1/records/{recordId}/trace");

        Http.Response csv = Http.get(url("/api/v1/audit?format=csv"), TestGateway.OPERATOR_KEY);
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.raw().headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/csv"));
        assertThat(csv.body()).startsWith("at,node,caller_kind,caller,action,endpoint,purpose,subject,subject_key,record_id,target,status")
                .contains("matter @SUM(1)") // not at a cell's start: harmless as it is
                .contains(IdNumber.mask(id))
                .contains("\"'=SUM(1,2)\"")
                .doesNotContain(",=SUM")
                .doesNotContain(id);
        assertThat(FULL_ID.matcher(csv.body()).find()).isFalse();
    }

    @Test
    void no_entry_on_the_audit_topic_holds_a_full_id_number() {
        String id = newIdNumber();
        String wrongCheckDigit = id.substring(0, 17) + (id.charAt(17) == '0' ? '1' : '0');
        Http.get(url("/api/v1/subjects/" + id + "/measures"), TestGateway.KEYS.get("SCJGJ"));
        Http.get(url("/api/v1/subjects/" + wrongCheckDigit + "/measures"), TestGateway.KEYS.get("SCJGJ"));
        Http.get(url("/api/v1/records/SCJGJ:" + id + "/trace"), TestGateway.KEYS.get("SCJGJ"));
        Http.get(url("/api/v1/receipts/" + id), TestGateway.VIEWER_KEY);
        Http.post(url("/api/v1/subjects/" + id + "/entries/SWJ:" + id + "/repair"), TestGateway.OPERATOR_KEY,
                "{}".getBytes(StandardCharsets.UTF_8), "Content-Type", "application/json");
        Http.get(url("/api/v1/audit?subject=" + id + "&caller=" + id), TestGateway.OPERATOR_KEY);
        entriesOnceWritten("subject=" + id, "POST /api/v1/subjects/{code}/entries/{recordId}/repair");

        List<String> values = new ArrayList<>();
        clients.readToEnd("credit.audit", "audit-scan", r -> values.add(new String(r.value(), StandardCharsets.UTF_8)));
        assertThat(values).anySatisfy(v -> assertThat(v).contains(IdNumber.mask(wrongCheckDigit)));
        assertThat(values).isNotEmpty().noneSatisfy(v -> assertThat(FULL_ID.matcher(v).find()).as(v).isTrue());
    }
}
