package cn.bazhong.credit.gateway.console;

import cn.bazhong.credit.gateway.security.Authenticator;
import cn.bazhong.credit.gateway.security.Caller;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

import java.util.Optional;

/**
 * Sign-in with an operator's key (a viewer's or an admin's, the same keys as the API's) and sign-out. The
 * key is checked once and never kept: the browser holds only the session cookie.
 */
@Controller
public class SignInController {

    private final Authenticator authenticator;
    private final ConsoleSessions sessions;
    private final ConsoleAudit audit;

    public SignInController(Authenticator authenticator, ConsoleSessions sessions, ConsoleAudit audit) {
        this.authenticator = authenticator;
        this.sessions = sessions;
        this.audit = audit;
    }

    @GetMapping("/console/login")
    public String form(HttpServletRequest request, HttpServletResponse response, Model model) {
        return signInPage(request, response, model, false);
    }

    @PostMapping("/console/login")
    public String signIn(@RequestParam(name = "key", defaultValue = "") String key, HttpServletRequest request,
                         HttpServletResponse response, Model model) {
        String bearer = key.strip();
        Optional<Caller> caller = bearer.isEmpty() ? Optional.empty() : authenticator.authenticate("Bearer " + bearer);
        if (caller.isEmpty() || !caller.get().isOperator()) {
            audit.action(caller.orElse(null), "POST /console/login", caller.isPresent() ? "refused=not-an-operator" : "refused=unknown-key", 401);
            response.setStatus(401);
            return signInPage(request, response, model, true);
        }
        sessions.close(ConsoleGuard.cookie(request, ConsoleGuard.SESSION_COOKIE));
        ConsoleSessions.Session session = sessions.open(caller.get());
        response.addHeader(HttpHeaders.SET_COOKIE, ConsoleGuard.cookieHeader(ConsoleGuard.SESSION_COOKIE, session.id(), "/console",
                request.isSecure(), false));
        response.addHeader(HttpHeaders.SET_COOKIE, ConsoleGuard.cookieHeader(ConsoleGuard.LOGIN_COOKIE, "", "/console/login",
                request.isSecure(), true));
        audit.action(caller.get(), "POST /console/login", null, 200);
        return "redirect:/console/";
    }

    @PostMapping("/console/logout")
    public String signOut(HttpServletRequest request, HttpServletResponse response) {
        ConsoleSessions.Session session = ConsoleModel.session(request);
        sessions.close(session.id());
        response.addHeader(HttpHeaders.SET_COOKIE, ConsoleGuard.cookieHeader(ConsoleGuard.SESSION_COOKIE, "", "/console",
                request.isSecure(), true));
        audit.action(session.caller(), "POST /console/logout", null, 200);
        return "redirect:/console/login";
    }

    private String signInPage(HttpServletRequest request, HttpServletResponse response, Model model, boolean failed) {
        String token = ConsoleSessions.token();
        response.addHeader(HttpHeaders.SET_COOKIE, ConsoleGuard.cookieHeader(ConsoleGuard.LOGIN_COOKIE, token, "/console/login",
                request.isSecure(), false));
        model.addAttribute("signInToken", token);
        model.addAttribute("failed", failed);
        return "console/login";
    }
}
