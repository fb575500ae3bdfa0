package cn.bazhong.credit.gateway.console;

import cn.bazhong.credit.gateway.catalog.ActiveCatalog;
import cn.bazhong.credit.gateway.catalog.Catalog;
import cn.bazhong.credit.gateway.fanout.FanoutOperations;
import cn.bazhong.credit.gateway.ingest.RecordTraces;
import cn.bazhong.credit.gateway.ingest.SnapshotExitHolds;
import cn.bazhong.credit.gateway.ingest.SnapshotHoldConflictException;
import cn.bazhong.credit.gateway.ingest.SnapshotHoldNotFoundException;
import cn.bazhong.credit.gateway.lists.EntryState;
import cn.bazhong.credit.gateway.lists.ListView;
import cn.bazhong.credit.gateway.privacy.PersonalFields;
import cn.bazhong.credit.gateway.schema.ListStatus;
import cn.bazhong.credit.gateway.schema.Subject;
import cn.bazhong.credit.gateway.security.Caller;
import cn.bazhong.credit.gateway.validation.IdNumbers;
import cn.bazhong.credit.gateway.web.AccessLogInterceptor;
import cn.bazhong.credit.gateway.web.HttpProblem;
import cn.bazhong.credit.gateway.web.SubjectMeasuresHandler;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

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
    private final ListView view;
    private final RecordTraces traces;
    private final ObjectProvider<FanoutOperations> fanout;
    private final PersonalFields personal;
    private final ActiveCatalog catalogs;
    private final ConsoleSettings settings;

    public ListsController(SubjectMeasuresHandler check, AccessLogInterceptor subjects, SnapshotExitHolds holds, ConsoleAudit audit,
                           ListView view, RecordTraces traces, ObjectProvider<FanoutOperations> fanout, PersonalFields personal,
                           ActiveCatalog catalogs, ConsoleSettings settings) {
        this.check = check;
        this.subjects = subjects;
        this.holds = holds;
        this.audit = audit;
        this.view = view;
        this.traces = traces;
        this.fanout = fanout;
        this.personal = personal;
        this.catalogs = catalogs;
        this.settings = settings;
    }

    /** One change of an entry that departments were told of: its kind and when it happened. */
    public record Change(String type, Instant at) {
    }

    /** One entry of a subject, listed, updated, under objection or exited, with the changes departments were told of. */
    public record HistoryEntry(String recordId, String listType, String category, String status, String documentNo, LocalDate decidedOn,
                               LocalDate validFrom, LocalDate validTo, String objectionFiledOn, String objectionDue, String objectionReason,
                               LocalDate exitDate, String exitReason, String lastChange, Instant changedAt, List<Change> changes) {
    }

    /** One entry in the list of a list type: the subject as operators may see it (number masked). */
    public record Listed(String recordId, String subject, String subjectName, String category, String status, String documentNo,
                         LocalDate decidedOn, LocalDate validTo, LocalDate exitDate, String exitReason) {
    }

    @GetMapping("/console/lists")
    public String lists(@RequestParam(name = "listType", required = false) String listType,
                        @RequestParam(name = "status", required = false) String status,
                        @RequestParam(name = "page", defaultValue = "1") int page,
                        @RequestParam(name = "after", required = false) String after,
                        @RequestParam(name = "before", required = false) String before,
                        HttpServletRequest request, Model model) {
        model.addAttribute("holds", holds.pending());
        Catalog catalog = catalogs.get();
        model.addAttribute("listTypes", new TreeSet<>(catalog.listTypes().keySet()));
        model.addAttribute("statuses", List.of(ListStatus.values()));
        if (listType != null && catalog.listTypes().containsKey(listType)) {
            ListStatus s = status == null || status.isBlank() ? null : parse(status);
            int size = settings.pageSize();
            String a = after == null || after.isBlank() ? null : after;
            String b = before == null || before.isBlank() ? null : before;
            // pages follow each other by key (after the last subject shown, before the first): the page
            // number only counts them for the reader
            ListView.TypePage found = view.ofListType(listType, s, a, b, size);
            int p = !found.hasPrevious() ? 1 : Math.max(2, Math.min(page, 1_000_000));
            List<Listed> rows = new ArrayList<>();
            found.subjects().forEach(subject -> subject.getValue().forEach(e -> rows.add(listed(e))));
            int pages = (int) Math.max(p + (found.hasNext() ? 1 : 0), (found.total() + size - 1) / size);
            audit.read(ConsoleModel.session(request).caller(), "GET /console/lists?listType", null, null, null,
                    "listType=" + listType + " status=" + (s == null ? "" : s) + " page=" + p, 200);
            model.addAttribute("listType", listType);
            model.addAttribute("status", s == null ? "" : s.name());
            model.addAttribute("listed", new Paged<>(rows, p, pages, found.total()));
            model.addAttribute("previousBefore", found.hasPrevious() && !found.subjects().isEmpty() ? found.subjects().get(0).getKey() : null);
            model.addAttribute("nextAfter", found.hasNext() && !found.subjects().isEmpty()
                    ? found.subjects().get(found.subjects().size() - 1).getKey() : null);
        }
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
            if (subject != null) {
                List<HistoryEntry> history = new ArrayList<>();
                subject.keys().forEach(key -> history.addAll(history(key)));
                model.addAttribute("history", history);
            }
            if (subject != null && subject.person()) {
                audit.read(ConsoleModel.session(request).caller(), "POST /console/lists", subject.key(), subject.shown(), null, null, status);
            }
            // the form shows the code again only as it may be shown: masked for a person
            model.addAttribute("code", subject != null ? subject.shown() : RecordsController.unsure(code.strip()));
            model.addAttribute("department", dept);
            model.addAttribute("matter", item);
        }
        return lists(null, null, 1, null, null, request, model);
    }

    /**
     * Every entry of a subject the list view holds (exited ones too: an exit is kept), with its objection
     * and exit, and its changes: the entry's own history, kept with its state on the compacted list-state
     * topic ({@link EntryState#history()}); for a state written before histories were kept, the changes the
     * fan-out's delivery log still holds (it forgets after its TTL, 7 days by default).
     */
    private List<HistoryEntry> history(String subjectKey) {
        FanoutOperations ops = fanout.getIfAvailable();
        List<HistoryEntry> out = new ArrayList<>();
        view.entriesOf(subjectKey).stream().sorted(Comparator.comparing(EntryState::recordId)).forEach(e -> {
            List<Change> changes = new ArrayList<>();
            e.history().forEach(step -> changes.add(new Change(step.change(), step.at())));
            if (changes.isEmpty() && ops != null) {
                Set<String> versions = new TreeSet<>();
                versions.add(e.version().startsWith("expired:") ? e.version().substring("expired:".length()) : e.version());
                List<RecordTraces.Step> steps = traces.find(e.recordId());
                if (steps != null) {
                    versions.addAll(RecordsController.versionsOf(steps));
                }
                ops.deliveriesOfRecord(e.recordId(), versions).stream()
                        .filter(l -> l.type() != null && l.type().startsWith("list.entry."))
                        .map(l -> new Change(l.type(), l.occurredAt())).distinct()
                        .sorted(Comparator.comparing(Change::at, Comparator.nullsLast(Comparator.naturalOrder())))
                        .forEach(changes::add);
            }
            Map<String, String> a = e.attributes() == null ? Map.of() : e.attributes();
            out.add(new HistoryEntry(IdNumbers.maskAll(e.recordId()), e.listType(), String.valueOf(e.category()), String.valueOf(e.status()),
                    IdNumbers.maskAll(e.documentNo()), e.decidedOn(), e.validFrom(), e.validTo(), a.get("objectionFiledOn"), a.get("objectionDue"),
                    IdNumbers.maskAll(a.get("objectionReason")), e.exitDate(), IdNumbers.maskAll(e.exitReason()), e.change(), e.changedAt(),
                    changes));
        });
        return out;
    }

    private Listed listed(EntryState e) {
        Subject s = e.subject() == null ? null : personal.masked(e.subject());
        return new Listed(IdNumbers.maskAll(e.recordId()), s == null ? null : IdNumbers.maskAll(s.code()),
                s == null ? null : IdNumbers.maskAll(s.name()), String.valueOf(e.category()), String.valueOf(e.status()),
                IdNumbers.maskAll(e.documentNo()), e.decidedOn(), e.validTo(), e.exitDate(), IdNumbers.maskAll(e.exitReason()));
    }

    private static ListStatus parse(String status) {
        try {
            return ListStatus.valueOf(status.strip());
        } catch (IllegalArgumentException e) {
            return null;
        }
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
