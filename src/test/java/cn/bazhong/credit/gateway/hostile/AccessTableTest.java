package cn.bazhong.credit.gateway.hostile;

import cn.bazhong.credit.gateway.support.SharedGateway;
import cn.bazhong.credit.gateway.support.Http;
import cn.bazhong.credit.gateway.support.TestGateway;
import cn.bazhong.credit.gateway.web.AccessPolicy;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every endpoint called by every kind of caller, and the status each cell must get: no key, an unknown
 * key, the department the path names (SCJGJ), another department (XZSPJ), the province, a viewer and an
 * admin. The same table stands in docs/api.md ("Who may call what"). Cells that pass the gate get the
 * endpoint's own answer for an unknown id (404) or an empty request, so nothing here changes state.
 */
class AccessTableTest extends SharedGateway {

    private static final String SUBJECT = "/api/v1/subjects/91511903JAMRDAJRXR";
    private static final String ENTRY = SUBJECT + "/entries/SWJ:NOT-LISTED";

    /** method path | none | unknown key | SCJGJ | XZSPJ | province | viewer | admin */
    private static final List<String> TABLE = List.of(
            "POST " + "/api/v1/feeds/scjgj/penalties                         | 401 | 401 | 400 | 403 | 403 | 403 | 403",
            "POST " + "/api/v1/feeds/province/list-updates                   | 401 | 401 | 403 | 403 | 403 | 403 | 403",
            "GET  " + "/api/v1/receipts/REQ-none                             | 401 | 401 | 404 | 404 | 403 | 404 | 404",
            "GET  " + "/api/v1/records/SCJGJ:none/trace                      | 401 | 401 | 404 | 404 | 403 | 404 | 404",
            "GET  " + "/api/v1/mappings                                      | 401 | 401 | 200 | 200 | 403 | 200 | 200",
            "GET  " + SUBJECT + "/measures                                   | 401 | 401 | 200 | 200 | 403 | 200 | 200",
            "GET  " + SUBJECT + "/credit                                     | 401 | 401 | 200 | 200 | 403 | 200 | 200",
            "POST " + "/api/v1/subjects/check                                | 401 | 401 | 200 | 200 | 403 | 200 | 200",
            "GET  " + SUBJECT + "/persons?name=x                             | 401 | 401 | 200 | 200 | 403 | 200 | 200",
            "POST " + ENTRY + "/repair                                       | 401 | 401 | 404 | 404 | 403 | 403 | 404",
            "POST " + ENTRY + "/objections                                   | 401 | 401 | 404 | 404 | 403 | 403 | 404",
            "POST " + ENTRY + "/objections/decision                          | 401 | 401 | 404 | 404 | 403 | 403 | 404",
            "GET  " + "/api/v1/objections                                    | 401 | 401 | 200 | 200 | 403 | 200 | 200",
            "GET  " + "/api/v1/commitments/overdue                           | 401 | 401 | 200 | 200 | 403 | 200 | 200",
            "GET  " + "/api/v1/initiations                                   | 401 | 401 | 200 | 200 | 403 | 200 | 200",
            "GET  " + "/api/v1/initiations/INIT-none                         | 401 | 401 | 404 | 404 | 403 | 404 | 404",
            "POST " + "/api/v1/initiations/INIT-none/responses               | 401 | 401 | 404 | 404 | 403 | 403 | 403",
            "POST " + "/api/v1/initiations/INIT-none/feedback                | 401 | 401 | 404 | 404 | 403 | 403 | 403",
            "POST " + "/api/v1/upstream/list-updates                         | 401 | 401 | 403 | 403 | 200 | 403 | 403",
            "GET  " + "/api/v1/feeds/swj/dead-letters                        | 401 | 401 | 403 | 403 | 403 | 200 | 200",
            "POST " + "/api/v1/feeds/swj/dead-letters/none-0-0/replay        | 401 | 401 | 403 | 403 | 403 | 403 | 404",
            "POST " + "/api/v1/feeds/nodept/dead-letters/replay              | 401 | 401 | 403 | 403 | 403 | 403 | 404",
            "GET  " + "/api/v1/upstream/dead-letters                         | 401 | 401 | 403 | 403 | 403 | 200 | 200",
            "POST " + "/api/v1/upstream/dead-letters/B-none/replay           | 401 | 401 | 403 | 403 | 403 | 403 | 404",
            "GET  " + "/api/v1/fanout/departments                            | 401 | 401 | 403 | 403 | 403 | 503 | 503",
            "GET  " + "/api/v1/fanout/departments/GGZY/dead-letters          | 401 | 401 | 403 | 403 | 403 | 503 | 503",
            "GET  " + "/api/v1/fanout/events/evt_none                        | 401 | 401 | 403 | 403 | 403 | 503 | 503",
            "POST " + "/api/v1/fanout/departments/GGZY/enable                | 401 | 401 | 403 | 403 | 403 | 403 | 503",
            "POST " + "/api/v1/fanout/departments/GGZY/dead-letters/replay   | 401 | 401 | 403 | 403 | 403 | 403 | 503",
            "POST " + "/api/v1/fanout/departments/GGZY/dead-letters/e/replay | 401 | 401 | 403 | 403 | 403 | 403 | 503",
            "POST " + "/api/v1/fanout/departments/GGZY/replay?from=2026-01-01 | 401 | 401 | 403 | 403 | 403 | 403 | 503",
            "GET  " + "/api/v1/publication/dead-letters                      | 401 | 401 | 403 | 403 | 403 | 503 | 503",
            "POST " + "/api/v1/publication/dead-letters/replay               | 401 | 401 | 403 | 403 | 403 | 403 | 503",
            "POST " + "/api/v1/publication/sweep                             | 401 | 401 | 403 | 403 | 403 | 403 | 503",
            "POST " + "/api/v1/publication/replay?from=2026-01-01            | 401 | 401 | 403 | 403 | 403 | 403 | 503",
            "POST " + "/api/v1/lists/expiry-sweep                            | 401 | 401 | 403 | 403 | 403 | 403 | 200",
            "GET  " + "/api/v1/lists/snapshot-holds                          | 401 | 401 | 403 | 403 | 403 | 200 | 200",
            "POST " + "/api/v1/lists/snapshot-holds/H-none/approve           | 401 | 401 | 403 | 403 | 403 | 403 | 404",
            "POST " + "/api/v1/lists/snapshot-holds/H-none/reject            | 401 | 401 | 403 | 403 | 403 | 403 | 404",
            "GET  " + "/api/v1/supervision/departments                       | 401 | 401 | 403 | 403 | 403 | 200 | 200",
            "GET  " + "/api/v1/loaded-files                                  | 401 | 401 | 403 | 403 | 403 | 200 | 200",
            "GET  " + "/api/v1/audit?from=2026-01-01&to=2026-01-02            | 401 | 401 | 403 | 403 | 403 | 403 | 200",
            "GET  " + "/api/v1/openapi.json                                  | 401 | 401 | 200 | 200 | 200 | 200 | 200",
            "GET  " + "/api/v1/openapi.json.yaml                             | 401 | 401 | 404 | 404 | 404 | 404 | 404",
            "GET  " + "/api/v1/no-such-thing                                 | 401 | 401 | 404 | 404 | 404 | 404 | 404",
            "DELETE " + "/api/v1/mappings                                    | 401 | 401 | 405 | 405 | 405 | 405 | 405",
            "GET  " + "/actuator/health                                      | 200 | 200 | 200 | 200 | 200 | 200 | 200",
            "GET  " + "/actuator/health/readiness                            | 200 | 200 | 200 | 200 | 200 | 200 | 200",
            "GET  " + "/actuator/info                                        | 401 | 401 | 403 | 403 | 403 | 200 | 200",
            "GET  " + "/actuator/metrics                                     | 401 | 401 | 403 | 403 | 403 | 200 | 200");

