package cn.bazhong.credit.gateway.web;

import cn.bazhong.credit.gateway.ingest.Receipt;
import cn.bazhong.credit.gateway.security.Caller.Kind;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.core.converter.ResolvedSchema;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.web.method.HandlerMethod;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Completes the OpenAPI 3.1 document springdoc builds from the controllers with what the controllers do not
 * say themselves, all taken from the code that decides it: the Bearer key every call needs, who may call each
 * operation ({@link AccessPolicy}), the bodies a feed push takes, the receipt, and the RFC 9457 problems
 * ({@link ProblemResponses}) the gate and the controllers answer with. Published at
 * {@code GET /api/v1/openapi.json}; the copy in {@code docs/openapi.json} is checked against it by
 * {@code OpenApiDocumentTest}.
 */
public final class OpenApiDocument implements OpenApiCustomizer, OperationCustomizer {

    static final String BEARER = "bearer";
    private static final String PROBLEM = "Problem";
    private static final String RECEIPT = "Receipt";
    private static final String PROBLEM_JSON = "application/problem+json";
    private static final String JSON = "application/json";
    /** The formats a department's feed can come in; which one a feed takes is in its mapping. */
    private static final List<String> FEED_TYPES = List.of(JSON, "application/x-ndjson", "text/csv", "application/xml");
    /** Operations answered with a receipt. */
    private static final Set<String> RECEIPTS = Set.of(
            "POST /api/v1/feeds/{dept}/{feed}", "GET /api/v1/receipts/{id}", "POST /api/v1/upstream/list-updates",
            "POST /api/v1/subjects/{code}/entries/{recordId}/repair", "POST /api/v1/subjects/{code}/entries/{recordId}/objections",
            "POST /api/v1/subjects/{code}/entries/{recordId}/objections/decision");

    /** A problem answer, defined once under components/responses. */
    private record ProblemAnswer(String name, String description, boolean retryAfter) {
    }

    /** Status → the problem answer; which operations can give which is decided in {@link #complete}. */
    private static final Map<String, ProblemAnswer> PROBLEMS = new LinkedHashMap<>();

    static {
        add("400", "BadRequest", "the request is malformed; the problem names the field, position or rule where known", false);
        add("401", "Unauthenticated", "no key or an unknown key (WWW-Authenticate: Bearer)", false);
        add("403", "Forbidden", "this kind of caller may not call this operation, or not for this department", false);
        add("404", "NotFound", "no such endpoint, or nothing of that id this caller may see", false);
        add("409", "Conflict", "the request conflicts with the state (a decided hold, an Idempotency-Key still in use)", true);
        add("413", "BodyTooLarge", "the body is larger than the operation's limit (the problem's limit, in bytes)", false);
        add("415", "UnsupportedMediaType", "a form, multipart or another format than the operation takes", false);
        add("422", "Unprocessable", "well-formed but not applicable (e.g. an Idempotency-Key reused with another body)", false);
        add("500", "InternalError", "a fault of the gateway; nothing was accepted, send again later", true);
        add("503", "Unavailable", "the gateway cannot serve now (storage unavailable, all push slots busy, this node on the minority side of a split); send again later", true);
    }

    private static void add(String status, String name, String description, boolean retryAfter) {
        PROBLEMS.put(status, new ProblemAnswer(name, description, retryAfter));
    }

    private final String version;

    public OpenApiDocument(String version) {
        this.version = version;
    }

    /**
     * The document springdoc starts from. Its one server is relative ("this gateway"): without one, springdoc
     * would write the URL the document was fetched from, and the document would differ per host and port.
     */
    public OpenAPI base() {
        return new OpenAPI().servers(List.of(new Server().url("/").description("the gateway this document was fetched from")));
    }

    /** Operation ids that name the controller and its method ({@code feedsPush}, {@code fanoutDepartments}). */
    @Override
    public Operation customize(Operation operation, HandlerMethod handler) {
        String controller = handler.getBeanType().getSimpleName().replace("Controller", "");
        String method = handler.getMethod().getName();
        return operation.operationId(Character.toLowerCase(controller.charAt(0)) + controller.substring(1)
                + Character.toUpperCase(method.charAt(0)) + method.substring(1));
    }

