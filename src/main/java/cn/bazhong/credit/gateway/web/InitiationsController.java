package cn.bazhong.credit.gateway.web;

import cn.bazhong.credit.gateway.measures.Initiation;
import cn.bazhong.credit.gateway.measures.InitiationRefused;
import cn.bazhong.credit.gateway.measures.Initiations;
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
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static cn.bazhong.credit.gateway.web.JsonBodies.text;

/**
 * The departments' answers to initiations (department-push.md, "Department answers"):
 * {@code POST /api/v1/initiations/{id}/responses} (响应), {@code POST /api/v1/initiations/{id}/feedback}
 * (执行反馈), and {@code GET /api/v1/initiations[/{id}]} to see them. A department sees and answers only
 * its own initiations; operators see all of them and answer none.
 */
@RestController
public class InitiationsController {

    private final Initiations initiations;

    private final cn.bazhong.credit.gateway.privacy.PersonalFields personal;

    public InitiationsController(Initiations initiations, cn.bazhong.credit.gateway.privacy.PersonalFields personal) {
        this.initiations = initiations;
        this.personal = personal;
    }

    @GetMapping("/api/v1/initiations")
    public ResponseEntity<byte[]> list(@RequestAttribute(ApiAccessFilter.CALLER) Caller caller,
                                       @RequestParam(name = "department", required = false) String department,
                                       @RequestParam(name = "overdue", defaultValue = "false") boolean overdue) {
        String whose = caller.isOperator() ? department : caller.departmentCode();
        LocalDate today = initiations.today();
        List<Map<String, Object>> out = initiations.list(whose, overdue).stream().map(i -> view(i, today, caller)).toList();
        return Answers.ok(Map.of("initiations", out));
    }

    @GetMapping("/api/v1/initiations/{initiationId}")
    public ResponseEntity<byte[]> get(@RequestAttribute(ApiAccessFilter.CALLER) Caller caller, @PathVariable("initiationId") String id) {
        Initiation i = initiations.get(id).orElseThrow(() -> new HttpProblem(404, "not-found", "no initiation " + FeedsController.shorten(id)));
        if (!caller.isOperator() && !caller.isDepartment(i.department())) {
            throw new HttpProblem(403, "forbidden", "initiation " + id + " is addressed to another department");
        }
        return Answers.ok(view(i, initiations.today(), caller));
    }

    @PostMapping("/api/v1/initiations/{initiationId}/responses")
    public ResponseEntity<byte[]> respond(@RequestAttribute(ApiAccessFilter.CALLER) Caller caller, @PathVariable("initiationId") String id,
                                          HttpServletRequest request) throws IOException {
        JsonNode body = JsonBodies.object(request);
        Initiation after = refusedAsProblem(() -> initiations.respond(id, caller.departmentCode(), text(body, "status"), text(body, "reason")));
        return Answers.ok(view(after, initiations.today(), caller));
    }

    @PostMapping("/api/v1/initiations/{initiationId}/feedback")
    public ResponseEntity<byte[]> feedback(@RequestAttribute(ApiAccessFilter.CALLER) Caller caller, @PathVariable("initiationId") String id,
                                           HttpServletRequest request) throws IOException {
        JsonNode body = JsonBodies.object(request);
        String measureId = text(body, "measureId");
        String result = text(body, "result");
        if (measureId == null || result == null) {
            throw new HttpProblem(400, "missing-field", "feedback needs measureId and result (APPLIED, NOT_APPLICABLE or FAILED)")
                    .with("field", measureId == null ? "measureId" : "result");
        }
        LocalDate appliedAt;
        try {
            appliedAt = text(body, "appliedAt") == null ? null : LocalDate.parse(text(body, "appliedAt").substring(0, 10));
        } catch (DateTimeParseException | StringIndexOutOfBoundsException e) {
            throw new HttpProblem(400, "bad-field", "appliedAt '" + FeedsController.shorten(text(body, "appliedAt")) + "' is not a date (yyyy-MM-dd)")
                    .with("field", "appliedAt").with("rule", "date");
        }
        Initiation.Feedback feedback = new Initiation.Feedback(measureId, result, text(body, "matter"), appliedAt, text(body, "basis"),
                text(body, "note"), Instant.now());
        int before = initiations.get(id).map(i -> i.feedback().size()).orElse(0);
        Initiation after = refusedAsProblem(() -> initiations.feedback(id, caller.departmentCode(), feedback));
        Map<String, Object> answer = view(after, initiations.today(), caller);
        answer.put("duplicate", after.feedback().size() == before);
        return Answers.ok(answer);
    }

    private static <T> T refusedAsProblem(Supplier<T> call) {
        try {
            return call.get();
        } catch (InitiationRefused e) {
            int status = switch (e.reason()) {
                case UNKNOWN -> 404;
                case NOT_YOURS -> 403;
                case CANCELLED, CONFLICT -> 409;
                case INVALID -> 400;
            };
            throw new HttpProblem(status, "initiation-" + e.reason().name().toLowerCase(), e.getMessage());
        }
    }

    private Map<String, Object> view(Initiation i, LocalDate today, Caller caller) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("initiationId", i.initiationId());
        m.put("department", i.department());
        m.put("status", i.status());
        // kept sealed when the department may have the full number: opened for it, masked for operators
        String code = personal.open(cn.bazhong.credit.gateway.privacy.PersonalFields.ID_NUMBER, i.subjectCode());
        m.put("subject", caller.isOperator() && cn.bazhong.credit.gateway.privacy.PersonalFields.isSealed(i.subjectCode())
                ? cn.bazhong.credit.gateway.schema.PersonalData.mask(code) : code);
        m.put("subjectName", personal.open(cn.bazhong.credit.gateway.privacy.PersonalFields.NAME, i.subjectName()));
        m.put("listType", i.listType());
        m.put("measures", i.measureIds());
        m.put("catalogVersion", i.catalogVersion()); // the catalog the initiation was made with (absent for older ones)
        m.put("initiatedAt", i.initiatedAt());
        m.put("responseDue", i.responseDue());
        m.put("feedbackDue", i.feedbackDue());
        m.put("responseOverdue", i.responseOverdue(today));
        m.put("feedbackOverdue", i.feedbackOverdue(today));
        m.put("response", i.response());
        m.put("feedback", i.feedback());
        m.put("cancelledAt", i.cancelledAt());
        m.put("cancelReason", i.cancelReason());
        m.put("stopConfirmedAt", i.stopConfirmedAt());
        m.values().removeIf(java.util.Objects::isNull);
        return m;
    }
}
