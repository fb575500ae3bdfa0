package cn.bazhong.credit.gateway.console;

import cn.bazhong.credit.gateway.support.SharedGateway;
import cn.bazhong.credit.gateway.audit.AccessEntry;
import cn.bazhong.credit.gateway.audit.AccessLog;
import cn.bazhong.credit.gateway.audit.AccessLogQuery;
import cn.bazhong.credit.gateway.support.Http;
import cn.bazhong.credit.gateway.support.TestGateway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's rules over real HTTP: no page without a session, the session cookie's attributes, sign-in
 * with operators' keys only, viewers refused admins' pages and actions, form posts refused without the
 * session's CSRF token, sign-out, languages, and every action in the access log. The API answers as before.
 */
class ConsoleRulesOverHttpTest extends SharedGateway {

    @LocalServerPort
    int port;

    @Autowired
    AccessLog accessLog;

    @Autowired
    AccessLogQuery accessLogQuery;

    @Autowired
    cn.bazhong.credit.gateway.cluster.LeaseHolders leaseHolders;

    ConsoleClient client() {
        return new ConsoleClient(port);
    }

    @Test
    void a_page_without_a_session_is_sent_to_sign_in_and_a_form_post_without_one_is_refused() {
        ConsoleClient nobody = client();
        for (String page : List.of("/console/", "/console", "/console/dead-letters", "/console/departments", "/console/lists",
                "/console/supervision", "/console/supervision.csv", "/console/records", "/console/measures", "/console/audit")) {
            HttpResponse<String> r = nobody.get(page);
            assertThat(r.statusCode()).as(page).isEqualTo(303);
            assertThat(r.headers().firstValue("Location")).as(page).hasValue("/console/login");
        }
        assertThat(nobody.post("/console/departments/D05/enable", Map.of("_csrf", "x")).statusCode()).isEqualTo(403);
        assertThat(nobody.post("/console/records", Map.of("_csrf", "x", "code", "91511900MA6L7UDG0K")).statusCode()).isEqualTo(403);
        nobody.cookies.put(ConsoleGuard.SESSION_COOKIE, "made-up-session");
        assertThat(nobody.get("/console/").statusCode()).isEqualTo(303);
        assertThat(nobody.get("/console/no-such-page").statusCode()).isEqualTo(404);
    }

    @Test
    void signing_in_sets_an_http_only_same_site_strict_session_cookie_and_shows_the_overview_in_chinese_unless_english_is_asked() {
        ConsoleClient admin = client();
        HttpResponse<String> signedIn = admin.signIn(TestGateway.OPERATOR_KEY);
        assertThat(signedIn.statusCode()).isEqualTo(302);
        assertThat(signedIn.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/console/"));
        String cookie = ConsoleClient.setCookies(signedIn).stream().filter(c -> c.startsWith(ConsoleGuard.SESSION_COOKIE + "="))
                .findFirst().orElseThrow();
        assertThat(cookie).contains("HttpOnly").contains("SameSite=Strict").contains("Path=/console");
        assertThat(cookie).doesNotContain(TestGateway.OPERATOR_KEY);

        HttpResponse<String> overview = admin.get("/console/");
        assertThat(overview.statusCode()).isEqualTo(200);
        assertThat(overview.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("text/html").containsIgnoringCase("utf-8"));
        assertThat(overview.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(overview.body()).contains("总览").contains("省平台熔断器状态").contains("CLOSED").contains("ops");
        assertThat(overview.body()).as("the consumer lag of the stages and the poller leases")
                .contains("data-group=\"gateway-dedup\"").contains("data-group=\"gateway-lists\"")
                .contains("data-feed=\"scjgj-penalties\"").contains("data-feed=\"jtysj-penalties\"");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            java.util.regex.Matcher row = java.util.regex.Pattern.compile("data-feed=\"scjgj-penalties\".*?</tr>", java.util.regex.Pattern.DOTALL)
                    .matcher(admin.get("/console/").body());
            assertThat(row.find()).isTrue();
            assertThat(row.group()).as("the only node holds every lease; the feed is not enabled here")
                    .contains(SharedGateway.NODE).contains("本节点").contains("every 30s").contains("未在采集");
        });
        assertThat(leaseHolders.read()).as("the lease group's assignment: every lease partition on the one node")
                .hasSize(12).allSatisfy((partition, node) -> assertThat(node).isEqualTo(SharedGateway.NODE));
        assertThat(admin.get("/console/?lang=en").body()).contains("Overview").contains("Province circuit").doesNotContain("总览");
        assertThat(admin.get("/console/dead-letters").body()).as("the choice is kept").contains("Batches the province did not take");
        assertThat(admin.get("/console/?lang=zh_CN").body()).contains("总览");
    }

