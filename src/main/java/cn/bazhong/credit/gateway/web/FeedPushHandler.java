package cn.bazhong.credit.gateway.web;

import cn.bazhong.credit.gateway.feeds.MappingCatalog;
import cn.bazhong.credit.gateway.ingest.BodyTooLargeException;
import cn.bazhong.credit.gateway.ingest.FeedPushes;
import cn.bazhong.credit.gateway.ingest.IdempotencyKeyBusy;
import cn.bazhong.credit.gateway.ingest.IdempotencyKeyReused;
import cn.bazhong.credit.gateway.ingest.PushCapacityExhausted;
import cn.bazhong.credit.gateway.ingest.PushOutcome;
import cn.bazhong.credit.gateway.ingest.Receipt;
import cn.bazhong.credit.gateway.ingest.ReceiptStore;
import cn.bazhong.credit.gateway.ingest.RecordTraces;
import cn.bazhong.credit.gateway.mapping.MappingDefinition;
import cn.bazhong.credit.gateway.security.Authenticator;
import cn.bazhong.credit.gateway.security.Caller;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code POST /api/v1/feeds/{dept}/{feed}}, {@code GET /api/v1/receipts/{id}} and
 * {@code GET /api/v1/records/{recordId}/trace}. A department may only push to its own feeds and
 * read its own receipts and records. A push is answered with its receipt once its records are
 * durable (all or nothing, see {@link FeedPushes}); a retried push with the same {@code Idempotency-Key}
 * and body gets the same receipt, the same key with another body 422.
 */
public class FeedPushHandler {

    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private final Authenticator authenticator;
    private final MappingCatalog mappings;
    private final FeedPushes pushes;
    private final ReceiptStore receipts;
    private final RecordTraces traces;
    private final long maxBodyBytes;

    public FeedPushHandler(Authenticator authenticator, MappingCatalog mappings, FeedPushes pushes,
                           ReceiptStore receipts, RecordTraces traces, long maxBodyBytes) {
        this.authenticator = authenticator;
        this.mappings = mappings;
        this.pushes = pushes;
        this.receipts = receipts;
        this.traces = traces;
        this.maxBodyBytes = maxBodyBytes;
    }

    public void push(Exchange exchange) {
        Message in = exchange.getIn();
        String department = in.getHeader("dept", String.class).toUpperCase(Locale.ROOT);
        String feed = in.getHeader("feed", String.class);
        Caller caller = caller(in);
        if (!caller.mayActFor(department)) {
            throw new HttpProblem(403, "you may only push to the feeds of your own department");
        }
        String mappingId = department.toLowerCase(Locale.ROOT) + "-" + feed;
        MappingDefinition mapping = mappings.get(mappingId);
        if (mapping == null || !mapping.department().equals(department)) {
            throw new HttpProblem(404, "department " + department + " has no feed '" + feed + "'");
        }
        Long length = in.getHeader("Content-Length", Long.class);
        if (length != null && length > maxBodyBytes) {
            throw new HttpProblem(413, "the request body is larger than " + maxBodyBytes + " bytes; split it into several requests");
        }
        String key = in.getHeader("Idempotency-Key", String.class);
        if (key != null && !IDEMPOTENCY_KEY.matcher(key).matches()) {
            throw new HttpProblem(400, "Idempotency-Key must be 1 to 128 letters, digits or . _ : -");
        }
        PushOutcome outcome;
        try (InputStream body = new LimitedInputStream(in.getBody(InputStream.class), maxBodyBytes)) {
            outcome = pushes.push(department, mappingId, key, body);
        } catch (java.io.IOException e) {
            throw new HttpProblem(400, "the request body could not be read: " + e.getMessage());
        } catch (RuntimeException e) {
            throw problem(e, maxBodyBytes);
        }
        respond(exchange, 200, outcome.receipt());
    }

    /** The HTTP answer to a push that failed (nothing of it was taken). */
    static RuntimeException problem(RuntimeException e, long maxBodyBytes) {
        if (e instanceof IdempotencyKeyReused) {
            return new HttpProblem(422, e.getMessage());
        }
        if (e instanceof IdempotencyKeyBusy busy) {
            return new HttpProblem(409, e.getMessage(), (int) Math.max(1, busy.retryAfter().toSeconds()));
        }
        if (e instanceof PushCapacityExhausted full) {
            return new HttpProblem(503, e.getMessage(), (int) Math.max(1, full.retryAfter().toSeconds()));
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof HttpProblem p) {
                return p; // the body's size limit
            }
            if (t instanceof BodyTooLargeException) {
                return new HttpProblem(413, "the request body is larger than " + maxBodyBytes + " bytes; split it into several requests");
            }
        }
        return e;
    }

    public void receipt(Exchange exchange) {
        Caller caller = caller(exchange.getIn());
        String id = pathParam(exchange.getIn(), "id");
        Receipt receipt = receipts.find(id);
        if (receipt == null || !caller.mayActFor(receipt.department())) {
            throw new HttpProblem(404, "no receipt " + id);
        }
        respond(exchange, 200, receipt);
    }

    public void trace(Exchange exchange) {
        Caller caller = caller(exchange.getIn());
        String recordId = pathParam(exchange.getIn(), "recordId");
        String department = recordId.contains(":") ? recordId.substring(0, recordId.indexOf(':')) : "";
        List<RecordTraces.Step> steps = traces.find(recordId);
        if (steps == null || !caller.mayActFor(department)) {
            throw new HttpProblem(404, "no trace for record " + recordId);
        }
        respond(exchange, 200, Map.of("recordId", recordId, "steps", steps));
    }

    private Caller caller(Message in) {
        return ApiExchanges.caller(authenticator, in);
    }

    private static String pathParam(Message in, String name) {
        return ApiExchanges.pathParam(in, name);
    }

    private static void respond(Exchange exchange, int status, Object body) {
        ApiExchanges.respond(exchange, status, body);
    }
}
