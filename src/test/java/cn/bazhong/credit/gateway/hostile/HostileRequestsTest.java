package cn.bazhong.credit.gateway.hostile;

import cn.bazhong.credit.gateway.support.SharedGateway;
import cn.bazhong.credit.gateway.support.Http;
import cn.bazhong.credit.gateway.support.TestGateway;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests that can never succeed, as a department having a bad day or a hostile client sends them: each
 * gets a 4xx problem+json that names what is wrong, never a 5xx that would have it retry forever; nothing of
 * a refused body reaches the logs; failed logins are logged with four characters of the key and counted;
 * health tells strangers its status and nothing else.
 */
@ExtendWith(OutputCaptureExtension.class)
class HostileRequestsTest extends SharedGateway {

    private static final String XZSPJ = TestGateway.KEYS.get("XZSPJ");

    @LocalServerPort
    int port;

    private String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    record Mistake(String what, String path, String contentType, byte[] body, int status, String type) {
    }

    @Test
    void a_request_that_can_never_succeed_gets_a_4xx_problem_that_names_what_is_wrong() {
        String licences = "/api/v1/feeds/xzspj/licences";
        List<Mistake> mistakes = List.of(
                new Mistake("an empty body", licences, "application/json", new byte[0], 400, "empty-body"),
                new Mistake("an object where the array belongs", licences, "application/json",
                        "{\"XKWSH\": \"x\"}".getBytes(StandardCharsets.UTF_8), 400, "input-unusable"),
                new Mistake("UTF-16 declared", licences, "application/json; charset=UTF-16",
                        "[]".getBytes(StandardCharsets.UTF_16), 415, "unsupported-charset"),
                new Mistake("UTF-16 undeclared", licences, "application/json", "[{\"a\":1}]".getBytes(StandardCharsets.UTF_16), 400, "input-unusable"),
                new Mistake("XML to a JSON feed", licences, "application/xml", "<a/>".getBytes(StandardCharsets.UTF_8), 415, "unsupported-media-type"),
                new Mistake("XML to a JSON feed, undeclared", licences, null, "<records/>".getBytes(StandardCharsets.UTF_8), 400, "input-unusable"),
                new Mistake("a form", licences, "application/x-www-form-urlencoded",
                        "a=1&b=2".getBytes(StandardCharsets.UTF_8), 415, "unsupported-media-type"),
                new Mistake("multipart", licences, "multipart/form-data; boundary=xyz",
                        "--xyz\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\n[]\r\n--xyz--\r\n".getBytes(StandardCharsets.UTF_8), 415,
                        "unsupported-media-type"),
                new Mistake("a feed that does not exist", "/api/v1/feeds/xzspj/nothing", "application/json", "[]".getBytes(StandardCharsets.UTF_8),
                        404, "no-such-feed"),
                new Mistake("an answer that is not JSON", "/api/v1/initiations/INIT-1/responses", "application/json",
                        "{\"status\": ACK".getBytes(StandardCharsets.UTF_8), 400, "syntax"),
                new Mistake("an answer with trailing content", "/api/v1/initiations/INIT-1/responses", "application/json",
                        "{\"status\": \"ACKNOWLEDGED\"} {}".getBytes(StandardCharsets.UTF_8), 400, "syntax"),
                new Mistake("an answer that is an array", "/api/v1/initiations/INIT-1/responses", "application/json",
                        "[]".getBytes(StandardCharsets.UTF_8), 400, "wrong-shape"),
                new Mistake("a declared body over the limit", "/api/v1/initiations/INIT-1/responses", "application/json",
                        ("{\"reason\": \"" + "x".repeat(70_000) + "\"}").getBytes(StandardCharsets.UTF_8), 413, "body-too-large"));
        List<String> wrong = new ArrayList<>();
        for (Mistake m : mistakes) {
            Http.Response r = m.contentType() == null ? Http.post(url(m.path()), XZSPJ, m.body())
                    : Http.post(url(m.path()), XZSPJ, m.body(), "Content-Type", m.contentType());
            String type = r.raw().headers().firstValue("Content-Type").orElse("");
            JsonNode problem = type.startsWith("application/problem+json") ? r.json() : null;
            if (r.status() != m.status() || problem == null || !problem.path("type").asText().endsWith(":" + m.type())
                    || problem.path("detail").asText().isBlank() || r.raw().headers().firstValue("Retry-After").isPresent()) {
                wrong.add(m.what() + ": " + r.status() + " " + type + " " + r.body());
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void failed_logins_are_logged_with_the_first_four_characters_of_the_key_and_counted(CapturedOutput output) {
        double before = failures("unknown");

        Http.Response r = Http.get(url("/api/v1/mappings"), "abcdTHE-REST-OF-A-GUESSED-KEY");

        assertThat(r.status()).isEqualTo(401);
        assertThat(r.raw().headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertThat(output.getOut()).contains("unknown key starting 'abcd'").doesNotContain("THE-REST-OF-A-GUESSED-KEY");
        assertThat(failures("unknown")).isEqualTo(before + 1);
    }

    @Test
    void nothing_of_a_refused_body_reaches_the_log(CapturedOutput output) {
        String body = "name=x%0D%0A2026-12-05 ERROR forged line&id=511902199001011238&marker=BODY-MARKER";

        Http.Response anonymous = Http.post(url("/api/v1/feeds/xzspj/licences"), null, body.getBytes(StandardCharsets.UTF_8),
                "Content-Type", "application/x-www-form-urlencoded");
        Http.Response department = Http.post(url("/api/v1/feeds/xzspj/licences"), XZSPJ, body.getBytes(StandardCharsets.UTF_8),
                "Content-Type", "application/x-www-form-urlencoded");

        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(department.status()).isEqualTo(415);
        assertThat(output.getAll()).doesNotContain("BODY-MARKER", "forged line", "511902199001011238");
    }

    @Test
    void health_shows_strangers_its_status_only_and_viewers_the_details() {
        Http.Response stranger = Http.get(url("/actuator/health"), null);
        Http.Response department = Http.get(url("/actuator/health"), XZSPJ);
        Http.Response viewer = Http.get(url("/actuator/health"), TestGateway.VIEWER_KEY);

        assertThat(stranger.json().path("status").asText()).isNotBlank();
        assertThat(stranger.json().has("components")).isFalse();
        assertThat(stranger.body()).doesNotContain("127.0.0.1", "bootstrap", "kafka");
        assertThat(department.json().has("components")).isFalse();
        assertThat(viewer.json().path("components").path("kafka").path("details").isMissingNode()).isFalse();
        assertThat(Http.get(url("/actuator/health/liveness"), null).status()).isEqualTo(200);
        assertThat(Http.get(url("/actuator/health/readiness"), null).status()).isIn(200, 503);
    }

    private double failures(String reason) {
        String text = Http.get(url("/actuator/prometheus"), null).body();
        Matcher m = Pattern.compile("(?m)^gateway_api_auth_failures_total\\{reason=\"" + reason + "\"[^}]*\\} (\\S+)$").matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
