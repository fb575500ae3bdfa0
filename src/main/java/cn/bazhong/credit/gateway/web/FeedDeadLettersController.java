package cn.bazhong.credit.gateway.web;

import cn.bazhong.credit.gateway.feeds.FeedDeadLetters;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Operators' view of the messages a department's Kafka feed set aside: {@code GET /api/v1/feeds/{dept}/dead-letters}
 * (viewers and admins), {@code POST /api/v1/feeds/{dept}/dead-letters/{source}/replay} (admins), {@code source}
 * being the message as its receipt names it, {@code <topic>-<partition>-<offset>}, and
 * {@code POST /api/v1/feeds/{dept}/dead-letters/replay?from=&limit=} (admins) for those not replayed yet, a piece at a time.
 */
@RestController
public class FeedDeadLettersController {

    private final FeedDeadLetters deadLetters;

    public FeedDeadLettersController(FeedDeadLetters deadLetters) {
        this.deadLetters = deadLetters;
    }

    @GetMapping("/api/v1/feeds/{dept}/dead-letters")
    public ResponseEntity<byte[]> deadLetters(@PathVariable("dept") String dept) {
        return deadLetters.list(dept).map(Answers::ok).orElseThrow(() -> noKafkaFeed(dept));
    }

    /**
     * 200 with the replay's receipt (also when the dead letter was replayed before: {@code again} is true); 404 when no
     * dead letter keeps the message; 409 when it still cannot be handled (the rule says how), nothing having changed.
     */
    @PostMapping("/api/v1/feeds/{dept}/dead-letters/{source}/replay")
    public ResponseEntity<byte[]> replay(@PathVariable("dept") String dept, @PathVariable("source") String source) {
        FeedDeadLetters.Replay outcome = deadLetters.replay(dept, source);
        if (outcome instanceof FeedDeadLetters.Replay.NotFound notFound) {
            throw new HttpProblem(404, "not-found", notFound.detail());
        }
        if (outcome instanceof FeedDeadLetters.Replay.Refused refused) {
            throw new HttpProblem(409, "replay-refused", refused.detail()).with("rule", refused.rule());
        }
        FeedDeadLetters.Replay.Done done = (FeedDeadLetters.Replay.Done) outcome;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("again", done.again());
        body.put("receipt", done.receipt());
        return Answers.ok(body);
    }

    /**
     * The department's dead letters not replayed yet, in their order from offset {@code from} (default 0), until
     * {@code limit} (default 1,000, at most 10,000) were tried; {@code next} says where to go on from, null at the end.
     */
    @PostMapping("/api/v1/feeds/{dept}/dead-letters/replay")
    public ResponseEntity<byte[]> replayAll(@PathVariable("dept") String dept,
                                            @RequestParam(name = "from", required = false) String from,
                                            @RequestParam(name = "limit", required = false) String limit) {
        long start = WholeNumberParameter.of(from, "from", 0, Long.MAX_VALUE, 0);
        int most = (int) WholeNumberParameter.of(limit, "limit", 1, MAX_REPLAYS, DEFAULT_REPLAYS);
        return deadLetters.replayAll(dept, start, most).map(Answers::ok).orElseThrow(() -> noKafkaFeed(dept));
    }

    static final int DEFAULT_REPLAYS = 1_000;
    static final int MAX_REPLAYS = 10_000;

    private static HttpProblem noKafkaFeed(String dept) {
        return new HttpProblem(404, "not-found", "department " + FeedsController.shorten(dept) + " has no Kafka feed on this gateway");
    }
}
