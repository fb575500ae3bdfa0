package cn.bazhong.credit.gateway.web;

import cn.bazhong.credit.gateway.crypto.Sm2BodySignature;
import cn.bazhong.credit.gateway.ingest.FeedPushes;
import cn.bazhong.credit.gateway.ingest.PushOutcome;
import cn.bazhong.credit.gateway.lists.ListUpdateSignatures;
import cn.bazhong.credit.gateway.lists.ProvinceListPuller;
import cn.bazhong.credit.gateway.security.Caller;
import cn.bazhong.credit.gateway.upstream.DeadLetters;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * The province's side and the operators' view of upstream delivery: {@code POST /api/v1/upstream/list-updates}
 * (the province pushes list updates; nobody else may), {@code GET /api/v1/upstream/dead-letters} (viewers
 * and admins) and {@code POST /api/v1/upstream/dead-letters/{batchId}/replay} (admins).
 */
@RestController
public class UpstreamController {

    private final DeadLetters deadLetters;
    private final FeedPushes pushes;
    private final ListUpdateSignatures signatures;

    public UpstreamController(DeadLetters deadLetters, FeedPushes pushes, ListUpdateSignatures signatures) {
        this.deadLetters = deadLetters;
        this.pushes = pushes;
        this.signatures = signatures;
    }

    /**
     * Update documents: one, an array, or a page {@code {"updates": [...]}}; taken in like pulled ones, all
     * or nothing, and answered with the receipt. {@code Idempotency-Key} works as on the department feeds.
     * When the province's SM2 key is configured, a body without a good {@code X-Signature-SM2} of its exact
     * bytes is refused (401, rule {@code sm2-signature-missing | sm2-signature-key | sm2-signature-invalid})
     * before any of it is read as updates.
     */
    @PostMapping("/api/v1/upstream/list-updates")
    public ResponseEntity<byte[]> pushListUpdates(@RequestHeader(name = "Idempotency-Key", required = false) String key,
                                                  HttpServletRequest request) throws IOException {
        FeedsController.checkIdempotencyKey(key);
        try (SpooledBody body = SpooledBody.receive(FeedBodies.nonEmpty(request.getInputStream()));
             InputStream in = body.open()) {
            if (signatures.required()) {
                try (InputStream signed = body.open()) {
                    signatures.check(signed, request.getHeader(Sm2BodySignature.SIGNATURE_HEADER), request.getHeader(Sm2BodySignature.KEY_HEADER))
                            .ifPresent(refusal -> {
                                throw new HttpProblem(401, "signature", refusal.detail()).with("rule", refusal.rule());
                            });
                }
            }
            PushOutcome outcome = pushes.push(Caller.PROVINCE_NAME, ProvinceListPuller.MAPPING, key, in);
            return Answers.ok(outcome.receipt());
        }
    }

    @GetMapping("/api/v1/upstream/dead-letters")
    public ResponseEntity<byte[]> deadLetters() {
        return Answers.ok(Map.of("deadLetters", deadLetters.list()));
    }

    @PostMapping("/api/v1/upstream/dead-letters/{batchId}/replay")
    public ResponseEntity<byte[]> replay(@PathVariable("batchId") String batchId) {
        if (!deadLetters.replay(batchId)) {
            throw new HttpProblem(404, "not-found", "no dead letter with batch id " + FeedsController.shorten(batchId));
        }
        return Answers.json(202, Map.of("batchId", batchId, "status", "put back for delivery"));
    }
}
