package cn.bazhong.credit.gateway.web;

import cn.bazhong.credit.gateway.security.Caller;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/subjects/{code}/measures?matter=<item code>}: the check at the counter. A department
 * gets the measures it applies; an operator names the department ({@code ?department=}) or gets the
 * subject's entries alone.
 */
@RestController
public class CheckApiController {

    private final SubjectMeasuresHandler handler;

    public CheckApiController(SubjectMeasuresHandler handler) {
        this.handler = handler;
    }

    @GetMapping("/api/v1/subjects/{code}/measures")
    public ResponseEntity<byte[]> check(@PathVariable("code") String code,
                                        @RequestParam(name = "matter", required = false) String matter,
                                        @RequestParam(name = "department", required = false) String department,
                                        @RequestAttribute(ApiAccessFilter.CALLER) Caller caller) {
        String asking = caller.isDepartment() ? caller.departmentCode() : department == null ? null : department.toUpperCase(java.util.Locale.ROOT);
        return Answers.ok(handler.check(asking, code, matter));
    }
}
