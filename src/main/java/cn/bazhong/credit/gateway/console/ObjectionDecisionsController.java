package cn.bazhong.credit.gateway.console;

import cn.bazhong.credit.gateway.ingest.Receipt;
import cn.bazhong.credit.gateway.lists.ListDecisions;
import cn.bazhong.credit.gateway.lists.Objections;
import cn.bazhong.credit.gateway.security.Caller;
import cn.bazhong.credit.gateway.validation.IdNumbers;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * An admin decides a pending objection (异议) from the console, after a confirmation page: upheld (the
 * entry exits the list) or rejected (the entry stands). The decision is {@link ListDecisions#decideObjection},
 * the one {@code POST /api/v1/subjects/{code}/entries/{recordId}/objections/decision} takes; the partial
 * correction stays with the API. The page names the objection by a {@link RecordRefs reference}, never by
 * its record id, which may hold a person's ID number. Every decision, refused or not, is in the access log.
 */
@Controller
public class ObjectionDecisionsController {

    /** What the console offers: the two outcomes that need no correction. */
    static final List<ListDecisions.Outcome> OFFERED = List.of(ListDecisions.Outcome.UPHELD, ListDecisions.Outcome.REJECTED);
    static final String ENDPOINT = "POST /console/measures/objections/{ref}/decide";

    private final Objections objections;
    private final ListDecisions decisions;
    private final RecordRefs refs;
    private final ConsoleAudit audit;
    private final Clock clock;

    ObjectionDecisionsController(Objections objections, ListDecisions decisions, RecordRefs refs, ConsoleAudit audit, Clock clock) {
        this.objections = objections;
        this.decisions = decisions;
        this.refs = refs;
        this.audit = audit;
        this.clock = clock;
    }

    @GetMapping("/console/measures/objections/{ref}/decide")
    public String confirm(@PathVariable("ref") String ref, Model model, HttpServletResponse response) {
        LocalDate today = LocalDate.now(clock);
        Optional<Objections.Pending> pending = find(ref, today);
        if (pending.isEmpty()) {
            response.setStatus(404);
            model.addAttribute("missing", true);
            return "console/decide-objection";
        }
        model.addAttribute("objection", MeasuresPageController.shown(pending.get(), today, refs));
        model.addAttribute("outcomes", OFFERED);
        model.addAttribute("action", "/console/measures/objections/" + ref + "/decide");
        return "console/decide-objection";
    }

    @PostMapping("/console/measures/objections/{ref}/decide")
    public String decide(@PathVariable("ref") String ref, @RequestParam(name = "outcome", defaultValue = "") String outcome,
                         @RequestParam(name = "reason", defaultValue = "") String reason, HttpServletRequest request) {
        Caller caller = ConsoleModel.session(request).caller();
        Optional<Objections.Pending> pending = find(ref, LocalDate.now(clock));
        if (pending.isEmpty()) {
            audit.action(caller, ENDPOINT, "ref=" + ref, 404);
            return "redirect:/console/measures?objectionMissing=1";
        }
        Objections.Pending p = pending.get();
        String shownId = IdNumbers.maskAll(p.recordId());
        ListDecisions.Outcome chosen = OFFERED.stream().filter(o -> o.name().equals(outcome)).findFirst().orElse(null);
        if (chosen == null || reason.isBlank()) {
            audit.action(caller, ENDPOINT, "recordId=" + shownId + " outcome=" + IdNumbers.maskAll(outcome), 400);
            return "redirect:/console/measures/objections/" + ref + "/decide?" + (chosen == null ? "outcomeMissing" : "reasonMissing") + "=1";
        }
        String target = "recordId=" + shownId + " outcome=" + chosen;
        try {
            Receipt receipt = decisions.decideObjection(caller.name(), caller.isAdmin(), p.subjectKey(), p.recordId(), chosen,
                    reason.strip(), null);
            audit.action(caller, ENDPOINT, target + " receipt=" + receipt.receiptId(), 200);
            return "redirect:/console/measures?decided=" + query(shownId) + "&outcome=" + chosen + "&receipt=" + query(receipt.receiptId());
        } catch (ListDecisions.Refused e) {
            int status = cn.bazhong.credit.gateway.web.ListDecisionsController.status(e);
            audit.action(caller, ENDPOINT, target, status);
            return "redirect:/console/measures?decisionRefused=" + query(IdNumbers.maskAll(e.getMessage()));
        }
    }

    private Optional<Objections.Pending> find(String ref, LocalDate today) {
        return objections.list(false, today).stream().filter(p -> refs.of(p.recordId()).equals(ref)).findFirst();
    }

    private static String query(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
