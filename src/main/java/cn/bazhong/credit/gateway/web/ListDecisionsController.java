package cn.bazhong.credit.gateway.web;

import cn.bazhong.credit.gateway.ingest.Receipt;
import cn.bazhong.credit.gateway.lists.ListDecisions;
import cn.bazhong.credit.gateway.lists.Objections;
import cn.bazhong.credit.gateway.lists.SubjectKeys;
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
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import static cn.bazhong.credit.gateway.web.JsonBodies.text;

/**
 * Decisions on a subject's list entry ({@code /api/v1/subjects/{code}/entries/{recordId}/...}): credit
 * repair, an objection, and the objection's decision. Taken by the listing unit or an admin; each answers
 * with the receipt of the entry's next version, once it is durable. {@code GET /api/v1/objections} lists
 * the pending objections.
 */
@RestController
public class ListDecisionsController {

    private final ListDecisions decisions;
    private final SubjectKeys keys;
    private final Clock clock;
    private final Objections objections;

    public ListDecisionsController(ListDecisions decisions, SubjectKeys keys, Clock clock, Objections objections) {
        this.decisions = decisions;
        this.keys = keys;
        this.clock = clock;
        this.objections = objections;
    }

    /** {@code {"decisionNo", "reason"}}. */
    @PostMapping("/api/v1/subjects/{code}/entries/{recordId}/repair")
    public ResponseEntity<byte[]> repair(@RequestAttribute(ApiAccessFilter.CALLER) Caller caller, @PathVariable("code") String code,
                                         @PathVariable("recordId") String recordId, HttpServletRequest request) throws IOException {
        SubjectCode subject = subject(code);
        JsonNode body = JsonBodies.optionalObject(request);
        return decided(subject, key -> decisions.repair(caller.name(), caller.isAdmin(), key, recordId, text(body, "decisionNo"), text(body, "reason")));
    }

    /** {@code {"reason", "filedBy"}}. */
    @PostMapping("/api/v1/subjects/{code}/entries/{recordId}/objections")
    public ResponseEntity<byte[]> object(@RequestAttribute(ApiAccessFilter.CALLER) Caller caller, @PathVariable("code") String code,
                                         @PathVariable("recordId") String recordId, HttpServletRequest request) throws IOException {
        SubjectCode subject = subject(code);
        JsonNode body = JsonBodies.optionalObject(request);
        String reason = text(body, "reason");
        String filedBy = text(body, "filedBy");
        return decided(subject, key -> decisions.object(caller.name(), caller.isAdmin(), key, recordId,
                filedBy == null ? reason : reason + " (filed by " + filedBy + ")"));
    }

    /**
     * {@code {"outcome": "UPHELD" | "CORRECTED" | "REJECTED", "reason", "correction": {"validTo", "basis", "reason"}}}.
     */
    @PostMapping("/api/v1/subjects/{code}/entries/{recordId}/objections/decision")
    public ResponseEntity<byte[]> decideObjection(@RequestAttribute(ApiAccessFilter.CALLER) Caller caller, @PathVariable("code") String code,
                                                  @PathVariable("recordId") String recordId, HttpServletRequest request) throws IOException {
        SubjectCode subject = subject(code);
        JsonNode body = JsonBodies.optionalObject(request);
        ListDecisions.Outcome outcome;
        try {
            outcome = ListDecisions.Outcome.valueOf(String.valueOf(text(body, "outcome")));
        } catch (IllegalArgumentException e) {
            throw new HttpProblem(400, "bad-field", "outcome must be UPHELD, CORRECTED or REJECTED, not '"
                    + FeedsController.shorten(String.valueOf(text(body, "outcome"))) + "'").with("field", "outcome").with("rule", "vocabulary");
        }
        JsonNode c = body.path("correction");
        ListDecisions.Correction correction;
        try {
            correction = c.isObject() ? new ListDecisions.Correction(text(c, "validTo") == null ? null : LocalDate.parse(text(c, "validTo")),
                    text(c, "basis"), text(c, "reason")) : null;
        } catch (DateTimeParseException e) {
            throw new HttpProblem(400, "bad-field", "correction.validTo '" + FeedsController.shorten(text(c, "validTo")) + "' is not a date (yyyy-MM-dd)")
                    .with("field", "correction.validTo").with("rule", "date");
        }
        return decided(subject, key -> decisions.decideObjection(caller.name(), caller.isAdmin(), key, recordId, outcome, text(body, "reason"), correction));
    }

    /**
     * {@code GET /api/v1/objections?overdue=true}: the objections pending, with the day each must be decided
     * by; a department sees those on entries it listed, operators all of them.
     */
    @GetMapping("/api/v1/objections")
    public ResponseEntity<byte[]> pending(@RequestAttribute(ApiAccessFilter.CALLER) Caller caller,
                                          @RequestParam(name = "overdue", defaultValue = "false") boolean overdue) {
        LocalDate today = LocalDate.now(clock);
        var list = objections.list(overdue, today).stream()
                .filter(p -> caller.isOperator() || p.recordId().startsWith(caller.departmentCode() + ":"))
                .map(p -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("recordId", p.recordId());
                    m.put("subject", p.subjectCode());
                    m.put("listType", p.listType());
                    m.put("filedOn", p.filedOn());
                    m.put("due", p.due());
                    m.put("overdue", p.overdue(today));
                    m.put("reason", p.reason());
                    return m;
                }).toList();
        return Answers.ok(Map.of("objections", list));
    }

    private SubjectCode subject(String code) {
        return SubjectCode.parse(code, keys, LocalDate.now(clock));
    }

    /** The HTTP status of a refused decision (the console answers with the same). */
    public static int status(ListDecisions.Refused refused) {
        return switch (refused.kind()) {
            case UNKNOWN -> 404;
            case NOT_YOURS -> 403;
            case CONFLICT -> 409;
            case INVALID -> 400;
        };
    }

    /**
     * The decision on the subject's entry; for a code with two readings (an ID number that is also a valid credit
     * code), on the entry of whichever reading holds it.
     */
    private static ResponseEntity<byte[]> decided(SubjectCode subject, Function<String, Receipt> decision) {
        ListDecisions.Refused unknown = null;
        for (String key : subject.keys()) {
            try {
                return Answers.ok(decision.apply(key));
            } catch (ListDecisions.Refused e) {
                if (e.kind() != ListDecisions.Refused.Kind.UNKNOWN) {
                    throw new HttpProblem(status(e), "decision-" + e.kind().name().toLowerCase(), e.getMessage());
                }
                unknown = unknown == null ? e : unknown;
            }
        }
        throw new HttpProblem(status(unknown), "decision-" + unknown.kind().name().toLowerCase(), unknown.getMessage());
    }
}
