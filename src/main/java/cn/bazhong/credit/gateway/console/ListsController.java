package cn.bazhong.credit.gateway.console;

import cn.bazhong.credit.gateway.ingest.SnapshotExitHolds;
import cn.bazhong.credit.gateway.ingest.SnapshotHoldConflictException;
import cn.bazhong.credit.gateway.ingest.SnapshotHoldNotFoundException;
import cn.bazhong.credit.gateway.security.Caller;
import cn.bazhong.credit.gateway.validation.IdNumbers;
import cn.bazhong.credit.gateway.web.AccessLogInterceptor;
import cn.bazhong.credit.gateway.web.HttpProblem;
import cn.bazhong.credit.gateway.web.SubjectMeasuresHandler;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

import java.util.Locale;
import java.util.Map;

/**
 * 名单: a subject's check, the answer of the check API ({@link SubjectMeasuresHandler}: active entries, and
 * for a named department the measures with their legal basis), and the snapshot exits the guard withheld
 * ({@link SnapshotExitHolds}, as {@code /api/v1/lists/snapshot-holds}) with an admin's approve and reject.
 * A look-up of a person is an entry of the access log, as on the API.
 */
@Controller
public class ListsController {

    private final SubjectMeasuresHandler check;
    private final AccessLogInterceptor subjects;
    private final SnapshotExitHolds holds;
    private final ConsoleAudit audit;

    public ListsController(SubjectMeasuresHandler check, AccessLogInterceptor subjects, SnapshotExitHolds holds, ConsoleAudit audit) {
        this.check = check;
        this.subjects = subjects;
        this.holds = holds;
        this.audit = audit;
    }

    @GetMapping("/console/lists")
    public String lists(Model model) {
        model.addAttribute("holds", holds.pending());
        return "console/lists";
    }

    /**
     * A look-up is a form post, so that a person's ID number never stands in a URL (history, proxies'
     * logs); the page shows it masked.
     */
    @PostMapping("/console/lists")
    public String lookUp(@RequestParam(name = "code", defaultValue = "") String code,
                         @RequestParam(name = "department", required = false) String department,
                         @RequestParam(name = "matter", required = false) String matter,
                         HttpServletRequest request, Model model) {
        if (!code.isBlank()) {
            String dept = department == null || department.isBlank() ? null : department.strip().toUpperCase(Locale.ROOT);
            String item = matter == null || matter.isBlank() ? null : matter.strip();
            int status = 200;
            try {
                Map<String, Object> answer = check.check(dept, code.strip(), item);
                model.addAttribute("answer", answer);
            } catch (HttpProblem e) {
                status = e.status();
                model.addAttribute("problem", IdNumbers.maskAll(e.getMessage()));
            }
            AccessLogInterceptor.Subject subject = subjects.subject(code.strip());
            if (subject != null && subject.person()) {
                audit.read(ConsoleModel.session(request).caller(), "POST /console/lists", subject.key(), subject.shown(), null, null, status);
            }
            // the form shows the code again only as it may be shown: masked for a person
            model.addAttribute("code", subject != null ? subject.shown() : RecordsController.unsure(code.strip()));
            model.addAttribute("department", dept);
            model.addAttribute("matter", item);
        }
        return lists(model);
    }

    @PostMapping("/console/lists/holds/{holdId}/approve")
    public String approve(@PathVariable("holdId") String holdId, HttpServletRequest request) {
        Caller caller = ConsoleModel.session(request).caller();
        return decided(caller, holdId, "approve", () -> holds.approve(holdId, caller.name()));
    }

    @PostMapping("/console/lists/holds/{holdId}/reject")
    public String reject(@PathVariable("holdId") String holdId, @RequestParam(name = "reason", defaultValue = "") String reason,
                         HttpServletRequest request) {
        Caller caller = ConsoleModel.session(request).caller();
        if (reason.isBlank()) {
            return "redirect:/console/lists?reasonMissing=" + DeadLettersController.encoded(holdId);
        }
        return decided(caller, holdId, "reject", () -> holds.reject(holdId, caller.name(), reason.strip()));
    }

    private String decided(Caller caller, String holdId, String decision, Runnable call) {
        String outcome;
        int status;
        try {
            call.run();
            outcome = decision.equals("approve") ? "approved" : "rejected";
            status = 200;
        } catch (SnapshotHoldNotFoundException e) {
            outcome = "holdMissing";
            status = 404;
        } catch (SnapshotHoldConflictException e) {
            outcome = "holdDecided";
            status = 409;
        }
        audit.action(caller, "POST /console/lists/holds/{holdId}/" + decision, "holdId=" + holdId, status);
        return "redirect:/console/lists?" + outcome + "=" + DeadLettersController.encoded(holdId);
    }
}