    @Test
    void an_unknown_key_or_a_department_or_province_key_cannot_sign_in() {
        for (String key : List.of("not-a-key", TestGateway.KEYS.get("SCJGJ"), TestGateway.PROVINCE_KEY, "")) {
            ConsoleClient someone = client();
            HttpResponse<String> r = someone.signIn(key);
            assertThat(r.statusCode()).as(key).isEqualTo(401);
            assertThat(r.body()).contains("密钥无效");
            assertThat(someone.cookies).doesNotContainKey(ConsoleGuard.SESSION_COOKIE);
        }
    }

    @Test
    void a_viewer_reads_but_is_refused_the_admins_pages_and_actions() {
        ConsoleClient viewer = client();
        viewer.signIn(TestGateway.VIEWER_KEY);
        HttpResponse<String> deadLetters = viewer.get("/console/dead-letters");
        assertThat(deadLetters.statusCode()).isEqualTo(200);
        String token = ConsoleClient.csrf(deadLetters.body());
        assertThat(viewer.get("/console/audit").statusCode()).isEqualTo(403);
        assertThat(viewer.get("/console/dead-letters/upstream/B-1/replay").statusCode()).isEqualTo(403);
        assertThat(viewer.get("/console/measures/objections/0123456789abcdef/decide").statusCode()).isEqualTo(403);
        for (String action : List.of("/console/departments/D05/enable", "/console/dead-letters/upstream/B-1/replay",
                "/console/dead-letters/fanout/D05/replay", "/console/lists/holds/H-1/approve", "/console/lists/holds/H-1/reject",
                "/console/measures/objections/0123456789abcdef/decide")) {
            HttpResponse<String> r = viewer.post(action, Map.of("_csrf", token, "reason", "x"));
            assertThat(r.statusCode()).as(action).isEqualTo(403);
            assertThat(r.body()).contains("仅管理员");
        }
        assertThat(deadLetters.body()).as("no replay link for a viewer").doesNotContain("/replay");
    }

    @Test
    void a_form_post_without_the_sessions_csrf_token_is_refused() {
        ConsoleClient admin = client();
        admin.signIn(TestGateway.OPERATOR_KEY);
        String token = ConsoleClient.csrf(admin.get("/console/").body());
        assertThat(admin.post("/console/departments/D05/enable", Map.of()).statusCode()).isEqualTo(403);
        assertThat(admin.post("/console/departments/D05/enable", Map.of("_csrf", token + "x")).statusCode()).isEqualTo(403);
        ConsoleClient other = client();
        other.signIn(TestGateway.OPERATOR_KEY);
        assertThat(other.post("/console/departments/D05/enable", Map.of("_csrf", token)).statusCode())
                .as("another session's token").isEqualTo(403);
        // the token passes the gate: the fan-out is off on this node, which the page then says
        assertThat(admin.post("/console/departments/D05/enable", Map.of("_csrf", token)).statusCode()).isEqualTo(302);

        ConsoleClient forger = client();
        assertThat(forger.post("/console/login", Map.of("key", TestGateway.OPERATOR_KEY)).statusCode())
                .as("a sign-in posted without the form's token").isEqualTo(403);
        assertThat(forger.cookies).doesNotContainKey(ConsoleGuard.SESSION_COOKIE);
    }

