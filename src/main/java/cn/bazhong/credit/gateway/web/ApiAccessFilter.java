package cn.bazhong.credit.gateway.web;

import cn.bazhong.credit.gateway.infra.logging.LogContext;
import cn.bazhong.credit.gateway.security.Authenticator;
import cn.bazhong.credit.gateway.security.Caller;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.Locale;
import java.util.Optional;

/**
 * The gate in front of the API and the actuator. For every request, before a byte of its body is read:
 * who calls (the {@code Authorization} header only), whether that kind of caller may call this endpoint
 * ({@link AccessPolicy}), whether the declared body fits the endpoint's limit and is of a kind the API
 * takes (never form fields or multipart). A refused request is answered at once (401, 403, 404, 405, 413,
 * 415 as problem+json) and its body is never read: the servlet container drops the connection rather than
 * read a large unread body. What passes on reads its body through a limit that also holds for chunked
 * bodies ({@link GuardedRequest}).
 *
 * <p>Failed logins are logged with the first four characters of the key and counted in
 * {@code gateway_api_auth_failures_total{reason}}. On the actuator, health (status only), its liveness and
 * readiness groups and the Prometheus endpoint are open to probes and scrapers; a viewer's or admin's key
 * shows health details; the other actuator endpoints need one.
 */
public class ApiAccessFilter extends OncePerRequestFilter {

    private static final Logger LOG = LoggerFactory.getLogger(ApiAccessFilter.class);
    /** Request attribute holding the authenticated {@link Caller}. */
    public static final String CALLER = "cn.bazhong.credit.gateway.web.caller";
    /** Request attribute holding the {@link AccessPolicy.Match.Found} the request was let through as. */
    public static final String ENDPOINT = "cn.bazhong.credit.gateway.web.endpoint";

    private final Authenticator authenticator;
    private final AccessPolicy policy = new AccessPolicy();
    private final long feedBodyLimit;
    private final long smallBodyLimit;
    private final Counter missingKey;
    private final Counter unknownKey;

    public ApiAccessFilter(Authenticator authenticator, MeterRegistry registry, long feedBodyLimit, long smallBodyLimit) {
        this.authenticator = authenticator;
        this.feedBodyLimit = feedBodyLimit;
        this.smallBodyLimit = smallBodyLimit;
        this.missingKey = failures(registry, "missing");
        this.unknownKey = failures(registry, "unknown");
    }

    private static Counter failures(MeterRegistry registry, String reason) {
        return Counter.builder("gateway.api.auth.failures").description("API requests refused for missing or unknown credentials")
                .tag("reason", reason).register(registry);
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = path(request);
        return !path.startsWith("/api/") && !path.startsWith("/actuator");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = path(request);
        if (path.startsWith("/actuator")) {
            actuator(request, response, chain, path);
            return;
        }
        Optional<Caller> caller = authenticate(request, path);
        if (caller.isEmpty()) {
            refuse(response, path, new HttpProblem(401, "unauthenticated",
                    "missing or unknown credentials: send Authorization: Bearer <your key>"));
            return;
        }
        AccessPolicy.Match match = policy.match(request.getMethod(), path);
        if (match instanceof AccessPolicy.Match.None) {
            refuse(response, path, new HttpProblem(404, "not-found", "no such endpoint: " + request.getMethod() + " " + shorten(path)));
            return;
        }
        if (match instanceof AccessPolicy.Match.WrongMethod wrong) {
            response.setHeader(HttpHeaders.ALLOW, String.join(", ", wrong.allowed()));
            refuse(response, path, new HttpProblem(405, "method-not-allowed", shorten(path) + " takes " + String.join(", ", wrong.allowed())));
            return;
        }
        AccessPolicy.Match.Found found = (AccessPolicy.Match.Found) match;
        Caller who = caller.get();
        if (!found.endpoint().callers().contains(who.kind())) {
            refuse(response, path, new HttpProblem(403, "forbidden", AccessPolicy.describe(java.util.Set.of(who.kind())) + " may not call "
                    + found.endpoint().method() + " " + found.endpoint().path() + "; it is for " + AccessPolicy.describe(found.endpoint().callers())));
            return;
        }
        if (found.endpoint().ownDepartment() && !who.isDepartment(found.variables().getOrDefault("dept", ""))) {
            refuse(response, path, new HttpProblem(403, "forbidden", "you may only push to the feeds of your own department ("
                    + who.name() + ")"));
            return;
        }
        long limit = found.endpoint().body() == AccessPolicy.Body.FEED ? feedBodyLimit : smallBodyLimit;
        if (request.getContentLengthLong() > limit) {
            refuse(response, path, new HttpProblem(413, "body-too-large", "the request body (" + request.getContentLengthLong()
                    + " bytes) is larger than " + limit + " bytes; split it into several requests").with("limit", limit));
            return;
        }
        String contentType = request.getContentType() == null ? "" : request.getContentType().toLowerCase(Locale.ROOT);
        if (contentType.startsWith("application/x-www-form-urlencoded") || contentType.startsWith("multipart/")) {
            refuse(response, path, new HttpProblem(415, "unsupported-media-type",
                    "the API takes no form fields or multipart bodies: send the document itself with its own Content-Type"));
            return;
        }
        request.setAttribute(CALLER, who);
        request.setAttribute(ENDPOINT, found);
        try (LogContext ignored = LogContext.with(LogContext.DEPARTMENT, who.isDepartment() ? who.name() : null)) {
            chain.doFilter(new GuardedRequest(request, limit, who), response);
        }
    }

    private void actuator(HttpServletRequest request, HttpServletResponse response, FilterChain chain, String path)
            throws ServletException, IOException {
        boolean open = path.equals("/actuator/health") || path.startsWith("/actuator/health/") || path.equals("/actuator/prometheus");
        Optional<Caller> caller = request.getHeader(HttpHeaders.AUTHORIZATION) == null && open
                ? Optional.empty() : authenticate(request, path);
        if (!open && caller.filter(Caller::isOperator).isEmpty()) {
            refuse(response, path, caller.isEmpty()
                    ? new HttpProblem(401, "unauthenticated", "this endpoint needs a viewer's or an admin's key")
                    : new HttpProblem(403, "forbidden", "this endpoint is for viewers and admins"));
            return;
        }
        chain.doFilter(new GuardedRequest(request, smallBodyLimit, caller.orElse(null)), response);
    }

    private Optional<Caller> authenticate(HttpServletRequest request, String path) {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        Optional<Caller> caller = authenticator.authenticate(header);
        if (caller.isEmpty()) {
            String key = Authenticator.bearerKey(header);
            if (key == null) {
                missingKey.increment();
                LOG.warn("authentication failed: no usable Bearer key, {} {} from {}", request.getMethod(), shorten(path), request.getRemoteAddr());
            } else {
                unknownKey.increment();
                LOG.warn("authentication failed: unknown key starting '{}', {} {} from {}", key.substring(0, Math.min(4, key.length())),
                        request.getMethod(), shorten(path), request.getRemoteAddr());
            }
        }
        return caller;
    }

    private static void refuse(HttpServletResponse response, String path, HttpProblem problem) throws IOException {
        // the body stays unread: tell the client the connection ends here, so it stops sending
        response.setHeader(HttpHeaders.CONNECTION, "close");
        ProblemResponses.write(response, problem, shorten(path));
    }

    private static String path(HttpServletRequest request) {
        return request.getRequestURI().substring(request.getContextPath().length());
    }

    private static String shorten(String text) {
        return cn.bazhong.credit.gateway.validation.Text.shorten(text, 200);
    }
}
