package cn.bazhong.credit.gateway.web;

import cn.bazhong.credit.gateway.security.Caller.Kind;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static cn.bazhong.credit.gateway.security.Caller.Kind.ADMIN;
import static cn.bazhong.credit.gateway.security.Caller.Kind.DEPARTMENT;
import static cn.bazhong.credit.gateway.security.Caller.Kind.PROVINCE;
import static cn.bazhong.credit.gateway.security.Caller.Kind.VIEWER;

/**
 * Who may call what: every endpoint of the API with the kinds of caller it admits and the size of body
 * it takes. {@link ApiAccessFilter} applies it before a byte of the body is read; a request that matches
 * no endpoint is answered 404 (nothing is reachable that the table does not name). The table of docs/api.md,
 * "Who may call what" is this one, and {@code AccessTableTest} calls every cell.
 */
public final class AccessPolicy {

    /** How much body an endpoint takes: none worth the name, a small JSON document, or a whole feed. */
    public enum Body { SMALL, FEED }

    /**
     * One endpoint.
     *
     * @param ownDepartment the path variable {@code {dept}} must be the calling department's own code
     */
    public record Endpoint(String method, String path, Set<Kind> callers, Body body, boolean ownDepartment) {
        PathPattern pattern() {
            return PARSER.parse(path);
        }
    }

    private static final PathPatternParser PARSER = new PathPatternParser();
    private static final Set<Kind> READERS = EnumSet.of(DEPARTMENT, VIEWER, ADMIN);
    private static final Set<Kind> OPERATORS = EnumSet.of(VIEWER, ADMIN);
    private static final Set<Kind> DEPARTMENTS = EnumSet.of(DEPARTMENT);
    private static final Set<Kind> ADMINS = EnumSet.of(ADMIN);
    private static final Set<Kind> LISTING_UNIT_OR_ADMIN = EnumSet.of(DEPARTMENT, ADMIN);
    private static final Set<Kind> ANY_CALLER = EnumSet.allOf(Kind.class);

