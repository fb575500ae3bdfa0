package cn.bazhong.credit.gateway.console;

import cn.bazhong.credit.gateway.lists.HeldFill;
import cn.bazhong.credit.gateway.lists.ListView;
import cn.bazhong.credit.gateway.support.Http;
import cn.bazhong.credit.gateway.support.SharedGateway;
import cn.bazhong.credit.gateway.support.TestGateway;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A node whose list view is still being filled at its start (after a restart of the whole cluster) answers what does
 * not need the view and refuses what does, saying why: the check API 503 with a time to retry, the console's list
 * pages a page in Chinese that refreshes itself, health OUT_OF_SERVICE with how far the fill is (its readiness, which
 * load balancers poll, stays UP: the node takes pushes). Once the view is
 * whole, all of it answers again. (The fill is held by the test; the node's own fill is in {@code ListViewRebuildTest}.)
 */
class ListViewFillingOverHttpTest extends SharedGateway {

    static final String SUBJECT = "91511900MA6L7UDG0K";

    @LocalServerPort
    int port;

    @Autowired
    ListView view;

    private String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    @Test
    void while_the_list_view_is_filled_the_check_api_and_list_pages_are_refused_with_a_reason_and_health_says_out_of_service() {
        ConsoleClient admin = new ConsoleClient(port);
        admin.signIn(TestGateway.OPERATOR_KEY);
        try (HeldFill held = HeldFill.on(view, Duration.ofMillis(300))) {
            Http.Response check = Http.get(url("/api/v1/subjects/" + SUBJECT + "/measures"), TestGateway.KEYS.get("GGZY"));
            assertThat(check.status()).as(check.body()).isEqualTo(503);
            assertThat(check.raw().headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
            assertThat(check.raw().headers().firstValue("Retry-After")).hasValue("5");
            assertThat(check.json().path("type").asText()).endsWith("list-view-filling");
            assertThat(check.json().path("detail").asText()).contains("being filled");

            HttpResponse<String> page = admin.get("/console/lists?listType=COURT_DEFAULTER");
            assertThat(page.statusCode()).isEqualTo(503);
            assertThat(page.headers().firstValue("Retry-After")).hasValue("5");
            assertThat(page.body()).contains("正在从名单状态主题重建名单视图").contains("http-equiv=\"refresh\"");

            Http.Response health = Http.get(url("/actuator/health"), TestGateway.VIEWER_KEY);
            assertThat(health.status()).isEqualTo(503);
            JsonNode listView = health.json().path("components").path("listView");
            assertThat(health.json().path("status").asText()).isEqualTo("OUT_OF_SERVICE");
            assertThat(listView.path("status").asText()).isEqualTo("OUT_OF_SERVICE");
            assertThat(listView.path("details").path("view").asText()).isEqualTo("filling");
            assertThat(listView.path("details").has("entriesRead")).isTrue();
            // the load balancers' readiness leaves the view out: every node of a full restart waits for the one fill,
            // and every node takes pushes meanwhile
            assertThat(Http.get(url("/actuator/health/readiness"), null).status()).isEqualTo(200);
            // what does not read the view goes on: the mappings a department checks its files against
            assertThat(Http.get(url("/api/v1/mappings"), TestGateway.KEYS.get("GGZY")).status()).isEqualTo(200);
        }

        await().atMost(Duration.ofSeconds(10)).until(view::filled);
        assertThat(Http.get(url("/api/v1/subjects/" + SUBJECT + "/measures"), TestGateway.KEYS.get("GGZY")).status()).isEqualTo(200);
        assertThat(admin.get("/console/lists?listType=COURT_DEFAULTER").statusCode()).isEqualTo(200);
        JsonNode health = Http.get(url("/actuator/health"), TestGateway.VIEWER_KEY).json();
        assertThat(health.path("components").path("listView").path("status").asText()).isEqualTo("UP");
        assertThat(health.path("components").path("listView").path("details").path("view").asText()).isEqualTo("whole");
    }
}