    @Test
    void an_uploaded_sample_is_checked_only_with_the_sessions_csrf_token_and_ids_are_masked_in_the_result() throws java.io.IOException {
        byte[] sample = java.nio.file.Files.readAllBytes(java.nio.file.Path.of("samples/feeds/rest/xzspj/licences-001.json"));
        ConsoleClient viewer = client();
        viewer.signIn(TestGateway.VIEWER_KEY);
        String token = ConsoleClient.csrf(viewer.get("/console/mappings").body());
        assertThat(viewer.postFile("/console/mappings/check", Map.of("mapping", "xzspj-licences"), "sample", "licences.json", sample)
                .statusCode()).isEqualTo(403);
        HttpResponse<String> checked = viewer.postFile("/console/mappings/check", Map.of("_csrf", token, "mapping", "xzspj-licences"),
                "sample", "licences.json", sample);
        assertThat(checked.statusCode()).isEqualTo(200);
        assertThat(checked.body()).contains("id=\"check-accepted\">34<").contains("id=\"check-rejected\">6<");
        java.util.regex.Matcher ids = java.util.regex.Pattern.compile("(?<![0-9])[0-9]{17}[0-9X](?![0-9])").matcher(checked.body());
        while (ids.find()) {
            assertThat(cn.bazhong.credit.gateway.validation.IdNumber.check(ids.group(), java.time.LocalDate.now()).isOk())
                    .as("a full ID number in the page: " + ids.group()).isFalse();
        }
    }

    @Test
    void signing_out_ends_the_session_on_the_server() {
        ConsoleClient admin = client();
        admin.signIn(TestGateway.OPERATOR_KEY);
        String session = admin.cookies.get(ConsoleGuard.SESSION_COOKIE);
        String token = ConsoleClient.csrf(admin.get("/console/").body());
        HttpResponse<String> out = admin.post("/console/logout", Map.of("_csrf", token));
        assertThat(out.statusCode()).isEqualTo(302);
        assertThat(admin.cookies).doesNotContainKey(ConsoleGuard.SESSION_COOKIE);
        admin.cookies.put(ConsoleGuard.SESSION_COOKIE, session);
        assertThat(admin.get("/console/").statusCode()).as("the old cookie replayed").isEqualTo(303);
    }

    @Test
    void sign_ins_refusals_and_actions_are_in_the_access_log_which_admins_see_in_the_console() {
        Instant from = Instant.now().minusSeconds(1);
        ConsoleClient stranger = client();
        stranger.signIn("wrong-key");
        ConsoleClient viewer = client();
        viewer.signIn(TestGateway.VIEWER_KEY);
        viewer.post("/console/departments/D07/enable", Map.of("_csrf", ConsoleClient.csrf(viewer.get("/console/").body())));
        ConsoleClient admin = client();
        admin.signIn(TestGateway.OPERATOR_KEY);
        String token = ConsoleClient.csrf(admin.get("/console/").body());
        admin.post("/console/dead-letters/upstream/B-NONE/replay", Map.of("_csrf", token));
        HttpResponse<String> noObjection = admin.post("/console/measures/objections/0123456789abcdef/decide",
                Map.of("_csrf", token, "outcome", "UPHELD", "reason", "x"));
        assertThat(noObjection.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).contains("objectionMissing"));
        assertThat(admin.get("/console/measures/objections/0123456789abcdef/decide").statusCode()).as("nothing to confirm").isEqualTo(404);
        assertThat(accessLog.flush(Duration.ofSeconds(30))).isTrue();

