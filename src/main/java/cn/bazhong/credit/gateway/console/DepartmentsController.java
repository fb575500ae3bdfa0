package cn.bazhong.credit.gateway.console;

import cn.bazhong.credit.gateway.fanout.FanoutOperations;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;

import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;

/**
 * 部门: every subscribed department with its channel, list types, whether it is disabled (410) and its last
 * failure ({@link FanoutOperations#departments}, as {@code GET /api/v1/fanout/departments}); an admin enables
 * a disabled one again.
 */
@Controller
public class DepartmentsController {

    private final ObjectProvider<FanoutOperations> fanout;
    private final ConsoleAudit audit;

    public DepartmentsController(ObjectProvider<FanoutOperations> fanout, ConsoleAudit audit) {
        this.fanout = fanout;
        this.audit = audit;
    }

    @GetMapping("/console/departments")
    public String list(Model model) {
        FanoutOperations ops = fanout.getIfAvailable();
        model.addAttribute("fanoutOn", ops != null);
        model.addAttribute("departments", ops == null ? List.of() : ops.departments());
        return "console/departments";
    }

    @PostMapping("/console/departments/{dept}/enable")
    public String enable(@PathVariable("dept") String dept, HttpServletRequest request) {
        String code = dept.toUpperCase(Locale.ROOT);
        FanoutOperations ops = fanout.getIfAvailable();
        String outcome;
        int status;
        try {
            boolean was = ops != null && ops.enable(code);
            outcome = ops == null ? "off" : was ? "enabled" : "notDisabled";
            status = ops == null ? 503 : 200;
        } catch (NoSuchElementException e) {
            outcome = "unknown";
            status = 404;
        }
        audit.action(ConsoleModel.session(request).caller(), "POST /console/departments/{dept}/enable", "dept=" + code, status);
        return "redirect:/console/departments?" + outcome + "=" + DeadLettersController.encoded(code);
    }
}
