package cn.bazhong.credit.simulators.province;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code POST /exchange/v1/batches}. In order: simulated failure (not processed), bearer token (401),
 * body (400, 413), batch id seen before (stored answer, or 409), then one result per record. Every
 * answer is held back by the configured delay. Record data is never logged.
 */
final class BatchEndpoint implements HttpHandler {

    static final String PATH = "/exchange/v1/batches";

    private static final Logger LOG = LoggerFactory.getLogger(BatchEndpoint.class);
    private static final int MAX_BODY_BYTES = 32 * 1024 * 1024;

    private final ProvincialSimulator.Settings settings;
    private final Faults faults;
    private final BatchLedger ledger;
    private final ScheduledExecutorService delayer;
    private final AtomicInteger requests = new AtomicInteger();
    /** The last {@value #KEPT_REQUESTS} requests that passed the token check, oldest first. */
    private final java.util.Deque<ReceivedRequest> received = new java.util.ArrayDeque<>();
    static final int KEPT_REQUESTS = 1000;

    BatchEndpoint(ProvincialSimulator.Settings settings, Faults faults, BatchLedger ledger, ScheduledExecutorService delayer) {
        this.settings = settings;
        this.faults = faults;
        this.ledger = ledger;
        this.delayer = delayer;
    }

    int requests() {
        return requests.get();
    }

    void resetRequests() {
        requests.set(0);
        synchronized (received) {
            received.clear();
        }
    }

    List<ReceivedRequest> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    private void keep(HttpExchange exchange, byte[] body) {
        Map<String, String> headers = new java.util.HashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!"authorization".equalsIgnoreCase(name) && !values.isEmpty()) {
                headers.put(name.toLowerCase(java.util.Locale.ROOT), values.get(0));
            }
        });
        synchronized (received) {
            received.addLast(new ReceivedRequest(headers, body, Instant.now()));
            if (received.size() > KEPT_REQUESTS) {
                received.removeFirst();
            }
        }
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        Answer answer;
        try {
            answer = answer(exchange);
        } catch (RuntimeException | IOException e) {
            LOG.error("batch request failed inside the simulator", e);
            answer = Answer.error(500, "simulator error: " + e);
        }
        Duration delay = faults.delay();
        if (delay.isZero() || !"POST".equals(exchange.getRequestMethod())) {
            answer.send(exchange);
            return;
        }
        Answer delayed = answer;
        try {
            delayer.schedule(() -> sendQuietly(exchange, delayed), delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            exchange.close(); // the simulator is closing
        }
    }

    private Answer answer(HttpExchange exchange) throws IOException {
        if (!PATH.equals(exchange.getRequestURI().getPath())) {
            return Answer.error(404, "no such resource: " + exchange.getRequestURI().getPath());
        }
        if (!"POST".equals(exchange.getRequestMethod())) {
            return Requests.methodNotAllowed("POST");
        }
        requests.incrementAndGet();
        Optional<Faults.Failure> failure = faults.takeFailure();
        if (failure.isPresent()) {
            Faults.Failure f = failure.get();
            LOG.info("batch request answered {} by a simulated fault: {}", f.status(), f.reason());
            Answer failed = Answer.error(f.status(), f.reason());
            return f.retryAfter() == null ? failed
                    : failed.withHeader("Retry-After", Long.toString(Faults.retryAfterSeconds(f.retryAfter())));
        }
        if (!Requests.hasBearer(exchange, settings.token())) {
            LOG.info("batch request refused 401: missing or wrong bearer token");
            return Requests.unauthorized();
        }
        byte[] body = Requests.body(exchange, MAX_BODY_BYTES);
        if (body == null) {
            return Answer.error(413, "body is larger than " + MAX_BODY_BYTES + " bytes; split the batch");
        }
        keep(exchange, body);
        Object parsed;
        BatchDocument batch;
        try {
            parsed = Json.parse(body);
            batch = BatchDocument.read(parsed, exchange.getRequestHeaders().getFirst("Idempotency-Key"), settings.maxBatchRecords());
        } catch (Json.MalformedJson e) {
            LOG.info("batch request refused 400: body is not valid JSON");
            return Answer.error(400, "body is not valid JSON: " + e.getMessage());
        } catch (BatchDocument.Refused e) {
            LOG.info("batch request refused {}: {}", e.status, e.getMessage());
            return Answer.error(e.status, e.getMessage());
        }
        BatchLedger.Offer offer = ledger.offer(batch.batchId(), Json.canonicalHash(parsed), () -> process(batch));
        return switch (offer.seen()) {
            case FIRST_TIME -> Answer.raw(200, offer.answer());
            case SAME_CONTENT -> {
                LOG.info("batch {} resent with the same content: the first answer is repeated", batch.batchId());
                yield Answer.raw(200, offer.answer());
            }
            case DIFFERENT_CONTENT -> {
                LOG.warn("batch {} resent with different content: 409", batch.batchId());
                yield Answer.error(409, "batchId " + batch.batchId() + " was already received with different content");
            }
        };
    }

    private BatchLedger.Processed process(BatchDocument batch) {
        Instant at = Instant.now();
        List<Map<String, Object>> results = new ArrayList<>(batch.records().size());
        List<ReceivedRecord> accepted = new ArrayList<>();
        for (BatchDocument.Entry entry : batch.records()) {
            Optional<RecordChecks.Rejection> rejection = RecordChecks.check(batch.dataset(), entry.operation(), entry.data())
                    .or(() -> faults.rejectionFor(entry.recordId()));
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("recordId", entry.recordId());
            if (rejection.isPresent()) {
                result.put("status", "REJECTED");
                result.put("code", rejection.get().code());
                result.put("message", rejection.get().message());
            } else {
                result.put("status", "ACCEPTED");
                result.put("code", "OK");
                result.put("message", "accepted");
                accepted.add(new ReceivedRecord(batch.batchId(), batch.dataset(), entry.recordId(), entry.version(),
                        entry.operation(), entry.data(), at));
            }
            results.add(result);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("batchId", batch.batchId());
        answer.put("results", results);
        LOG.info("batch {} received: dataset {}, {} records, {} accepted, {} rejected",
                batch.batchId(), batch.dataset(), batch.records().size(), accepted.size(), batch.records().size() - accepted.size());
        return new BatchLedger.Processed(Json.write(answer),
                new ReceivedBatch(batch.batchId(), batch.dataset(), batch.sourceUnit(), batch.records().size(), at), accepted);
    }

    private static void sendQuietly(HttpExchange exchange, Answer answer) {
        try {
            answer.send(exchange);
        } catch (IOException | RuntimeException e) {
            LOG.debug("a delayed batch answer could not be sent: {}", e.toString());
        }
    }
}
