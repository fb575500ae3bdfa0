package cn.bazhong.credit.gateway.console;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.ui.Model;

/** What every console page needs: the operator, whether an admin, the session's CSRF token, the current path. */
@ControllerAdvice(basePackageClasses = ConsoleModel.class)
public class ConsoleModel {

    @ModelAttribute
    void common(HttpServletRequest request, Model model) {
        ConsoleSessions.Session session = (ConsoleSessions.Session) request.getAttribute(ConsoleGuard.SESSION);
        model.addAttribute("path", request.getRequestURI());
        if (session != null) {
            model.addAttribute("operator", session.caller());
            model.addAttribute("admin", session.caller().isAdmin());
            model.addAttribute("csrf", session.csrfToken());
        } else {
            model.addAttribute("admin", false);
        }
    }

    static ConsoleSessions.Session session(HttpServletRequest request) {
        return (ConsoleSessions.Session) request.getAttribute(ConsoleGuard.SESSION);
    }
}