    @Override
    public void customise(OpenAPI api) {
        api.info(new Info().title("Credit Exchange Gateway API").version(version).description(
                "The HTTP API of the Bazhong public-credit exchange gateway: departments push feeds and read their receipts, "
                        + "the province pushes list updates, counters check subjects, operators run deliveries. Every call needs "
                        + "Authorization: Bearer <key>; which kinds of caller (department, province, viewer, admin) may call an "
                        + "operation is in its description. Every error is an RFC 9457 application/problem+json document."));
        Components components = api.getComponents() == null ? new Components() : api.getComponents();
        api.components(components);
        components.addSecuritySchemes(BEARER, new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                .description("an API key issued by the gateway's operators (java -jar ... access new-key)"));
        components.addSchemas(PROBLEM, problemSchema());
        ResolvedSchema receipt = ModelConverters.getInstance(true).resolveAsResolvedSchema(
                new io.swagger.v3.core.converter.AnnotatedType(Receipt.class).resolveAsRef(false));
        components.addSchemas(RECEIPT, receipt.schema);
        if (receipt.referencedSchemas != null) {
            receipt.referencedSchemas.forEach((name, schema) -> {
                if (!name.equals(RECEIPT)) {
                    components.addSchemas(name, schema);
                }
            });
        }
        PROBLEMS.values().forEach(answer -> components.addResponses(answer.name(), problem(answer)));
        api.security(List.of(new SecurityRequirement().addList(BEARER)));
        if (api.getPaths() != null) {
            api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, op) -> complete(path, method, op)));
        }
    }

    private void complete(String path, PathItem.HttpMethod method, Operation op) {
        AccessPolicy.Endpoint endpoint = AccessPolicy.ENDPOINTS.stream()
                .filter(e -> e.method().equals(method.name()) && e.path().equals(path)).findFirst().orElse(null);
        if (endpoint == null) {
            return;
        }
        String key = method.name() + " " + path;
        boolean everyone = endpoint.callers().equals(EnumSet.allOf(Kind.class));
        String callers = "Callers: " + (everyone ? "any caller with a key" : AccessPolicy.describe(endpoint.callers()))
                + (endpoint.ownDepartment() ? " (its own feeds only)" : "") + ".";
        op.description(op.getDescription() == null ? callers : op.getDescription() + "\n\n" + callers);
        if (endpoint.body() == AccessPolicy.Body.FEED) {
            Content content = new Content();
            FEED_TYPES.forEach(t -> content.addMediaType(t, new MediaType().schema(new Schema<>().type("string").types(Set.of("string")))));
            op.requestBody(new RequestBody().required(true).content(content)
                    .description("the feed in its own format, as its mapping says (GET /api/v1/mappings)"));
        }
        ApiResponses responses = new ApiResponses();
        Map<String, ApiResponse> sorted = new TreeMap<>();
        if (op.getResponses() != null) {
            op.getResponses().forEach((status, response) -> {
                if (status.startsWith("2")) {
                    sorted.put(status, success(response, RECEIPTS.contains(key)));
                }
            });
        }
        if (sorted.isEmpty()) {
            sorted.put("200", success(new ApiResponse().description("OK"), RECEIPTS.contains(key)));
        }
        List<String> problems = new java.util.ArrayList<>(List.of("400", "401"));
        if (!everyone || endpoint.ownDepartment()) {
            problems.add("403");
        }
        problems.add("404");
        if (method == PathItem.HttpMethod.POST) {
            problems.addAll(List.of("409", "413", "415", "422"));
        }
        problems.addAll(List.of("500", "503"));
        problems.forEach(status -> sorted.put(status, new ApiResponse().$ref("#/components/responses/" + PROBLEMS.get(status).name())));
        sorted.forEach(responses::addApiResponse);
        op.responses(responses);
    }

    private static ApiResponse success(ApiResponse generated, boolean receipt) {
        Schema<?> schema = receipt ? new Schema<>().$ref("#/components/schemas/" + RECEIPT)
                : new Schema<>().type("object").types(Set.of("object"));
        return new ApiResponse().description(generated.getDescription())
                .content(new Content().addMediaType(JSON, new MediaType().schema(schema)));
    }

    private static ApiResponse problem(ProblemAnswer answer) {
        ApiResponse response = new ApiResponse().description(answer.description()).content(new Content().addMediaType(PROBLEM_JSON,
                new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM))));
        if (answer.retryAfter()) {
            response.addHeaderObject("Retry-After", new Header().description("seconds to wait before sending again")
                    .schema(new Schema<>().type("integer").types(Set.of("integer"))));
        }
        return response;
    }

    private static Schema<?> problemSchema() {
        Schema<?> problem = new Schema<>().type("object").types(Set.of("object"))
                .description("RFC 9457 problem details; type is " + ProblemResponses.TYPE_PREFIX + "<kind>")
                .required(List.of("type", "title", "status", "detail", "instance"));
        problem.addProperty("type", text("urn:credit-gateway:problem:<kind>, e.g. ...:unauthenticated, ...:body-too-large"));
        problem.addProperty("title", text("the HTTP reason phrase"));
        problem.addProperty("status", new Schema<>().type("integer").types(Set.of("integer")).description("the HTTP status"));
        problem.addProperty("detail", text("what is wrong and what to change; personal ID numbers masked"));
        problem.addProperty("instance", text("the request path"));
        problem.addProperty("field", text("the field at fault, where known"));
        problem.addProperty("position", text("where in the body, where known (record number, line and column)"));
        problem.addProperty("rule", text("the validation rule that failed, where known"));
        problem.addProperty("limit", new Schema<>().type("integer").types(Set.of("integer")).description("the body limit in bytes (413)"));
        return problem;
    }

    private static Schema<?> text(String description) {
        return new Schema<>().type("string").types(Set.of("string")).description(description);
    }
}
