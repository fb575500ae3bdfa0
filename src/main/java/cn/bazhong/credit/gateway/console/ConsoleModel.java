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

    /**
     * A page that reads the list view while it is being filled at the node's start: 503 with a time to retry and a
     * line saying why, rather than an error page (or half a list).
     */
    @org.springframework.web.bind.annotation.ExceptionHandler(cn.bazhong.credit.gateway.lists.ListViewFilling.class)
    org.springframework.http.ResponseEntity<String> viewFilling(cn.bazhong.credit.gateway.lists.ListViewFilling filling) {
        return org.springframework.http.ResponseEntity.status(503)
                .header("Retry-After", String.valueOf(cn.bazhong.credit.gateway.lists.ListViewFilling.RETRY_AFTER_SECONDS))
                .contentType(new org.springframework.http.MediaType("text", "html", java.nio.charset.StandardCharsets.UTF_8))
                .body("<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><meta http-equiv=\"refresh\" content=\""
                        + cn.bazhong.credit.gateway.lists.ListViewFilling.RETRY_AFTER_SECONDS + "\"><title>名单视图重建中</title></head>"
                        + "<body><p>本节点刚启动，正在从名单状态主题重建名单视图，完成前不显示名单数据（以免显示不完整的结果）。页面将自动刷新。</p></body></html>");
    }

    static ConsoleSessions.Session session(HttpServletRequest request) {
        return (ConsoleSessions.Session) request.getAttribute(ConsoleGuard.SESSION);
    }
}
