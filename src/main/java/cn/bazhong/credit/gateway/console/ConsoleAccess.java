package cn.bazhong.credit.gateway.console;

import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

import java.util.List;
import java.util.Optional;

/**
 * Every page and action of the console with who may use it, as {@code web.AccessPolicy} is for the API.
 * {@link ConsoleGuard} applies it; a path it does not name is 404. Every POST is a form that carries the
 * session's CSRF token (sign-in carries the token of its own form).
 */
public final class ConsoleAccess {

    /** Who may use a page: anybody (sign-in, assets), any signed-in operator, or admins only. */
    public enum Who { ANYBODY, OPERATOR, ADMIN }

    public record Page(String method, String path, Who who) {
    }

    public static final List<Page> PAGES = List.of(
            new Page("GET", "/console/login", Who.ANYBODY),
            new Page("POST", "/console/login", Who.ANYBODY),
            new Page("GET", "/console/assets/**", Who.ANYBODY),
            new Page("POST", "/console/logout", Who.OPERATOR),
            new Page("GET", "/console", Who.OPERATOR),
            new Page("GET", "/console/", Who.OPERATOR),
            new Page("GET", "/console/dead-letters", Who.OPERATOR),
            new Page("GET", "/console/dead-letters/upstream/{batchId}/replay", Who.ADMIN),
            new Page("POST", "/console/dead-letters/upstream/{batchId}/replay", Who.ADMIN),
            new Page("GET", "/console/dead-letters/fanout/{dept}/replay", Who.ADMIN),
            new Page("POST", "/console/dead-letters/fanout/{dept}/replay", Who.ADMIN),
            new Page("GET", "/console/dead-letters/feeds/{dept}/replay", Who.ADMIN),
            new Page("POST", "/console/dead-letters/feeds/{dept}/replay", Who.ADMIN),
            new Page("GET", "/console/dead-letters/feeds/{dept}/{source}/replay", Who.ADMIN),
            new Page("POST", "/console/dead-letters/feeds/{dept}/{source}/replay", Who.ADMIN),
            new Page("GET", "/console/departments", Who.OPERATOR),
            new Page("POST", "/console/departments/{dept}/enable", Who.ADMIN),
            new Page("GET", "/console/lists", Who.OPERATOR),
            new Page("POST", "/console/lists", Who.OPERATOR),
            new Page("POST", "/console/lists/holds/{holdId}/approve", Who.ADMIN),
            new Page("POST", "/console/lists/holds/{holdId}/reject", Who.ADMIN),
            new Page("GET", "/console/supervision", Who.OPERATOR),
            new Page("GET", "/console/supervision.csv", Who.OPERATOR),
            new Page("GET", "/console/measures", Who.OPERATOR),
            new Page("GET", "/console/measures/objections/{ref}/decide", Who.ADMIN),
            new Page("POST", "/console/measures/objections/{ref}/decide", Who.ADMIN),
            new Page("GET", "/console/records", Who.OPERATOR),
            new Page("POST", "/console/records", Who.OPERATOR),
            new Page("GET", "/console/receipts", Who.OPERATOR),
            new Page("GET", "/console/receipts/{id}", Who.OPERATOR),
            new Page("GET", "/console/receipts/{id}/csv", Who.OPERATOR),
            new Page("GET", "/console/mappings", Who.OPERATOR),
            new Page("POST", "/console/mappings/check", Who.OPERATOR),
            new Page("GET", "/console/audit", Who.ADMIN));

    private static final PathPatternParser PARSER = new PathPatternParser();
    private final List<PathPattern> patterns = PAGES.stream().map(p -> PARSER.parse(p.path())).toList();

    /** The page a request is for; empty for a path or method the console does not have. */
    public Optional<Page> find(String method, String path) {
        PathContainer container = PathContainer.parsePath(path);
        String m = "HEAD".equals(method) ? "GET" : method;
        for (int i = 0; i < PAGES.size(); i++) {
            if (PAGES.get(i).method().equals(m) && patterns.get(i).matches(container)) {
                return Optional.of(PAGES.get(i));
            }
        }
        return Optional.empty();
    }
}
