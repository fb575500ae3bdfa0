package cn.bazhong.credit.gateway.web;

import cn.bazhong.credit.gateway.ingest.SnapshotExitHolds;
import cn.bazhong.credit.gateway.ingest.SnapshotHoldConflictException;
import cn.bazhong.credit.gateway.ingest.SnapshotHoldNotFoundException;
import cn.bazhong.credit.gateway.security.Caller;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The exits of a full snapshot that the guard held ({@code gateway.lists.snapshot-exit-guard}), and the
 * operator's decision on them: {@code GET /api/v1/lists/snapshot-holds[?all=true]} (viewers, admins),
 * {@code POST /api/v1/lists/snapshot-holds/{holdId}/approve} and {@code …/reject} with
 * {@code {"reason": "..."}} (admins). Approving sends the exits through the pipeline as automatic exits
 * go; rejecting keeps every member listed.
 */
@RestController
public class SnapshotHoldsController {

    private final SnapshotExitHolds holds;

    public SnapshotHoldsController(SnapshotExitHolds holds) {
        this.holds = holds;
    }

    @GetMapping("/api/v1/lists/snapshot-holds")
    public ResponseEntity<byte[]> list(@RequestParam(name = "all", defaultValue = "false") boolean all) {
        return Answers.ok(Map.of("holds", all ? holds.all() : holds.pending()));
    }

    @PostMapping("/api/v1/lists/snapshot-holds/{holdId}/approve")
    public ResponseEntity<byte[]> approve(@PathVariable("holdId") String holdId, @RequestAttribute(ApiAccessFilter.CALLER) Caller caller) {
        return decided(() -> holds.approve(holdId, caller.name()));
    }

    @PostMapping("/api/v1/lists/snapshot-holds/{holdId}/reject")
    public ResponseEntity<byte[]> reject(@PathVariable("holdId") String holdId, @RequestAttribute(ApiAccessFilter.CALLER) Caller caller,
                                         HttpServletRequest request) throws IOException {
        JsonNode body = JsonBodies.optionalObject(request);
        String reason = JsonBodies.text(body, "reason");
        if (reason == null || reason.isBlank()) {
            throw new HttpProblem(400, "missing-field", "say why the exits are rejected: {\"reason\": \"...\"}").with("field", "reason");
        }
        return decided(() -> holds.reject(holdId, caller.name(), reason));
    }

    private static ResponseEntity<byte[]> decided(Supplier<Object> decision) {
        try {
            return Answers.ok(decision.get());
        } catch (SnapshotHoldNotFoundException e) {
            throw new HttpProblem(404, "not-found", e.getMessage());
        } catch (SnapshotHoldConflictException e) {
            throw new HttpProblem(409, "hold-decided", e.getMessage()).with("holdStatus", e.status().name());
        }
    }
}
