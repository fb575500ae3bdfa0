package cn.bazhong.credit.gateway.console;

import cn.bazhong.credit.gateway.ingest.RecordTraces;
import cn.bazhong.credit.gateway.validation.IdNumbers;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * 记录追踪: a record's trace by its id ({@link RecordTraces}, as {@code GET /api/v1/records/{recordId}/trace}),
 * as a timeline. Every text shown is masked ({@code IdNumbers.maskAll}), and the look-up is an entry of the
 * access log as the API's is.
 */
@Controller
public class RecordsController {

    private final RecordTraces traces;
    private final ConsoleAudit audit;

    public RecordsController(RecordTraces traces, ConsoleAudit audit) {
        this.traces = traces;
        this.audit = audit;
    }

    /** One step as shown: when, what, and its details with ID numbers masked. */
    public record ShownStep(java.time.Instant at, String step, Map<String, String> detail) {
    }

    @GetMapping("/console/records")
    public String trace(@RequestParam(name = "recordId", required = false) String recordId, HttpServletRequest request, Model model) {
        if (recordId != null && !recordId.isBlank()) {
            String id = recordId.strip();
            List<RecordTraces.Step> steps = traces.find(id);
            audit.read(ConsoleModel.session(request).caller(), "GET /console/records?recordId", null, null, IdNumbers.maskAll(id), null,
                    steps == null ? 404 : 200);
            model.addAttribute("recordId", IdNumbers.maskAll(id));
            model.addAttribute("found", steps != null);
            model.addAttribute("steps", steps == null ? List.of() : steps.stream().map(RecordsController::shown).toList());
        }
        return "console/records";
    }

    private static ShownStep shown(RecordTraces.Step step) {
        Map<String, String> detail = new LinkedHashMap<>();
        if (step.detail() != null) {
            step.detail().forEach((k, v) -> detail.put(k, IdNumbers.maskAll(String.valueOf(v))));
        }
        return new ShownStep(step.at(), step.step(), detail);
    }
}
