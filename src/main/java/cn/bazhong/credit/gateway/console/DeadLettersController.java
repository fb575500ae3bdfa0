package cn.bazhong.credit.gateway.console;

import cn.bazhong.credit.gateway.fanout.FanoutDeadLetters;
import cn.bazhong.credit.gateway.feeds.FeedDeadLetters;
import cn.bazhong.credit.gateway.validation.Text;
import cn.bazhong.credit.gateway.fanout.FanoutOperations;
import cn.bazhong.credit.gateway.upstream.DeadLetters;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.util.UriUtils;

import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * 死信: the batches the province did not take ({@link DeadLetters}, as {@code GET /api/v1/upstream/dead-letters}),
 * one department's fan-out dead letters ({@link FanoutOperations}) and the messages a department's Kafka feed set
 * aside ({@link FeedDeadLetters}); an admin replays one batch, all of a department's fan-out letters, or one
 * message, after a confirmation page.
 */
@Controller
public class DeadLettersController {

    private final DeadLetters deadLetters;
    private final FeedDeadLetters feedDeadLetters;
    private final ObjectProvider<FanoutOperations> fanout;
    private final ConsoleAudit audit;
    private final ConsoleSettings settings;

    public DeadLettersController(DeadLetters deadLetters, FeedDeadLetters feedDeadLetters, ObjectProvider<FanoutOperations> fanout,
                                 ConsoleAudit audit, ConsoleSettings settings) {
        this.deadLetters = deadLetters;
        this.feedDeadLetters = feedDeadLetters;
        this.fanout = fanout;
        this.audit = audit;
        this.settings = settings;
    }

    @GetMapping("/console/dead-letters")
    public String list(@RequestParam(name = "page", defaultValue = "1") int page,
                       @RequestParam(name = "dept", required = false) String dept,
                       @RequestParam(name = "fanoutPage", defaultValue = "1") int fanoutPage,
                       @RequestParam(name = "feedDept", required = false) String feedDept,
                       @RequestParam(name = "feedPage", defaultValue = "1") int feedPage, Model model) {
        List<DeadLetters.Entry> upstream = deadLetters.list().stream()
                .sorted(Comparator.comparing(DeadLetters.Entry::at, Comparator.nullsLast(Comparator.reverseOrder()))).toList();
        model.addAttribute("upstream", Paged.of(upstream, page, settings.pageSize()));
        FanoutOperations ops = fanout.getIfAvailable();
        model.addAttribute("fanoutOn", ops != null);
        if (ops != null) {
            List<String> departments = ops.departments().stream().map(d -> String.valueOf(d.get("department"))).toList();
            model.addAttribute("departments", departments);
            String chosen = dept == null || dept.isBlank() ? null : dept.toUpperCase(Locale.ROOT);
            model.addAttribute("dept", chosen);
            if (chosen != null && departments.contains(chosen)) {
                List<FanoutDeadLetters.Entry> letters = ops.deadLetters(chosen).stream()
                        .sorted(Comparator.comparing(FanoutDeadLetters.Entry::at, Comparator.nullsLast(Comparator.reverseOrder()))).toList();
                model.addAttribute("fanoutLetters", Paged.of(letters, fanoutPage, settings.pageSize()));
            }
        }
        List<String> feedDepartments = feedDeadLetters.departments();
        model.addAttribute("feedDepartments", feedDepartments);
        // with one Kafka department (the usual case) its messages show at once
        String feedChosen = feedDept == null || feedDept.isBlank() ? (feedDepartments.isEmpty() ? null : feedDepartments.get(0)) : feedDept;
        model.addAttribute("feedDept", feedChosen);
        feedDeadLetters.list(feedChosen == null ? "" : feedChosen).ifPresent(listing -> {
            model.addAttribute("feedLetters", Paged.of(listing.deadLetters(), feedPage, settings.pageSize()));
            // what still waits among the newest the list holds: the operator's to-do at a glance
            model.addAttribute("feedWaiting", listing.deadLetters().stream().filter(e -> e.replayReceiptId() == null).count());
            model.addAttribute("feedListed", listing.deadLetters().size());
        });
        return "console/dead-letters";
    }

    /** Replaying a department's dead letters not replayed yet, a thousand at a time from offset {@code from}. */
    @GetMapping("/console/dead-letters/feeds/{dept}/replay")
    public String confirmFeedAll(@PathVariable("dept") String dept, @RequestParam(name = "from", defaultValue = "0") long from,
                                 Model model, HttpServletResponse response) {
        if (!feedDeadLetters.departments().contains(dept) || from < 0) {
            response.setStatus(404);
            model.addAttribute("missing", dept);
            return "console/confirm";
        }
        model.addAttribute("kind", "feedAll");
        model.addAttribute("dept", dept);
        model.addAttribute("from", from);
        model.addAttribute("most", FEED_REPLAYS_AT_ONCE);
        model.addAttribute("action", "/console/dead-letters/feeds/" + encoded(dept) + "/replay");
        return "console/confirm";
    }

    @PostMapping("/console/dead-letters/feeds/{dept}/replay")
    public String replayFeedAll(@PathVariable("dept") String dept, @RequestParam(name = "from", defaultValue = "0") long from,
                                HttpServletRequest request) {
        Optional<FeedDeadLetters.Replays> done = from < 0 ? Optional.empty() : feedDeadLetters.replayAll(dept, from, FEED_REPLAYS_AT_ONCE);
        audit.action(ConsoleModel.session(request).caller(), "POST /console/dead-letters/feeds/{dept}/replay",
                "dept=" + Text.shorten(dept, 64) + " from=" + from, done.isPresent() ? 200 : 404);
        String back = "redirect:/console/dead-letters?feedDept=" + queryValue(dept);
        if (done.isEmpty()) {
            return back + "&missing=" + queryValue(dept);
        }
        FeedDeadLetters.Replays r = done.get();
        return back + "&feedBatch=" + r.replayed() + "," + r.replayedBefore() + "," + r.refused().values().stream().mapToInt(Integer::intValue).sum()
                + (r.next() == null ? "" : "&feedNext=" + r.next());
    }