        List<AccessEntry> entries = accessLogQuery.find(from, Instant.now().plusSeconds(1),
                e -> e.endpoint().startsWith(ConsoleAudit.PREFIX), 100).entries();
        assertThat(entries).anySatisfy(e -> {
            assertThat(e.callerKind()).isEqualTo("unknown");
            assertThat(e.endpoint()).isEqualTo("console POST /console/login");
            assertThat(e.status()).isEqualTo(401);
        });
        assertThat(entries).anySatisfy(e -> {
            assertThat(e.caller()).isEqualTo("watch");
            assertThat(e.endpoint()).isEqualTo("console POST /console/login");
            assertThat(e.status()).isEqualTo(200);
        });
        assertThat(entries).anySatisfy(e -> {
            assertThat(e.caller()).isEqualTo("watch");
            assertThat(e.endpoint()).isEqualTo("console POST /console/departments/{dept}/enable");
            assertThat(e.status()).isEqualTo(403);
        });
        assertThat(entries).anySatisfy(e -> {
            assertThat(e.caller()).isEqualTo("ops");
            assertThat(e.endpoint()).isEqualTo("console POST /console/dead-letters/upstream/{batchId}/replay");
            assertThat(e.target()).isEqualTo("batchId=B-NONE");
            assertThat(e.status()).isEqualTo(404);
        });
        assertThat(entries).anySatisfy(e -> {
            assertThat(e.caller()).isEqualTo("ops");
            assertThat(e.endpoint()).isEqualTo("console POST /console/measures/objections/{ref}/decide");
            assertThat(e.status()).isEqualTo(404);
        });
        String page = admin.get("/console/audit").body();
        assertThat(page).contains("console POST /console/dead-letters/upstream/{batchId}/replay").contains("batchId=B-NONE");
    }

    @Test
    void a_viewer_finds_records_by_a_persons_number_which_is_hashed_for_the_look_up_logged_masked_and_never_shown_in_full() {
        String number = "511903196012073255";
        Instant from = Instant.now().minusSeconds(1);
        ConsoleClient viewer = client();
        viewer.signIn(TestGateway.VIEWER_KEY);
        HttpResponse<String> page = viewer.get("/console/records");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<label for=\"code\"").contains("<label for=\"receipt\"").contains("<label for=\"file\"");
        String token = ConsoleClient.csrf(page.body());
        assertThat(viewer.post("/console/records", Map.of("code", number)).statusCode()).as("without the CSRF token").isEqualTo(403);

        HttpResponse<String> found = viewer.post("/console/records", Map.of("_csrf", token, "code", number));
        assertThat(found.statusCode()).isEqualTo(200);
        assertThat(found.body()).doesNotContain(number).contains("511903********3255").contains("该主体没有名单条目或双公示记录");
        assertThat(viewer.post("/console/records", Map.of("_csrf", token, "code", "51190319601207325")).body())
                .as("a number one digit short is no subject, and is not echoed either").doesNotContain("51190319601207325");
        HttpResponse<String> bySource = viewer.get("/console/records?receipt=REQ-none&file=none.csv");
        assertThat(bySource.statusCode()).isEqualTo(200);
        assertThat(bySource.body()).contains("没有找到该回执或文件的记录");

        assertThat(accessLog.flush(Duration.ofSeconds(30))).isTrue();
        List<AccessEntry> entries = accessLogQuery.find(from, Instant.now().plusSeconds(1),
                e -> e.endpoint().startsWith(ConsoleAudit.PREFIX + "POST /console/records")
                        || e.endpoint().startsWith(ConsoleAudit.PREFIX + "GET /console/records"), 100).entries();
        assertThat(entries).anySatisfy(e -> {
            assertThat(e.caller()).isEqualTo("watch");
            assertThat(e.action()).isEqualTo(AccessEntry.READ);
            assertThat(e.subject()).isEqualTo("511903********3255");
            assertThat(e.subjectKey()).as("the keyed hash the list view stores persons under").startsWith("P:").doesNotContain(number);
        });
        assertThat(entries).anySatisfy(e -> assertThat(e.target()).isEqualTo("receiptId=REQ-none"));
        assertThat(entries).allSatisfy(e -> assertThat(e.toString()).doesNotContain(number));
    }

    @Test
    void viewers_read_the_initiations_and_objections_with_any_filter_in_both_languages() {
        Instant from = Instant.now().minusSeconds(1);
        ConsoleClient viewer = client();
        viewer.signIn(TestGateway.VIEWER_KEY);
        for (String query : List.of("", "?overdue=response", "?overdue=feedback&dept=D05&status=RESPONDED", "?overdue=nonsense&status=x&page=-3",
                "?objections=overdue&objPage=99")) {
            HttpResponse<String> r = viewer.get("/console/measures" + query);
            assertThat(r.statusCode()).as(query).isEqualTo(200);
            assertThat(r.body()).as(query).contains("发起与异议").contains("<label for=\"overdue\"").contains("<label for=\"objections-shown\"");
        }
        assertThat(viewer.get("/console/measures?lang=en").body()).contains("Initiations and objections").contains("Response overdue");
        for (String query : List.of("?listType=COURT_DEFAULTER", "?listType=COURT_DEFAULTER&status=bogus&page=-1", "?listType=NO_SUCH_TYPE")) {
            HttpResponse<String> r = viewer.get("/console/lists" + query);
            assertThat(r.statusCode()).as(query).isEqualTo(200);
            assertThat(r.body()).as(query).contains("Browse a list type").contains("<label for=\"listType\"");
        }
        assertThat(viewer.get("/console/supervision?lang=zh_CN").body()).as("the report links to the initiations").contains("/console/measures");
        assertThat(accessLog.flush(Duration.ofSeconds(30))).isTrue();
        assertThat(accessLogQuery.find(from, Instant.now().plusSeconds(1),
                e -> e.endpoint().equals(ConsoleAudit.PREFIX + "GET /console/measures"), 100).entries())
                .anySatisfy(e -> {
                    assertThat(e.caller()).isEqualTo("watch");
                    assertThat(e.target()).contains("overdue=response");
                });
    }

    @Test
    void the_api_still_answers_as_before_beside_the_console() {
        assertThat(Http.get("http://127.0.0.1:" + port + "/api/v1/fanout/departments", null).status()).isEqualTo(401);
        assertThat(Http.get("http://127.0.0.1:" + port + "/api/v1/upstream/dead-letters", TestGateway.VIEWER_KEY).status()).isEqualTo(200);
        assertThat(Http.get("http://127.0.0.1:" + port + "/api/v1/no-such-endpoint", TestGateway.VIEWER_KEY).status()).isEqualTo(404);
        assertThat(Http.get("http://127.0.0.1:" + port + "/console/", TestGateway.OPERATOR_KEY).status())
                .as("a bearer key is no session").isEqualTo(303);
        assertThat(Http.get("http://127.0.0.1:" + port + "/webjars/htmx.org/dist/htmx.min.js", null).status()).isEqualTo(200);
        assertThat(Http.get("http://127.0.0.1:" + port + "/console/assets/console.css", null).status()).isEqualTo(200);
    }

    @Autowired
    cn.bazhong.credit.gateway.infra.KafkaClients kafka;

    @Autowired
    cn.bazhong.credit.gateway.privacy.PersonalFields personal;

    @Autowired
    cn.bazhong.credit.gateway.feeds.KafkaFeedHandler kafkaFeedHandler;

    @Autowired
    cn.bazhong.credit.gateway.ingest.ReceiptStore receipts;

    @Autowired
    org.apache.camel.CamelContext camel;

    @Test
    void an_admin_replays_a_message_the_kafka_feed_set_aside_after_confirming_and_sees_its_receipt_or_why_not() throws Exception {
        Instant from = Instant.now().minusSeconds(1);
        // a message the bureau's feed set aside on a failure since mended (the dead letter as the feed writes it), and
        // one without a value that the feed sets aside itself
        String mended = "dept.swj.credit-0-5000000";
        String later = "dept.swj.credit-0-5000002";
        setAside(mended, "巴税稽罚〔2026〕950号");
        String empty = "dept.swj.credit-0-5000001";
        org.apache.camel.Exchange tombstone = new org.apache.camel.support.DefaultExchange(camel);
        tombstone.setProperty("mappingId", "swj-tax-lists");
        tombstone.setProperty("receiptsTopic", "dept.swj.receipts");
        tombstone.setProperty("deadLetterTopic", "dept.swj.credit.dlq");
        tombstone.getIn().setHeader(org.apache.camel.component.kafka.KafkaConstants.TOPIC, "dept.swj.credit");
        tombstone.getIn().setHeader(org.apache.camel.component.kafka.KafkaConstants.PARTITION, 0);
        tombstone.getIn().setHeader(org.apache.camel.component.kafka.KafkaConstants.OFFSET, 5_000_001L);
        tombstone.getIn().setHeader(org.apache.camel.component.kafka.KafkaConstants.TIMESTAMP, System.currentTimeMillis());
        tombstone.getIn().setBody(new byte[0]);
        kafkaFeedHandler.ingest(tombstone);

        ConsoleClient viewer = client();
        viewer.signIn(TestGateway.VIEWER_KEY);
        HttpResponse<String> seen = viewer.get("/console/dead-letters");
        assertThat(seen.body()).contains("部门 Kafka 报送中被搁置的消息").contains("data-source=\"" + mended + "\"")
                .doesNotContain("/console/dead-letters/feeds/");
        assertThat(viewer.get("/console/dead-letters/feeds/swj/" + mended + "/replay").statusCode()).isEqualTo(403);
        assertThat(viewer.post("/console/dead-letters/feeds/swj/" + mended + "/replay", Map.of("_csrf", ConsoleClient.csrf(seen.body())))
                .statusCode()).isEqualTo(403);

        ConsoleClient admin = client();
        admin.signIn(TestGateway.OPERATOR_KEY);
        String page = admin.get("/console/dead-letters").body();
        assertThat(page).contains("/console/dead-letters/feeds/swj/" + mended + "/replay").contains("mapping bug");
        long waitingBefore = waiting(page);
        HttpResponse<String> confirm = admin.get("/console/dead-letters/feeds/swj/" + mended + "/replay");
        assertThat(confirm.statusCode()).isEqualTo(200);
        assertThat(confirm.body()).contains("按报送 swj-tax-lists 重新处理部门 swj 的消息 " + mended);
        HttpResponse<String> done = admin.post("/console/dead-letters/feeds/swj/" + mended + "/replay",
                Map.of("_csrf", ConsoleClient.csrf(confirm.body())));
        assertThat(done.statusCode()).isEqualTo(302);
        String location = done.headers().firstValue("Location").orElseThrow();
        assertThat(location).contains("feedReplayed=" + mended + ".replay-");
        String replayId = java.net.URLDecoder.decode(location.substring(location.indexOf("feedReplayed=") + 13), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(receipts.find(replayId).accepted()).isEqualTo(1);
        String after = admin.get(location.substring(location.indexOf("/console"))).body();
        assertThat(waiting(after)).as("one fewer waits").isEqualTo(waitingBefore - 1);
        assertThat(after).contains("已重放，回执 " + replayId).contains("/console/receipts/" + replayId)
                .doesNotContain("/console/dead-letters/feeds/swj/" + mended + "/replay");

        HttpResponse<String> refused = admin.post("/console/dead-letters/feeds/swj/" + empty + "/replay",
                Map.of("_csrf", ConsoleClient.csrf(after)));
        String why = refused.headers().firstValue("Location").orElseThrow();
        assertThat(why).contains("feedRefused=" + empty);
        assertThat(admin.get(why.substring(why.indexOf("/console"))).body())
                .contains("消息 " + empty + " 未能重放，未做任何改动：no-value: the message has no value");
        assertThat(admin.get("/console/dead-letters/feeds/swj/dept.swj.credit-0-404/replay").statusCode()).isEqualTo(404);

        // one more set aside, then all of them not replayed yet, from the first of this test's letters
        setAside(later, "巴税稽罚〔2026〕951号");
        long first = offsetOf(mended);
        String all = admin.get("/console/dead-letters?feedDept=swj").body();
        assertThat(all).contains("/console/dead-letters/feeds/swj/replay");
        assertThat(admin.post("/console/dead-letters/feeds/swj/replay", Map.of("from", String.valueOf(first))).statusCode())
                .as("not without the session's CSRF token").isEqualTo(403);
        HttpResponse<String> confirmAll = admin.get("/console/dead-letters/feeds/swj/replay?from=" + first);
        assertThat(confirmAll.body()).contains("从死信主题偏移量 " + first + " 起");
        HttpResponse<String> replayedAll = admin.post("/console/dead-letters/feeds/swj/replay",
                Map.of("_csrf", ConsoleClient.csrf(confirmAll.body()), "from", String.valueOf(first)));
        String result = replayedAll.headers().firstValue("Location").orElseThrow();
        assertThat(admin.get(result.substring(result.indexOf("/console"))).body())
                .contains("本次重放 1 条；此前已重放、跳过 1 条；未能重放 1 条（留待下次）。");
        assertThat(receipts.find(later + ".replay-" + offsetOf(later)).accepted()).isEqualTo(1);
        // a piece that stopped before the topic's end offers to go on from where it stopped
        assertThat(admin.get("/console/dead-letters?feedDept=swj&feedBatch=1000,0,0&feedNext=7").body())
                .contains("本次重放 1000 条").contains("href=\"/console/dead-letters/feeds/swj/replay?from=7\"");

        assertThat(accessLog.flush(Duration.ofSeconds(30))).isTrue();
        List<AccessEntry> entries = accessLogQuery.find(from, Instant.now().plusSeconds(1),
                e -> e.endpoint().equals("console POST /console/dead-letters/feeds/{dept}/{source}/replay"), 100).entries();
        assertThat(entries).extracting(AccessEntry::caller, AccessEntry::target, AccessEntry::status).contains(
                org.assertj.core.groups.Tuple.tuple("ops", "dept=swj source=" + mended, 200),
                org.assertj.core.groups.Tuple.tuple("ops", "dept=swj source=" + empty, 409));
        assertThat(accessLogQuery.find(from, Instant.now().plusSeconds(1),
                e -> e.endpoint().equals("console POST /console/dead-letters/feeds/{dept}/replay"), 100).entries())
                .extracting(AccessEntry::caller, AccessEntry::target, AccessEntry::status)
                .contains(org.assertj.core.groups.Tuple.tuple("ops", "dept=swj from=" + first, 200));
    }

    /** A message of the bureau's feed set aside on a failure since mended: the dead letter as the feed writes it. */
    private void setAside(String source, String decision) throws Exception {
        String message = java.nio.file.Files.readAllLines(java.nio.file.Path.of("samples/feeds/kafka/swj/messages-001.ndjson")).get(0)
                .replace("巴税稽罚〔2022〕50号", decision);
        org.apache.kafka.common.header.internals.RecordHeaders headers = new org.apache.kafka.common.header.internals.RecordHeaders();
        headers.add(cn.bazhong.credit.gateway.feeds.KafkaFeedHandler.SOURCE_HEADER, source.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        headers.add(cn.bazhong.credit.gateway.feeds.KafkaFeedHandler.FEED_HEADER, "swj-tax-lists".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        headers.add(cn.bazhong.credit.gateway.feeds.KafkaFeedHandler.REASON_HEADER, "IllegalStateException: mapping bug".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        try (var producer = kafka.producer("console-test-dead-letter")) {
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>("dept.swj.credit.dlq", null, "swj-console", personal.sealRaw(
                    message.getBytes(java.nio.charset.StandardCharsets.UTF_8)), headers)).get();
        }
    }

    /** How many of the listed feed dead letters the 死信 page says still wait. */
    private static long waiting(String page) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("最新的 \\d+ 条中，(\\d+) 条尚未重放。").matcher(page);
        assertThat(m.find()).as("the page says how many wait").isTrue();
        return Long.parseLong(m.group(1));
    }

    /** The offset on the bureau's dead-letter topic of the letter that keeps {@code source}, as the API lists it. */
    private long offsetOf(String source) {
        for (com.fasterxml.jackson.databind.JsonNode d : Http.get("http://127.0.0.1:" + port + "/api/v1/feeds/swj/dead-letters",
                TestGateway.VIEWER_KEY).json().path("deadLetters")) {
            if (d.path("source").asText().equals(source)) {
                return d.path("offset").asLong();
            }
        }
        throw new AssertionError(source + " is not listed");
    }
}