    /** The bodies sent where a row posts: harmless, and enough to reach the endpoint's own checks. */
    private static final Map<String, String> BODIES = Map.of(
            "/api/v1/feeds/scjgj/penalties", "",
            "/api/v1/feeds/province/list-updates", "{}",
            "/responses", "{\"status\":\"ACKNOWLEDGED\"}",
            "/feedback", "{\"measureId\":\"M-1\",\"result\":\"APPLIED\"}",
            "/objections/decision", "{\"outcome\":\"REJECTED\",\"reason\":\"x\"}",
            "/api/v1/upstream/list-updates", "[]",
            "/reject", "{\"reason\":\"x\"}",
            "/api/v1/subjects/check", "{\"code\": \"91511903JAMRDAJRXR\"}\n");

    private static final String[] CALLERS = {null, "an-unknown-key", TestGateway.KEYS.get("SCJGJ"), TestGateway.KEYS.get("XZSPJ"),
            TestGateway.PROVINCE_KEY, TestGateway.VIEWER_KEY, TestGateway.OPERATOR_KEY};
    private static final String[] CALLER_NAMES = {"none", "unknown key", "SCJGJ", "XZSPJ", "province", "viewer", "admin"};

    @LocalServerPort
    int port;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mvc;

    @Test
    void every_endpoint_answers_every_kind_of_caller_as_the_access_table_says() {
        List<String> wrong = new ArrayList<>();
        for (String row : TABLE) {
            String[] cells = row.split("\\|");
            String[] call = cells[0].trim().split("\\s+");
            String method = call[0];
            String path = call[1];
            for (int c = 0; c < CALLERS.length; c++) {
                int expected = Integer.parseInt(cells[c + 1].trim());
                Http.Response r = send(method, path, CALLERS[c]);
                if (r.status() != expected) {
                    wrong.add(method + " " + path + " as " + CALLER_NAMES[c] + ": " + r.status() + " (expected " + expected + ") " + r.body());
                }
                if (path.startsWith("/api/") && r.status() >= 400) {
                    assertThat(r.raw().headers().firstValue("Content-Type")).as(method + " " + path).hasValueSatisfying(
                            t -> assertThat(t).startsWith("application/problem+json"));
                    assertThat(r.json().path("status").asInt()).isEqualTo(r.status());
                    assertThat(r.json().path("type").asText()).startsWith("urn:credit-gateway:problem:");
                }
            }
        }
        assertThat(wrong).as("cells that differ from the table").isEmpty();
    }

