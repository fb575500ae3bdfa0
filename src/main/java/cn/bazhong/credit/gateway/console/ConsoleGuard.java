package cn.bazhong.credit.gateway.console;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.HtmlUtils;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The console's gate, in front of every {@code /console/**} request (the API's {@code ApiAccessFilter}
 * leaves these paths alone): finds the page in {@link ConsoleAccess} (else 404), the session from its
 * cookie (a page without one is sent to sign-in, a form post without one is refused 403), the operator's
 * role (a viewer is refused an admin page or action, 403) and, on every POST, the CSRF token of the form
 * (or of the {@code X-CSRF-Token} header htmx sends) against the session's (403 when it is missing or
 * wrong). Refusals of signed-in operators go to the access log. Every answer is marked not to be cached
 * or framed.
 */
public class ConsoleGuard extends OncePerRequestFilter {

    public static final String SESSION_COOKIE = "CONSOLE_SESSION";
    public static final String LOGIN_COOKIE = "CONSOLE_SIGNIN";
    public static final String CSRF_FIELD = "_csrf";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    /** Request attribute holding the {@link ConsoleSessions.Session}. */
    public static final String SESSION = "cn.bazhong.credit.gateway.console.session";

    private final ConsoleAccess access = new ConsoleAccess();
    private final ConsoleSessions sessions;
    private final ConsoleAudit audit;

    public ConsoleGuard(ConsoleSessions sessions, ConsoleAudit audit) {
        this.sessions = sessions;
        this.audit = audit;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = path(request);
        return !(path.equals("/console") || path.startsWith("/console/"));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                + "frame-ancestors 'none'; form-action 'self'");
        String path = path(request);
        String method = request.getMethod();
        Optional<ConsoleAccess.Page> page = access.find(method, path);
        if (page.isEmpty()) {
            refuse(response, 404, "Not found / 未找到");
            return;
        }
        ConsoleAccess.Who who = page.get().who();
        if (who == ConsoleAccess.Who.ANYBODY) {
            if ("POST".equals(method) && !ConsoleSessions.same(cookie(request, LOGIN_COOKIE), request.getParameter(CSRF_FIELD))) {
                refuse(response, 403, "The sign-in form has expired: open it again / 登录表单已失效，请重新打开");
                return;
            }
            chain.doFilter(request, response);
            return;
        }
        Optional<ConsoleSessions.Session> session = sessions.use(cookie(request, SESSION_COOKIE));
        if (session.isEmpty()) {
            if ("GET".equals(method) || "HEAD".equals(method)) {
                if (request.getHeader("HX-Request") != null) {
                    response.setHeader("HX-Redirect", request.getContextPath() + "/console/login");
                    response.setStatus(401);
                    return;
                }
                response.setStatus(303);
                response.setHeader(HttpHeaders.LOCATION, request.getContextPath() + "/console/login");
                return;
            }
            refuse(response, 403, "Not signed in, or the session has ended / 未登录或会话已结束");
            return;
        }
        ConsoleSessions.Session s = session.get();
        if (who == ConsoleAccess.Who.ADMIN && !s.caller().isAdmin()) {
            audit.action(s.caller(), method + " " + page.get().path(), "refused=role", 403);
            refuse(response, 403, "This is for admins / 仅管理员可操作");
            return;
        }
        if ("POST".equals(method)) {
            String given = request.getHeader(CSRF_HEADER) != null ? request.getHeader(CSRF_HEADER) : request.getParameter(CSRF_FIELD);
            if (!ConsoleSessions.same(s.csrfToken(), given)) {
                audit.action(s.caller(), method + " " + page.get().path(), "refused=csrf", 403);
                refuse(response, 403, "The form carries no valid CSRF token / 表单校验失败");
                return;
            }
        }
        request.setAttribute(SESSION, s);
        chain.doFilter(request, response);
    }

    /** The session cookie: HttpOnly, SameSite=Strict, for the console's paths only, Secure over HTTPS. */
    static String cookieHeader(String name, String value, String path, boolean secure, boolean expire) {
        return ResponseCookie.from(name, value).path(path).httpOnly(true).sameSite("Strict").secure(secure)
                .maxAge(expire ? 0 : -1).build().toString();
    }

    static String cookie(HttpServletRequest request, String name) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return null;
        }
        for (Cookie c : cookies) {
            if (name.equals(c.getName())) {
                return c.getValue();
            }
        }
        return null;
    }

    private static void refuse(HttpServletResponse response, int status, String message) throws IOException {
        response.setStatus(status);
        response.setContentType("text/html;charset=UTF-8");
        String text = HtmlUtils.htmlEscape(message);
        response.getOutputStream().write(("<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>" + status
                + "</title></head><body><h1>" + status + "</h1><p id=\"refusal\">" + text
                + "</p><p><a href=\"/console/\">/console/</a></p></body></html>").getBytes(StandardCharsets.UTF_8));
    }

    private static String path(HttpServletRequest request) {
        return request.getRequestURI().substring(request.getContextPath().length());
    }
}
