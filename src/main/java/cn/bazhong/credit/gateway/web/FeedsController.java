package cn.bazhong.credit.gateway.web;

import cn.bazhong.credit.gateway.ingest.FeedPushes;
import cn.bazhong.credit.gateway.ingest.MappingCatalog;
import cn.bazhong.credit.gateway.ingest.PushOutcome;
import cn.bazhong.credit.gateway.ingest.Receipt;
import cn.bazhong.credit.gateway.ingest.ReceiptStore;
import cn.bazhong.credit.gateway.ingest.RecordTraces;
import cn.bazhong.credit.gateway.mapping.MappingDefinition;
import cn.bazhong.credit.gateway.security.Caller;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code POST /api/v1/feeds/{dept}/{feed}}, {@code GET /api/v1/receipts/{id}} and
 * {@code GET /api/v1/records/{recordId}/trace}. A department pushes only to its own feeds (checked by
 * {@link ApiAccessFilter}) and reads only its own receipts and records; operators read all of them. A push
 * is all or nothing ({@link FeedPushes}: one Kafka transaction) and answered with its receipt once its
 * records are durable; a retried push with the same {@code Idempotency-Key} and body gets the same receipt.
 */
@RestController
public class FeedsController {

    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private final MappingCatalog mappings;
    private final FeedPushes pushes;
    private final ReceiptStore receipts;
    private final RecordTraces traces;

    public FeedsController(MappingCatalog mappings, FeedPushes pushes, ReceiptStore receipts, RecordTraces traces) {
        this.mappings = mappings;
        this.pushes = pushes;
        this.receipts = receipts;
        this.traces = traces;
    }

    @PostMapping("/api/v1/feeds/{dept}/{feed}")
    public ResponseEntity<byte[]> push(@PathVariable("dept") String dept, @PathVariable("feed") String feed,
                                       @RequestHeader(name = "Idempotency-Key", required = false) String key,
                                       @RequestAttribute(ApiAccessFilter.CALLER) Caller caller,
                                       HttpServletRequest request) throws IOException {
        String department = caller.departmentCode();
        String mappingId = department.toLowerCase(Locale.ROOT) + "-" + feed;
        MappingDefinition mapping = mappings.get(mappingId);
        if (mapping == null || !mapping.department().equals(department)) {
            throw new HttpProblem(404, "no-such-feed", "department " + department + " has no feed '" + shorten(feed) + "'");
        }
        checkIdempotencyKey(key);
        FeedBodies.checkContentType(request.getContentType(), mapping);
        try (SpooledBody body = SpooledBody.receive(FeedBodies.nonEmpty(request.getInputStream()));
             InputStream in = body.open()) {
            PushOutcome outcome = pushes.push(department, mappingId, key, in);
            return Answers.ok(outcome.receipt());
        }
    }

    @GetMapping("/api/v1/receipts/{id}")
    public ResponseEntity<byte[]> receipt(@PathVariable("id") String id, @RequestAttribute(ApiAccessFilter.CALLER) Caller caller) {
        Receipt receipt = receipts.find(id);
        if (receipt == null || !(caller.isOperator() || caller.isDepartment(receipt.department()))) {
            throw new HttpProblem(404, "not-found", "no receipt " + shorten(id));
        }
        return Answers.ok(receipt);
    }

    @GetMapping("/api/v1/records/{recordId}/trace")
    public ResponseEntity<byte[]> trace(@PathVariable("recordId") String recordId, @RequestAttribute(ApiAccessFilter.CALLER) Caller caller) {
        String department = recordId.contains(":") ? recordId.substring(0, recordId.indexOf(':')) : "";
        List<RecordTraces.Step> steps = traces.find(recordId);
        if (steps == null || !(caller.isOperator() || caller.isDepartment(department))) {
            throw new HttpProblem(404, "not-found", "no trace for record " + shorten(recordId));
        }
        return Answers.ok(Map.of("recordId", recordId, "steps", steps));
    }

    static void checkIdempotencyKey(String key) {
        if (key != null && !IDEMPOTENCY_KEY.matcher(key).matches()) {
            throw new HttpProblem(400, "bad-idempotency-key", "Idempotency-Key must be 1 to 128 letters, digits or . _ : -")
                    .with("field", "Idempotency-Key");
        }
    }

    static String shorten(String text) {
        return cn.bazhong.credit.gateway.validation.Text.shorten(text, 120);
    }
}
