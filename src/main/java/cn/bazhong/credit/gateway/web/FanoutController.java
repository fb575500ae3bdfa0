package cn.bazhong.credit.gateway.web;

import cn.bazhong.credit.gateway.fanout.FanoutOperations;
import cn.bazhong.credit.gateway.lists.ExpirySweep;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.Supplier;

/**
 * Operators' API over the department fan-out ({@code /api/v1/fanout/...}) and the list expiry sweep:
 * viewers read, admins enable, replay and sweep. Answers 503 on a node that runs without fan-out.
 */
@RestController
public class FanoutController {

    private final ObjectProvider<FanoutOperations> fanout;
    private final ExpirySweep expirySweep;
    private final Clock clock;

    public FanoutController(ObjectProvider<FanoutOperations> fanout, ExpirySweep expirySweep, Clock clock) {
        this.fanout = fanout;
        this.expirySweep = expirySweep;
        this.clock = clock;
    }

    @GetMapping("/api/v1/fanout/departments")
    public ResponseEntity<byte[]> departments() {
        return Answers.ok(Map.of("departments", operations().departments()));
    }

    @PostMapping("/api/v1/fanout/departments/{dept}/enable")
    public ResponseEntity<byte[]> enable(@PathVariable("dept") String dept) {
        String code = dept.toUpperCase(Locale.ROOT);
        FanoutOperations ops = operations();
        boolean was = known(() -> ops.enable(code));
        return Answers.ok(Map.of("department", code, "status", was ? "enabled again: delivery resumes" : "was not disabled"));
    }

    @GetMapping("/api/v1/fanout/departments/{dept}/dead-letters")
    public ResponseEntity<byte[]> deadLetters(@PathVariable("dept") String dept) {
        String code = dept.toUpperCase(Locale.ROOT);
        FanoutOperations ops = operations();
        return Answers.ok(Map.of("department", code, "deadLetters", known(() -> ops.deadLetters(code))));
    }

    @PostMapping("/api/v1/fanout/departments/{dept}/dead-letters/replay")
    public ResponseEntity<byte[]> replayDeadLetters(@PathVariable("dept") String dept) {
        return replay(dept, null);
    }

    @PostMapping("/api/v1/fanout/departments/{dept}/dead-letters/{eventId}/replay")
    public ResponseEntity<byte[]> replayDeadLetter(@PathVariable("dept") String dept, @PathVariable("eventId") String eventId) {
        return replay(dept, eventId);
    }

    private ResponseEntity<byte[]> replay(String dept, String eventId) {
        String code = dept.toUpperCase(Locale.ROOT);
        FanoutOperations ops = operations();
        int n = known(() -> ops.replayDeadLetters(code, eventId));
        if (eventId != null && n == 0) {
            throw new HttpProblem(404, "not-found", "no dead letter of " + code + " has event id " + FeedsController.shorten(eventId));
        }
        return Answers.json(202, Map.of("department", code, "replayed", n));
    }

    /** {@code POST .../{dept}/replay?from=2026-11-01T00:00:00Z} (or a date, meaning its start in the gateway's zone). */
    @PostMapping("/api/v1/fanout/departments/{dept}/replay")
    public ResponseEntity<byte[]> replaySince(@PathVariable("dept") String dept, @RequestParam(name = "from", required = false) String from) {
        String code = dept.toUpperCase(Locale.ROOT);
        FanoutOperations ops = operations();
        if (from == null || from.isBlank()) {
            throw new HttpProblem(400, "missing-parameter", "say from when: ?from=2026-11-01T00:00:00Z or ?from=2026-11-01").with("field", "from");
        }
        Instant since;
        try {
            since = from.length() == 10 ? LocalDate.parse(from).atStartOfDay(clock.getZone()).toInstant() : Instant.parse(from);
        } catch (DateTimeParseException e) {
            throw new HttpProblem(400, "bad-parameter", "from '" + FeedsController.shorten(from) + "' is neither an ISO instant nor a date")
                    .with("field", "from");
        }
        int n = known(() -> ops.replaySince(code, since));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("department", code);
        body.put("from", since);
        body.put("replayed", n);
        return Answers.json(202, body);
    }

    @GetMapping("/api/v1/fanout/events/{eventId}")
    public ResponseEntity<byte[]> deliveries(@PathVariable("eventId") String eventId) {
        return Answers.ok(Map.of("eventId", eventId, "departments", operations().deliveries(eventId)));
    }

    @PostMapping("/api/v1/lists/expiry-sweep")
    public ResponseEntity<byte[]> sweepExpired() {
        return Answers.ok(Map.of("exited", expirySweep.sweep()));
    }

    private FanoutOperations operations() {
        FanoutOperations ops = fanout.getIfAvailable();
        if (ops == null) {
            throw new HttpProblem(503, "fanout-off", "the fan-out is off on this node (gateway.fanout.enabled=false); ask another node");
        }
        return ops;
    }

    private static <T> T known(Supplier<T> call) {
        try {
            return call.get();
        } catch (NoSuchElementException e) {
            throw new HttpProblem(404, "not-found", e.getMessage());
        }
    }
}
