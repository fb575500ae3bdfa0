package cn.bazhong.credit.gateway.web;

import cn.bazhong.credit.gateway.support.SharedGateway;
import cn.bazhong.credit.gateway.support.Http;
import cn.bazhong.credit.gateway.support.TestGateway;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI document of the API as a running gateway serves it: complete, with the Bearer scheme and the
 * problem+json errors, for callers with a key only, and the same as the copy in {@code docs/openapi.json}.
 *
 * <p>After a change to the API, write the new copy with
 * {@code ./mvnw -ntp -q -Dtest=OpenApiDocumentTest -Dopenapi.write=true test} and commit it.
 */
class OpenApiDocumentTest extends SharedGateway {

    static final Path CHECKED_IN = Path.of("docs/openapi.json");
    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;

    private Http.Response get(String path, String key) {
        return Http.get("http://127.0.0.1:" + port + path, key);
    }

    private JsonNode document() {
        Http.Response r = get("/api/v1/openapi.json", TestGateway.KEYS.get("SWJ"));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    @Test
    void the_document_is_openapi_3_1_and_names_every_endpoint_of_the_access_policy_with_its_method() {
        JsonNode doc = document();
        assertThat(doc.path("openapi").asText()).startsWith("3.1");
        Set<String> documented = new TreeSet<>();
        doc.path("paths").properties().forEach(path -> path.getValue().properties()
                .forEach(op -> documented.add(op.getKey().toUpperCase() + " " + path.getKey())));
        Set<String> policy = new TreeSet<>();
        AccessPolicy.ENDPOINTS.stream().filter(e -> !e.path().equals("/api/v1/openapi.json"))
                .forEach(e -> policy.add(e.method() + " " + e.path()));
        assertThat(documented).isEqualTo(policy);
    }

    @Test
    void every_operation_needs_the_bearer_key_and_answers_errors_as_problem_json() {
        JsonNode doc = document();
        JsonNode scheme = doc.path("components").path("securitySchemes").path(OpenApiDocument.BEARER);
        assertThat(scheme.path("type").asText()).isEqualTo("http");
        assertThat(scheme.path("scheme").asText()).isEqualTo("bearer");
        assertThat(doc.path("security").get(0).has(OpenApiDocument.BEARER)).isTrue();
        JsonNode problem = doc.path("components").path("schemas").path("Problem");
        assertThat(problem.path("required")).extracting(JsonNode::asText)
                .containsExactlyInAnyOrder("type", "title", "status", "detail", "instance");

        List<String> wrong = new ArrayList<>();
        doc.path("paths").properties().forEach(path -> path.getValue().properties().forEach(op -> {
            JsonNode responses = op.getValue().path("responses");
            String name = op.getKey() + " " + path.getKey();
            if (!responses.has("401") || !responses.has("404") || !responses.has("500")) {
                wrong.add(name + ": not every error it can answer is listed");
            }
            responses.properties().stream().filter(r -> r.getKey().compareTo("400") >= 0).forEach(r -> {
                JsonNode answer = resolve(doc, r.getValue());
                if (!answer.path("content").path("application/problem+json").path("schema").path("$ref").asText()
                        .equals("#/components/schemas/Problem")) {
                    wrong.add(name + ": " + r.getKey() + " is not problem+json");
                }
            });
            if (!responses.path("200").path("content").has("application/json")
                    && !responses.path("202").path("content").has("application/json")) {
                wrong.add(name + ": no application/json success");
            }
            if (!op.getValue().path("description").asText().contains("Callers: ")) {
                wrong.add(name + ": does not say who may call it");
            }
        }));
        assertThat(wrong).isEmpty();

        JsonNode push = doc.path("paths").path("/api/v1/feeds/{dept}/{feed}").path("post");
        assertThat(push.path("requestBody").path("content").has("text/csv")).isTrue();
        assertThat(push.path("responses").path("200").path("content").path("application/json").path("schema").path("$ref").asText())
                .isEqualTo("#/components/schemas/Receipt");
        assertThat(doc.path("components").path("schemas").path("Receipt").path("properties").has("receiptId")).isTrue();
        assertThat(push.path("responses").has("413")).isTrue();
    }

    /** A response, or the one its {@code $ref} points to. */
    private static JsonNode resolve(JsonNode doc, JsonNode node) {
        String ref = node.path("$ref").asText();
        return ref.isEmpty() ? node : doc.at(ref.substring(1));
    }

    @Test
    void the_document_needs_a_key_of_any_kind_and_nothing_else_of_springdoc_is_reachable() {
        assertThat(get("/api/v1/openapi.json", null).status()).isEqualTo(401);
        assertThat(get("/api/v1/openapi.json", "an-unknown-key").status()).isEqualTo(401);
        for (String key : List.of(TestGateway.PROVINCE_KEY, TestGateway.VIEWER_KEY, TestGateway.OPERATOR_KEY)) {
            assertThat(get("/api/v1/openapi.json", key).status()).isEqualTo(200);
        }
        // springdoc's YAML twin and its default paths: refused by the gate or simply not there
        assertThat(get("/api/v1/openapi.json.yaml", TestGateway.OPERATOR_KEY).status()).isEqualTo(404);
        assertThat(get("/api/v1/openapi.json/x", TestGateway.OPERATOR_KEY).status()).isEqualTo(404);
        for (String path : List.of("/v3/api-docs", "/v3/api-docs.yaml", "/swagger-ui.html", "/swagger-ui/index.html", "/api-docs")) {
            assertThat(get(path, TestGateway.OPERATOR_KEY).status()).as(path).isEqualTo(404);
            assertThat(get(path, null).status()).as(path).isEqualTo(404);
        }
    }

    @Test
    void the_checked_in_copy_in_docs_is_the_document_the_code_generates() throws IOException {
        String served = get("/api/v1/openapi.json", TestGateway.OPERATOR_KEY).body();
        if (Boolean.getBoolean("openapi.write")) {
            Files.writeString(CHECKED_IN, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(JSON.readTree(served)) + "\n",
                    StandardCharsets.UTF_8);
        }
        assertThat(CHECKED_IN).as("docs/openapi.json is missing: write it with "
                + "./mvnw -ntp -q -Dtest=OpenApiDocumentTest -Dopenapi.write=true test").exists();
        JsonNode checkedIn = JSON.readTree(Files.readString(CHECKED_IN, StandardCharsets.UTF_8));
        assertThat(checkedIn).as("docs/openapi.json differs from the document the code generates; after checking the change, "
                + "write it again with ./mvnw -ntp -q -Dtest=OpenApiDocumentTest -Dopenapi.write=true test")
                .isEqualTo(JSON.readTree(served));
    }
}