    @Test
    void every_endpoint_the_controllers_serve_is_in_the_access_policy_and_the_table() {
        Set<String> served = new TreeSet<>();
        for (RequestMappingInfo info : mvc.getHandlerMethods().keySet()) {
            for (String pattern : info.getPatternValues()) {
                // springdoc also maps a YAML twin of the OpenAPI document, which the gate refuses (its row above)
                if (pattern.startsWith("/api/") && !pattern.equals("/api/v1/openapi.json.yaml")) {
                    info.getMethodsCondition().getMethods().forEach(m -> served.add(m.name() + " " + pattern));
                }
            }
        }
        Set<String> policy = new TreeSet<>();
        AccessPolicy.ENDPOINTS.forEach(e -> policy.add(e.method() + " " + e.path()));
        assertThat(served).isEqualTo(policy);

        Set<String> tabled = new TreeSet<>();
        AccessPolicy policyTable = new AccessPolicy();
        for (String row : TABLE) {
            String[] call = row.split("\\|")[0].trim().split("\\s+");
            if (policyTable.match(call[0], call[1].replaceAll("\\?.*", "")) instanceof AccessPolicy.Match.Found f) {
                tabled.add(f.endpoint().method() + " " + f.endpoint().path());
            }
        }
        Set<String> untested = new TreeSet<>(policy);
        untested.removeAll(tabled);
        assertThat(untested).as("endpoints with no row in the table").isEmpty();
    }

    private Http.Response send(String method, String path, String key) {
        String url = "http://127.0.0.1:" + port + path;
        String body = BODIES.entrySet().stream().filter(b -> path.endsWith(b.getKey())).map(Map.Entry::getValue).findFirst().orElse("");
        return switch (method) {
            case "GET" -> Http.get(url, key);
            case "POST" -> Http.post(url, key, body.getBytes(StandardCharsets.UTF_8), "Content-Type",
                    path.startsWith("/api/v1/feeds/") ? "text/csv" : "application/json");
            default -> Http.send(method, url, key);
        };
    }
}