    /** How many dead letters one replay of a department's from the console tries at most. */
    static final int FEED_REPLAYS_AT_ONCE = 1_000;

    @GetMapping("/console/dead-letters/feeds/{dept}/{source}/replay")
    public String confirmFeed(@PathVariable("dept") String dept, @PathVariable("source") String source, Model model,
                              HttpServletResponse response) {
        Optional<FeedDeadLetters.Entry> letter = feedDeadLetters.find(dept, source);
        if (letter.isEmpty()) {
            response.setStatus(404);
            model.addAttribute("missing", source);
            return "console/confirm";
        }
        model.addAttribute("kind", "feed");
        model.addAttribute("dept", dept);
        model.addAttribute("letter", letter.get());
        model.addAttribute("action", "/console/dead-letters/feeds/" + encoded(dept) + "/" + encoded(source) + "/replay");
        return "console/confirm";
    }

    @PostMapping("/console/dead-letters/feeds/{dept}/{source}/replay")
    public String replayFeed(@PathVariable("dept") String dept, @PathVariable("source") String source, HttpServletRequest request) {
        FeedDeadLetters.Replay outcome = feedDeadLetters.replay(dept, source);
        int status = outcome instanceof FeedDeadLetters.Replay.Done ? 200 : outcome instanceof FeedDeadLetters.Replay.NotFound ? 404 : 409;
        audit.action(ConsoleModel.session(request).caller(), "POST /console/dead-letters/feeds/{dept}/{source}/replay",
                "dept=" + Text.shorten(dept, 64) + " source=" + Text.shorten(source, 200), status);
        String back = "redirect:/console/dead-letters?feedDept=" + queryValue(dept);
        if (outcome instanceof FeedDeadLetters.Replay.Done done) {
            return back + "&feedReplayed=" + queryValue(done.receipt().receiptId());
        }
        if (outcome instanceof FeedDeadLetters.Replay.Refused refused) {
            // shortened: the reason travels in the redirect's Location header
            return back + "&feedRefused=" + queryValue(source) + "&why="
                    + queryValue(Text.shorten(refused.rule() + ": " + refused.detail(), 300));
        }
        return back + "&missing=" + queryValue(source);
    }

    @GetMapping("/console/dead-letters/upstream/{batchId}/replay")
    public String confirmUpstream(@PathVariable("batchId") String batchId, Model model, HttpServletResponse response) {
        Optional<DeadLetters.Entry> letter = deadLetters.list().stream().filter(e -> e.batchId().equals(batchId)).findFirst();
        if (letter.isEmpty()) {
            response.setStatus(404);
            model.addAttribute("missing", batchId);
            return "console/confirm";
        }
        model.addAttribute("kind", "upstream");
        model.addAttribute("letter", letter.get());
        model.addAttribute("action", "/console/dead-letters/upstream/" + encoded(batchId) + "/replay");
        return "console/confirm";
    }

    @PostMapping("/console/dead-letters/upstream/{batchId}/replay")
    public String replayUpstream(@PathVariable("batchId") String batchId, HttpServletRequest request) {
        boolean replayed = deadLetters.replay(batchId);
        audit.action(ConsoleModel.session(request).caller(), "POST /console/dead-letters/upstream/{batchId}/replay",
                "batchId=" + batchId, replayed ? 202 : 404);
        return "redirect:/console/dead-letters?" + (replayed ? "replayed=" : "missing=") + encoded(batchId);
    }

    @GetMapping("/console/dead-letters/fanout/{dept}/replay")
    public String confirmFanout(@PathVariable("dept") String dept, Model model, HttpServletResponse response) {
        String code = dept.toUpperCase(Locale.ROOT);
        FanoutOperations ops = fanout.getIfAvailable();
        List<FanoutDeadLetters.Entry> letters;
        try {
            letters = ops == null ? null : ops.deadLetters(code);
        } catch (NoSuchElementException e) {
            letters = null;
        }
        if (letters == null) {
            response.setStatus(404);
            model.addAttribute("missing", code);
            return "console/confirm";
        }
        model.addAttribute("kind", "fanout");
        model.addAttribute("dept", code);
        model.addAttribute("waiting", letters.stream().filter(l -> l.replayedAt() == null).count());
        model.addAttribute("action", "/console/dead-letters/fanout/" + encoded(code) + "/replay");
        return "console/confirm";
    }

    @PostMapping("/console/dead-letters/fanout/{dept}/replay")
    public String replayFanout(@PathVariable("dept") String dept, HttpServletRequest request) {
        String code = dept.toUpperCase(Locale.ROOT);
        FanoutOperations ops = fanout.getIfAvailable();
        int n;
        try {
            n = ops == null ? -1 : ops.replayDeadLetters(code, null);
        } catch (NoSuchElementException e) {
            n = -1;
        }
        audit.action(ConsoleModel.session(request).caller(), "POST /console/dead-letters/fanout/{dept}/replay", "dept=" + code,
                n < 0 ? 404 : 202);
        return "redirect:/console/dead-letters?dept=" + encoded(code) + (n < 0 ? "&missing=" + encoded(code) : "&replayedCount=" + n);
    }

    private static String queryValue(String value) {
        return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    static String encoded(String segment) {
        return UriUtils.encodePathSegment(segment, StandardCharsets.UTF_8);
    }
}
