package cn.bazhong.credit.gateway.web;

import cn.bazhong.credit.gateway.ingest.BodyTooLargeException;
import cn.bazhong.credit.gateway.ingest.IdempotencyKeyBusy;
import cn.bazhong.credit.gateway.ingest.IdempotencyKeyReused;
import cn.bazhong.credit.gateway.ingest.PushCapacityExhausted;
import cn.bazhong.credit.gateway.ingest.RecordPublisher;
import cn.bazhong.credit.gateway.infra.logging.LogText;
import cn.bazhong.credit.gateway.mapping.source.InputUnusableException;
import cn.bazhong.credit.gateway.schema.RecordJson;
import com.fasterxml.jackson.core.JsonProcessingException;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one place that turns a failure into the HTTP answer: an RFC 9457 {@code application/problem+json}
 * body ({@code type}, {@code title}, {@code status}, {@code detail}, {@code instance}, and where known
 * {@code field}, {@code position}, {@code rule}). The caller's mistakes are 4xx and say what to change;
 * only faults of the gateway are 5xx, and only those ask the caller to send again later.
 */
public final class ProblemResponses {

    private static final Logger LOG = LoggerFactory.getLogger(ProblemResponses.class);
    public static final MediaType PROBLEM_JSON = new MediaType("application", "problem+json", StandardCharsets.UTF_8);
    /** Prefix of every problem type: {@code urn:credit-gateway:problem:<kind>} (docs/api.md, "Errors"). */
    public static final String TYPE_PREFIX = "urn:credit-gateway:problem:";

    private ProblemResponses() {
    }

    /** What a failure means for the caller. Logs the gateway's own faults (never request bodies). */
    public static HttpProblem problemOf(Throwable failure) {
        if (failure instanceof HttpProblem p) {
            return p;
        }
        BodyTooLargeException tooLarge = causeOf(failure, BodyTooLargeException.class);
        if (tooLarge != null) {
            return new HttpProblem(413, "body-too-large", tooLarge.getMessage()).with("limit", tooLarge.limit());
        }
        RequestBodyBroken broken = causeOf(failure, RequestBodyBroken.class);
        if (broken != null) {
            return new HttpProblem(400, "body-incomplete", "the request body broke off before its end; nothing of it was accepted");
        }
        if (failure instanceof IdempotencyKeyReused reused) {
            return new HttpProblem(422, "idempotency-key-reused", reused.getMessage()).with("field", "Idempotency-Key");
        }
        if (failure instanceof IdempotencyKeyBusy busy) {
            return new HttpProblem(409, "idempotency-key-busy", busy.getMessage(), seconds(busy.retryAfter()));
        }
        if (failure instanceof PushCapacityExhausted full) {
            return new HttpProblem(503, "push-capacity", full.getMessage(), seconds(full.retryAfter()));
        }
        cn.bazhong.credit.gateway.lists.ListViewFilling filling = causeOf(failure, cn.bazhong.credit.gateway.lists.ListViewFilling.class);
        if (filling != null) {
            return new HttpProblem(503, "list-view-filling", filling.getMessage(), cn.bazhong.credit.gateway.lists.ListViewFilling.RETRY_AFTER_SECONDS);
        }
        InputUnusableException unusable = causeOf(failure, InputUnusableException.class);
        if (unusable != null) {
            String position = unusable.position() == null ? null : unusable.position().toString();
            return new HttpProblem(400, "input-unusable", unusable.getMessage())
                    .with("rule", unusable.rule() == null ? null : unusable.rule().code()).with("position", position);
        }
        com.fasterxml.jackson.core.JsonProcessingException json = causeOf(failure, com.fasterxml.jackson.core.JsonProcessingException.class);
        if (json != null) {
            com.fasterxml.jackson.core.JsonLocation at = json.getLocation();
            String position = at == null ? null : "line " + at.getLineNr() + ", column " + at.getColumnNr();
            return new HttpProblem(400, "syntax", "the body is not JSON" + (position == null ? "" : " (" + position + ")") + ": "
                    + json.getOriginalMessage()).with("position", position).with("rule", "syntax");
        }
        if (causeOf(failure, com.hazelcast.splitbrainprotection.SplitBrainProtectionException.class) != null) {
            // gateway.hazelcast.minimum-cluster-size: this side of a split sees too few members and refuses writes
            LOG.warn("request refused on the minority side of a split: {}", failure.getMessage());
            return new HttpProblem(503, "minority-side", "this node sees too few members of the gateway's cluster and takes no writes; "
                    + "nothing was accepted: send to another node, or again once the cluster is whole", 10);
        }
        if (causeOf(failure, RecordPublisher.NotDurableException.class) != null) {
            LOG.warn("request failed, records not durable: {}", failure.getMessage());
            return new HttpProblem(503, "not-durable", "the records could not be stored durably; nothing was accepted, send again later", 10);
        }
        if (failure instanceof ErrorResponse spring) {
            int status = spring.getStatusCode().value();
            String detail = spring.getBody().getDetail();
            return new HttpProblem(status, detail == null ? "the request was refused (" + status + ")" : detail);
        }
        LOG.error("request failed", failure);
        return new HttpProblem(500, "internal", "internal error of the gateway; nothing was accepted, send again later", 30);
    }

    /** The answer for a controller. */
    public static ResponseEntity<byte[]> entity(HttpProblem p, String instance) {
        ResponseEntity.BodyBuilder b = ResponseEntity.status(p.status()).contentType(PROBLEM_JSON);
        headers(p).forEach(b::header);
        return b.body(body(p, instance));
    }

    /** Writes the answer straight to the response (for filters, which run before any controller). */
    public static void write(HttpServletResponse response, HttpProblem p, String instance) throws IOException {
        response.setStatus(p.status());
        response.setContentType(PROBLEM_JSON.toString());
        headers(p).forEach(response::setHeader);
        response.getOutputStream().write(body(p, instance));
    }

    private static Map<String, String> headers(HttpProblem p) {
        Map<String, String> h = new LinkedHashMap<>();
        if (p.retryAfterSeconds() != null) {
            h.put(HttpHeaders.RETRY_AFTER, p.retryAfterSeconds().toString());
        }
        if (p.status() == 401) {
            h.put(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        }
        return h;
    }

    static byte[] body(HttpProblem p, String instance) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", TYPE_PREFIX + p.kind());
        body.put("title", title(p.status()));
        body.put("status", p.status());
        // a detail may quote what the caller sent: never a full personal ID number in an answer either
        body.put("detail", LogText.maskIdNumbers(p.getMessage() == null ? "" : p.getMessage()));
        body.put("instance", instance);
        p.details().forEach(body::putIfAbsent);
        try {
            return RecordJson.mapper().writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a problem could not be written as JSON", e);
        }
    }

    private static String title(int status) {
        org.springframework.http.HttpStatus s = org.springframework.http.HttpStatus.resolve(status);
        return s == null ? "Error " + status : s.getReasonPhrase();
    }

    private static int seconds(java.time.Duration d) {
        return (int) Math.max(1, d.toSeconds());
    }

    static <T extends Throwable> T causeOf(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return null;
    }
}
