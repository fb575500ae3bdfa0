package cn.bazhong.credit.gateway.console;

import cn.bazhong.credit.gateway.lists.Objections;
import cn.bazhong.credit.gateway.measures.Initiation;
import cn.bazhong.credit.gateway.measures.Initiations;
import cn.bazhong.credit.gateway.privacy.PersonalFields;
import cn.bazhong.credit.gateway.schema.PersonalData;
import cn.bazhong.credit.gateway.validation.IdNumbers;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeSet;

/**
 * 联合奖惩 · 发起与异议: the initiations (发起) with filters — department, status, overdue response or
 * overdue feedback — ({@link Initiations#list}, as {@code GET /api/v1/initiations?department=&overdue=}),
 * and the objections pending, or only the overdue ones ({@link Objections#list}, as
 * {@code GET /api/v1/objections?overdue=}); both paged. Subjects are shown as the API shows them to
 * operators: a person's number masked. Each look is a read entry of the access log, as on the API. An admin
 * decides an objection from here ({@link ObjectionDecisionsController}).
 */
@Controller
public class MeasuresPageController {

    static final List<String> STATUSES = List.of("INITIATED", "RESPONDED", "COMPLETED", "CANCELLED");
    static final List<String> OVERDUE = List.of("any", "response", "feedback");

    private final Initiations initiations;
    private final Objections objections;
    private final PersonalFields personal;
    private final ConsoleAudit audit;
    private final ConsoleSettings settings;
    private final Clock clock;
    private final RecordRefs refs;

    public MeasuresPageController(Initiations initiations, Objections objections, PersonalFields personal, ConsoleAudit audit,
                                  ConsoleSettings settings, Clock clock, RecordRefs refs) {
        this.refs = refs;
        this.initiations = initiations;
        this.objections = objections;
        this.personal = personal;
        this.audit = audit;
        this.settings = settings;
        this.clock = clock;
    }

    /** An initiation as a row: the subject as operators may see it, and whether each deadline is missed. */
    public record ShownInitiation(String initiationId, String department, String status, String subject, String subjectName,
                                  String listType, List<String> measures, Instant initiatedAt, LocalDate responseDue,
                                  LocalDate feedbackDue, boolean responseOverdue, boolean feedbackOverdue, String response,
                                  int feedbackCount) {
        public boolean overdue() {
            return responseOverdue || feedbackOverdue;
        }
    }

    /** A pending objection as a row; {@code ref} names it in the links to decide it (the record id may hold an ID number). */
    public record ShownObjection(String ref, String recordId, String subject, String listType, LocalDate filedOn, LocalDate due,
                                 boolean overdue, String reason) {
    }

    static ShownObjection shown(Objections.Pending p, LocalDate day, RecordRefs refs) {
        return new ShownObjection(refs.of(p.recordId()), IdNumbers.maskAll(p.recordId()), IdNumbers.maskAll(p.subjectCode()), p.listType(),
                p.filedOn(), p.due(), p.overdue(day), IdNumbers.maskAll(p.reason()));
    }

    @GetMapping("/console/measures")
    public String measures(@RequestParam(name = "dept", required = false) String dept,
                           @RequestParam(name = "status", required = false) String status,
                           @RequestParam(name = "overdue", required = false) String overdue,
                           @RequestParam(name = "page", defaultValue = "1") int page,
                           @RequestParam(name = "objections", required = false) String objectionsShown,
                           @RequestParam(name = "objPage", defaultValue = "1") int objPage,
                           HttpServletRequest request, Model model) {
        String d = blank(dept) ? null : dept.strip().toUpperCase(Locale.ROOT);
        String s = status != null && STATUSES.contains(status) ? status : "";
        String o = overdue != null && OVERDUE.contains(overdue) ? overdue : "";
        boolean overdueObjections = "overdue".equals(objectionsShown);
        LocalDate today = initiations.today();
        List<Initiation> all = initiations.list(d, !o.isEmpty());
        List<ShownInitiation> rows = all.stream()
                .filter(i -> s.isEmpty() || s.equals(i.status()))
                .filter(i -> !"response".equals(o) || i.responseOverdue(today))
                .filter(i -> !"feedback".equals(o) || i.feedbackOverdue(today))
                .map(i -> shown(i, today)).toList();
        LocalDate day = LocalDate.now(clock);
        List<ShownObjection> pending = objections.list(overdueObjections, day).stream().map(p -> shown(p, day, refs)).toList();
        StringJoiner target = new StringJoiner(" ");
        target.add("department=" + (d == null ? "" : d)).add("status=" + s).add("overdue=" + o)
                .add("objections=" + (overdueObjections ? "overdue" : "pending"));
        audit.read(ConsoleModel.session(request).caller(), "GET /console/measures", null, null, null, IdNumbers.maskAll(target.toString()), 200);

        Set<String> departments = new TreeSet<>();
        initiations.list(null, false).forEach(i -> departments.add(i.department()));
        model.addAttribute("departments", departments);
        model.addAttribute("dept", d);
        model.addAttribute("status", s);
        model.addAttribute("overdue", o);
        model.addAttribute("statuses", STATUSES);
        model.addAttribute("objectionsShown", overdueObjections ? "overdue" : "");
        model.addAttribute("initiations", Paged.of(rows, page, settings.pageSize()));
        model.addAttribute("objections", Paged.of(pending, objPage, settings.pageSize()));
        model.addAttribute("today", today);
        return "console/measures";
    }

    private ShownInitiation shown(Initiation i, LocalDate today) {
        // as the API shows operators: a sealed number opened and masked, anything else masked where it looks like one
        String code = personal.open(PersonalFields.ID_NUMBER, i.subjectCode());
        String subject = PersonalFields.isSealed(i.subjectCode()) ? PersonalData.mask(code) : code;
        return new ShownInitiation(i.initiationId(), i.department(), i.status(), IdNumbers.maskAll(subject),
                IdNumbers.maskAll(personal.open(PersonalFields.NAME, i.subjectName())), i.listType(), i.measureIds(), i.initiatedAt(),
                i.responseDue(), i.feedbackDue(), i.responseOverdue(today), i.feedbackOverdue(today),
                i.response() == null ? null : i.response().status(), i.feedback().size());
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
