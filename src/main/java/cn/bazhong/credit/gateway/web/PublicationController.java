package cn.bazhong.credit.gateway.web;

import cn.bazhong.credit.gateway.publication.PublicationDeadLetters;
import cn.bazhong.credit.gateway.publication.PublicationReplay;
import cn.bazhong.credit.gateway.publication.PublicationSweep;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;

/**
 * Operators' API over the publication channel to the city credit website ({@code /api/v1/publication/...}):
 * viewers list the dead letters, admins replay them, publish again from a point in time and run the 公示期 sweep at once. Answers 503 when
 * publication is off ({@code gateway.publication.enabled=false}).
 */
@RestController
public class PublicationController {

    private final ObjectProvider<PublicationDeadLetters> deadLetters;
    private final ObjectProvider<PublicationSweep> sweep;
    private final ObjectProvider<PublicationReplay> replay;
    private final java.time.Clock clock;

    public PublicationController(ObjectProvider<PublicationDeadLetters> deadLetters, ObjectProvider<PublicationSweep> sweep,
                                 ObjectProvider<PublicationReplay> replay, java.time.Clock clock) {
        this.deadLetters = deadLetters;
        this.sweep = sweep;
        this.replay = replay;
        this.clock = clock;
    }

    /** {@code POST /api/v1/publication/replay?from=2026-11-01T00:00:00Z} (or a date, meaning its start in the gateway's zone). */
    @PostMapping("/api/v1/publication/replay")
    public ResponseEntity<byte[]> replaySince(@RequestParam(name = "from", required = false) String from) {
        PublicationReplay r = on(replay);
        if (from == null || from.isBlank()) {
            throw new HttpProblem(400, "missing-parameter", "say from when: ?from=2026-11-01T00:00:00Z or ?from=2026-11-01").with("field", "from");
        }
        java.time.Instant since;
        try {
            since = from.length() == 10 ? java.time.LocalDate.parse(from).atStartOfDay(clock.getZone()).toInstant() : java.time.Instant.parse(from);
        } catch (java.time.format.DateTimeParseException e) {
            throw new HttpProblem(400, "bad-parameter", "from '" + FeedsController.shorten(from) + "' is neither an ISO instant nor a date")
                    .with("field", "from");
        }
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("from", since);
        body.put("replayed", r.since(since));
        return Answers.json(202, body);
    }

    @GetMapping("/api/v1/publication/dead-letters")
    public ResponseEntity<byte[]> deadLetters() {
        return Answers.ok(Map.of("deadLetters", on(deadLetters).list()));
    }

    @PostMapping("/api/v1/publication/dead-letters/replay")
    public ResponseEntity<byte[]> replay() {
        return Answers.json(202, Map.of("replayed", on(deadLetters).replay()));
    }

    @PostMapping("/api/v1/publication/sweep")
    public ResponseEntity<byte[]> sweep() {
        return Answers.ok(Map.of("withdrawn", on(sweep).sweep()));
    }

    private static <T> T on(ObjectProvider<T> bean) {
        T t = bean.getIfAvailable();
        if (t == null) {
            throw new HttpProblem(503, "publication-off", "publication to the city credit website is off (gateway.publication.enabled=false)");
        }
        return t;
    }
}
