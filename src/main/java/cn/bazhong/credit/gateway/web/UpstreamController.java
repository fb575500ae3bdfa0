package cn.bazhong.credit.gateway.web;

import cn.bazhong.credit.gateway.ingest.FeedIngestor;
import cn.bazhong.credit.gateway.ingest.FeedSource;
import cn.bazhong.credit.gateway.lists.ProvinceListPuller;
import cn.bazhong.credit.gateway.schema.RecordJson;
import cn.bazhong.credit.gateway.upstream.DeadLetters;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The province's side and the operators' view of upstream delivery: {@code POST /api/v1/upstream/list-updates}
 * (the province pushes list updates; nobody else may), {@code GET /api/v1/upstream/dead-letters} (viewers
 * and admins) and {@code POST /api/v1/upstream/dead-letters/{batchId}/replay} (admins).
 */
@RestController
public class UpstreamController {

    private final DeadLetters deadLetters;
    private final FeedIngestor ingestor;

    public UpstreamController(DeadLetters deadLetters, FeedIngestor ingestor) {
        this.deadLetters = deadLetters;
        this.ingestor = ingestor;
    }

    /**
     * Update documents: one, an array, or a page {@code {"updates": [...]}}; taken in like pulled ones and
     * answered with the receipt.
     */
    @PostMapping("/api/v1/upstream/list-updates")
    public ResponseEntity<byte[]> pushListUpdates(HttpServletRequest request) throws IOException {
        JsonNode body = JsonBodies.any(request);
        JsonNode updates = body.isArray() ? body : body.has("updates") ? body.path("updates") : null;
        ByteArrayOutputStream lines = new ByteArrayOutputStream();
        for (JsonNode u : updates == null ? List.of(body) : updates) {
            lines.write(RecordJson.mapper().writeValueAsBytes(u));
            lines.write('\n');
        }
        return Answers.ok(ingestor.ingest(FeedSource.request(ProvinceListPuller.MAPPING, "PUSH-" + UUID.randomUUID()),
                new ByteArrayInputStream(lines.toByteArray())));
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