    public static final List<Endpoint> ENDPOINTS = List.of(
            // departments push their feeds and read what became of them
            post("/api/v1/feeds/{dept}/{feed}", DEPARTMENTS, Body.FEED, true),
            get("/api/v1/receipts/{id}", READERS),
            get("/api/v1/records/{recordId}/trace", READERS),
            get("/api/v1/mappings", READERS),
            // the check at the counter, and decisions on list entries
            get("/api/v1/subjects/{code}/measures", READERS),
            get("/api/v1/subjects/{code}/credit", READERS),
            post("/api/v1/subjects/check", READERS, Body.FEED, false),
            get("/api/v1/subjects/{code}/persons", READERS),
            post("/api/v1/subjects/{code}/entries/{recordId}/repair", LISTING_UNIT_OR_ADMIN, Body.SMALL, false),
            post("/api/v1/subjects/{code}/entries/{recordId}/objections", LISTING_UNIT_OR_ADMIN, Body.SMALL, false),
            post("/api/v1/subjects/{code}/entries/{recordId}/objections/decision", LISTING_UNIT_OR_ADMIN, Body.SMALL, false),
            get("/api/v1/objections", READERS),
            // written commitments (信用承诺) open after their deadline, for the accepting unit
            get("/api/v1/commitments/overdue", READERS),
            // joint measures: initiations and the departments' answers
            get("/api/v1/initiations", READERS),
            get("/api/v1/initiations/{initiationId}", READERS),
            post("/api/v1/initiations/{initiationId}/responses", DEPARTMENTS, Body.SMALL, false),
            post("/api/v1/initiations/{initiationId}/feedback", DEPARTMENTS, Body.SMALL, false),
            // the province
            post("/api/v1/upstream/list-updates", EnumSet.of(PROVINCE), Body.FEED, false),
            // operators: messages a department's Kafka feed set aside
            get("/api/v1/feeds/{dept}/dead-letters", OPERATORS),
            post("/api/v1/feeds/{dept}/dead-letters/replay", ADMINS, Body.SMALL, false),
            post("/api/v1/feeds/{dept}/dead-letters/{source}/replay", ADMINS, Body.SMALL, false),
            // operators: upstream delivery
            get("/api/v1/upstream/dead-letters", OPERATORS),
            post("/api/v1/upstream/dead-letters/{batchId}/replay", ADMINS, Body.SMALL, false),
            // operators: fan-out to departments
            get("/api/v1/fanout/departments", OPERATORS),
            get("/api/v1/fanout/departments/{dept}/dead-letters", OPERATORS),
            get("/api/v1/fanout/events/{eventId}", OPERATORS),
            post("/api/v1/fanout/departments/{dept}/enable", ADMINS, Body.SMALL, false),
            post("/api/v1/fanout/departments/{dept}/dead-letters/replay", ADMINS, Body.SMALL, false),
            post("/api/v1/fanout/departments/{dept}/dead-letters/{eventId}/replay", ADMINS, Body.SMALL, false),
            post("/api/v1/fanout/departments/{dept}/replay", ADMINS, Body.SMALL, false),
            get("/api/v1/publication/dead-letters", OPERATORS),
            post("/api/v1/publication/dead-letters/replay", ADMINS, Body.SMALL, false),
            post("/api/v1/publication/sweep", ADMINS, Body.SMALL, false),
            post("/api/v1/publication/replay", ADMINS, Body.SMALL, false),
            // operators: lists
            post("/api/v1/lists/expiry-sweep", ADMINS, Body.SMALL, false),
            get("/api/v1/lists/snapshot-holds", OPERATORS),
            post("/api/v1/lists/snapshot-holds/{holdId}/approve", ADMINS, Body.SMALL, false),
            post("/api/v1/lists/snapshot-holds/{holdId}/reject", ADMINS, Body.SMALL, false),
            // operators: reports
            get("/api/v1/supervision/departments", OPERATORS),
            // operators: the files this node runs with (live reload)
            get("/api/v1/loaded-files", OPERATORS),
            // admins: the access log for personal data
            get("/api/v1/audit", ADMINS),
            // the OpenAPI document of this API (springdoc), for any caller with a key: departments and the
            // province generate their clients from it; it is not public, as it names every operation
            get("/api/v1/openapi.json", ANY_CALLER));

    private static Endpoint get(String path, Set<Kind> callers) {
        return new Endpoint("GET", path, callers, Body.SMALL, false);
    }

    private static Endpoint post(String path, Set<Kind> callers, Body body, boolean ownDepartment) {
        return new Endpoint("POST", path, callers, body, ownDepartment);
    }

    private final List<Compiled> compiled = ENDPOINTS.stream().map(e -> new Compiled(e, e.pattern())).toList();

    private record Compiled(Endpoint endpoint, PathPattern pattern) {
    }

    /** What the table says of a request. */
    public sealed interface Match {
        /** The endpoint, with the path's variables. */
        record Found(Endpoint endpoint, Map<String, String> variables) implements Match {
        }

        /** The path exists, not with this method; {@code allowed} are the methods it takes. */
        record WrongMethod(Set<String> allowed) implements Match {
        }

        /** No such endpoint. */
        record None() implements Match {
        }
    }

    public Match match(String method, String path) {
        PathContainer container = PathContainer.parsePath(path);
        Set<String> methods = new java.util.TreeSet<>();
        for (Compiled c : compiled) {
            PathPattern.PathMatchInfo info = c.pattern.matchAndExtract(container);
            if (info != null) {
                if (c.endpoint.method().equals(method)) {
                    return new Match.Found(c.endpoint, info.getUriVariables());
                }
                methods.add(c.endpoint.method());
            }
        }
        return methods.isEmpty() ? new Match.None() : new Match.WrongMethod(methods);
    }

    /** "a department or an admin", for a 403's message. */
    static String describe(Set<Kind> kinds) {
        return kinds.stream().map(k -> switch (k) {
            case DEPARTMENT -> "a department";
            case PROVINCE -> "the province";
            case VIEWER -> "a viewer";
            case ADMIN -> "an admin";
        }).collect(Collectors.joining(" or "));
    }
}
