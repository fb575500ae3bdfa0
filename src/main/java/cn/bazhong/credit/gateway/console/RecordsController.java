package cn.bazhong.credit.gateway.console;

import cn.bazhong.credit.gateway.fanout.DeliveryLog;
import cn.bazhong.credit.gateway.fanout.FanoutOperations;
import cn.bazhong.credit.gateway.ingest.Receipt;
import cn.bazhong.credit.gateway.ingest.ReceiptStore;
import cn.bazhong.credit.gateway.ingest.RecordTraces;
import cn.bazhong.credit.gateway.lists.EntryState;
import cn.bazhong.credit.gateway.lists.ListView;
import cn.bazhong.credit.gateway.lists.SubjectRecord;
import cn.bazhong.credit.gateway.lists.SubjectRecords;
import cn.bazhong.credit.gateway.validation.IdNumbers;
import cn.bazhong.credit.gateway.web.AccessLogInterceptor;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * 记录追踪: records found by subject code (a credit code, or an ID number looked up by its keyed hash as
 * the check API does), by record id, by receipt or by file name, each with its trace as a timeline:
 * received, dedup, batch, the province's answer ({@link RecordTraces}, as {@code GET /api/v1/records/{id}/trace})
 * and what each department got of the record's list changes ({@link FanoutOperations#deliveriesOfRecord}).
 * Every text shown is masked ({@code IdNumbers.maskAll}); a subject is looked up by a form post, so that an
 * ID number never stands in a URL; every look-up is an entry of the access log.
 */
@Controller
public class RecordsController {

    /** Records of one subject shown at most (a subject's list entries and its penalties and licences are bounded anyway). */
    static final int SUBJECT_RECORDS = 200;
    /** Records of one search by receipt or file name looked at (then paged). */
    static final int SEARCH_RECORDS = 10_000;

    private final RecordTraces traces;
    private final ObjectProvider<FanoutOperations> fanout;
    private final ListView view;
    private final SubjectRecords subjectRecords;
    private final ReceiptStore receipts;
    private final AccessLogInterceptor subjects;
    private final ConsoleAudit audit;
    private final ConsoleSettings settings;
    private final Clock clock;

    public RecordsController(RecordTraces traces, ObjectProvider<FanoutOperations> fanout, ListView view, SubjectRecords subjectRecords,
                             ReceiptStore receipts, AccessLogInterceptor subjects, ConsoleAudit audit, ConsoleSettings settings, Clock clock) {
        this.traces = traces;
        this.fanout = fanout;
        this.view = view;
        this.subjectRecords = subjectRecords;
        this.receipts = receipts;
        this.subjects = subjects;
        this.audit = audit;
        this.settings = settings;
        this.clock = clock;
    }

    /** One step as shown: when, what, and its details with ID numbers masked; {@code department} for a delivery. */
    public record ShownStep(Instant at, String step, String department, Map<String, String> detail) {
    }

    /** One record as shown: its id masked, its list entry's state if it is one, and its timeline (empty when no trace is held). */
    public record ShownRecord(String recordId, String listType, String status, String exitReason, List<ShownStep> steps) {
    }

    @GetMapping("/console/records")
    public String trace(@RequestParam(name = "recordId", required = false) String recordId,
                        @RequestParam(name = "receipt", required = false) String receipt,
                        @RequestParam(name = "file", required = false) String file,
                        @RequestParam(name = "page", defaultValue = "1") int page,
                        HttpServletRequest request, Model model) {
        if (!blank(recordId)) {
            String id = recordId.strip();
            List<RecordTraces.Step> steps = traces.find(id);
            audit.read(ConsoleModel.session(request).caller(), "GET /console/records?recordId", null, null, IdNumbers.maskAll(id), null,
                    steps == null ? 404 : 200);
            model.addAttribute("recordId", IdNumbers.maskAll(id));
            model.addAttribute("found", steps != null);
            model.addAttribute("steps", steps == null ? List.of() : timeline(id, steps));
        } else if (!blank(receipt) || !blank(file)) {
            List<Receipt> sources = sources(receipt, file);
            List<String> ids = traces.recordsOfReceipts(sources.stream().map(Receipt::receiptId).toList(), SEARCH_RECORDS);
            Paged<String> paged = Paged.of(ids, page, settings.pageSize());
            String target = !blank(receipt) ? "receiptId=" + receipt.strip() : "file=" + file.strip();
            audit.read(ConsoleModel.session(request).caller(), "GET /console/records?" + (!blank(receipt) ? "receipt" : "file"), null, null,
                    null, IdNumbers.maskAll(target), ids.isEmpty() ? 404 : 200);
            model.addAttribute("receipt", blank(receipt) ? null : IdNumbers.maskAll(receipt.strip()));
            model.addAttribute("file", blank(file) ? null : IdNumbers.maskAll(file.strip()));
            model.addAttribute("sources", sources.stream().map(ReceiptsController.Found::of).toList());
            model.addAttribute("searched", true);
            model.addAttribute("paged", new Paged<>(shown(paged.rows(), null), paged.page(), paged.pages(), paged.total()));
        }
        return "console/records";
    }

    /** By subject: a form post, so that a person's ID number never stands in a URL; the page shows it masked. */
    @PostMapping("/console/records")
    public String bySubject(@RequestParam(name = "code", defaultValue = "") String code, HttpServletRequest request, Model model) {
        AccessLogInterceptor.Subject subject = subjects.subject(code.strip());
        if (subject == null) {
            model.addAttribute("badCode", unsure(code.strip()));
            return "console/records";
        }
        Map<String, EntryState> entries = new LinkedHashMap<>();
        for (String key : subject.keys()) { // an ID number that is a valid credit code too: the entries of either
            view.entriesOf(key).stream().sorted(Comparator.comparing(EntryState::recordId)).forEach(e -> entries.put(e.recordId(), e));
        }
        Set<String> ids = new LinkedHashSet<>(entries.keySet());
        for (String key : subject.keys()) {
            for (SubjectRecord r : subjectRecords.of(key, LocalDate.now(clock)).records()) {
                ids.add(r.recordId());
            }
        }
        List<ShownRecord> found = shown(ids.stream().limit(SUBJECT_RECORDS).toList(), entries);
        audit.read(ConsoleModel.session(request).caller(), "POST /console/records", subject.key(), subject.shown(), null, "by=subject",
                found.isEmpty() ? 404 : 200);
        model.addAttribute("code", subject.shown());
        model.addAttribute("subjectRecords", found);
        return "console/records";
    }

    /** The receipts searched for: the one named, or those whose source is the file name (or ends with it as a path). */
    private List<Receipt> sources(String receipt, String file) {
        if (!blank(receipt)) {
            Receipt r = receipts.find(receipt.strip());
            return r == null ? List.of() : List.of(r);
        }
        String name = file.strip();
        List<Receipt> out = new ArrayList<>();
        receipts.forEach(r -> {
            String source = r.source();
            if (source != null && (source.equals(name) || source.endsWith("/" + name)) && out.size() < 100) {
                out.add(r);
            }
        });
        out.sort(Comparator.comparing(Receipt::receivedAt, Comparator.nullsLast(Comparator.reverseOrder())));
        return out;
    }

    private List<ShownRecord> shown(List<String> ids, Map<String, EntryState> entries) {
        List<ShownRecord> out = new ArrayList<>();
        for (String id : ids) {
            List<RecordTraces.Step> steps = traces.find(id);
            EntryState e = entries == null ? null : entries.get(id);
            out.add(new ShownRecord(IdNumbers.maskAll(id), e == null ? null : e.listType(), e == null ? null : String.valueOf(e.status()),
                    e == null ? null : e.exitReason(), steps == null ? List.of() : timeline(id, steps)));
        }
        return out;
    }

    /** The trace's steps and the record's deliveries to departments, in the order of their times. */
    private List<ShownStep> timeline(String recordId, List<RecordTraces.Step> steps) {
        List<ShownStep> out = new ArrayList<>(steps.stream().map(RecordsController::shown).toList());
        FanoutOperations ops = fanout.getIfAvailable();
        if (ops != null) {
            ops.deliveriesOfRecord(recordId, versionsOf(steps)).forEach(l -> out.add(shown(l)));
        }
        out.sort(Comparator.comparing(ShownStep::at, Comparator.nullsLast(Comparator.naturalOrder())));
        return out;
    }

    /** The versions of a record its trace names. */
    static Set<String> versionsOf(List<RecordTraces.Step> steps) {
        Set<String> versions = new TreeSet<>();
        steps.forEach(s -> {
            if (s.detail() != null && s.detail().get("version") != null) {
                versions.add(String.valueOf(s.detail().get("version")));
            }
        });
        return versions;
    }

    private static ShownStep shown(RecordTraces.Step step) {
        Map<String, String> detail = new LinkedHashMap<>();
        if (step.detail() != null) {
            step.detail().forEach((k, v) -> detail.put(k, IdNumbers.maskAll(String.valueOf(v))));
        }
        return new ShownStep(step.at(), step.step(), null, detail);
    }

    private static ShownStep shown(DeliveryLog.Line line) {
        Map<String, String> detail = new LinkedHashMap<>();
        detail.put("department", line.department());
        detail.put("event", line.type());
        detail.put("outcome", String.valueOf(line.outcome()));
        detail.put("attempts", String.valueOf(line.attempts()));
        if (line.detail() != null) {
            detail.put("detail", IdNumbers.maskAll(line.detail()));
        }
        return new ShownStep(line.at(), "fanout", line.department(), detail);
    }

    /**
     * A code that names no subject, as it may be shown: shortened, and any long run of digits masked in
     * the middle (a mistyped ID number is still a person's number).
     */
    static String unsure(String code) {
        String c = code.length() > 40 ? code.substring(0, 40) + "…" : code;
        return LONG_DIGITS.matcher(IdNumbers.maskAll(c)).replaceAll(m -> m.group(1) + "*".repeat(m.group(2).length()) + m.group(3));
    }

    private static final java.util.regex.Pattern LONG_DIGITS = java.util.regex.Pattern.compile("(\\d{6})([0-9Xx]+)([0-9Xx]{4})(?=[^0-9Xx]|$)");

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
