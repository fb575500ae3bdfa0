package cn.bazhong.credit.gateway.web;

import cn.bazhong.credit.gateway.audit.AccessEntry;
import cn.bazhong.credit.gateway.audit.AccessLog;
import cn.bazhong.credit.gateway.lists.SubjectKeys;
import cn.bazhong.credit.gateway.security.Caller;
import cn.bazhong.credit.gateway.validation.IdNumber;
import cn.bazhong.credit.gateway.validation.IdNumbers;
import cn.bazhong.credit.gateway.validation.Text;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.servlet.HandlerInterceptor;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The one place that decides what goes into the access log (docs/security.md, "Access log"), once a call
 * the gate let through has been answered, whatever its outcome:
 * <ul>
 *   <li>reads of a natural person's data: the check API when the subject is an ID number (one entry per
 *       call, purpose = the matter; a batch check gives one entry per ID number it holds), a record's trace, a
 *       receipt (the subject is not known there: the record or receipt id is), the initiations (in full for a
 *       department entitled to full numbers), the objections and a fan-out event's deliveries;</li>
 *   <li>decisions on a list entry (credit repair, objections, objection decisions) by a listing unit or an
 *       admin, with the entry's subject;</li>
 *   <li>every other action of an admin: replays, enables, the expiry sweep, snapshot-hold decisions;</li>
 *   <li>queries of the access log itself.</li>
 * </ul>
 * Calls refused at the gate (401, 403, 404 for an unknown path) read nothing and are not entries; the
 * failed logins are in the application log and {@code gateway_api_auth_failures_total}.
 */
public class AccessLogInterceptor implements HandlerInterceptor {

    static final String CHECK = "/api/v1/subjects/{code}/measures";
    static final String CREDIT = "/api/v1/subjects/{code}/credit";
    static final String BATCH_CHECK = "/api/v1/subjects/check";
    /** The persons behind an organisation, looked up by a person's name (the name itself is never written here). */
    static final String PERSONS = "/api/v1/subjects/{code}/persons";
    static final String COMMITMENTS_OVERDUE = "/api/v1/commitments/overdue";
    /** Request attribute: the codes of a batch check, set by the controller once it has read them. */
    static final String BATCH_CODES = AccessLogInterceptor.class.getName() + ".codes";
    static final String TRACE = "/api/v1/records/{recordId}/trace";
    static final String RECEIPT = "/api/v1/receipts/{id}";
    static final String AUDIT = "/api/v1/audit";
    /** Reads that list persons (an initiation in full for a department entitled to it; masked elsewhere). */
    static final String INITIATIONS = "/api/v1/initiations";
    static final String INITIATION = "/api/v1/initiations/{initiationId}";
    static final String FANOUT_EVENT = "/api/v1/fanout/events/{eventId}";
    static final String OBJECTIONS = "/api/v1/objections";
    private static final String DECISIONS = "/api/v1/subjects/";
    private static final Pattern LOOKS_LIKE_ID = Pattern.compile("\\d{17}[0-9X]|\\d{15}");

    private final AccessLog log;
    private final SubjectKeys keys;
    private final Clock clock;
    private final String node;

    public AccessLogInterceptor(AccessLog log, SubjectKeys keys, Clock clock, String node) {
        this.log = log;
        this.keys = keys;
        this.clock = clock;
        this.node = node;
    }

    /**
     * A subject named by a call: its key, how it may be shown, whether it is a person, and the key of its other
     * reading (an ID number that is a valid credit code too: the organisation's key) or null.
     */
    public record Subject(String key, String shown, boolean person, String otherKey) {
        public Subject(String key, String shown, boolean person) {
            this(key, shown, person, null);
        }

        /** Every key the subject may be under: its own, then its other reading's. */
        public List<String> keys() {
            return otherKey == null ? List.of(key) : List.of(key, otherKey);
        }
    }

    @Override
    public void afterCompletion(HttpServletRequest request, HttpServletResponse response, Object handler, Exception failure) {
        Caller caller = (Caller) request.getAttribute(ApiAccessFilter.CALLER);
        // the endpoint as the gate matched it: the access table is not matched a second time
        if (caller == null || !(request.getAttribute(ApiAccessFilter.ENDPOINT) instanceof AccessPolicy.Match.Found found)) {
            return;
        }
        String pattern = found.endpoint().path();
        Map<String, String> vars = found.variables();
        int status = failure != null && response.getStatus() < 400 ? 500 : response.getStatus();
        String endpoint = found.endpoint().method() + " " + pattern;
        Instant at = Instant.now(Clock.systemUTC());
        if ("GET".equals(found.endpoint().method())) {
            switch (pattern) {
                case CHECK, CREDIT -> {
                    Subject subject = subject(vars.get("code"));
                    if (subject != null && subject.person()) {
                        String matter = request.getParameter("matter");
                        log.record(entry(at, caller, AccessEntry.READ, endpoint, matter == null || matter.isBlank() ? endpoint : "matter " + matter,
                                subject, null, parameters(request, Map.of(), "department"), status));
                    }
                }
                case PERSONS -> log.record(entry(at, caller, AccessEntry.READ, endpoint, "persons behind the organisation by name",
                        subject(vars.get("code")), null, parameters(request, Map.of(), "department", "matter"), status));
                case COMMITMENTS_OVERDUE -> log.record(entry(at, caller, AccessEntry.READ, endpoint, endpoint, null, null,
                        parameters(request, Map.of(), "department"), status));
                case TRACE -> log.record(entry(at, caller, AccessEntry.READ, endpoint, endpoint, null, vars.get("recordId"), null, status));
                case RECEIPT -> log.record(entry(at, caller, AccessEntry.READ, endpoint, endpoint, null, null,
                        parameters(request, Map.of("receiptId", vars.get("id"))), status));
                case INITIATIONS, OBJECTIONS -> log.record(entry(at, caller, AccessEntry.READ, endpoint, endpoint, null, null,
                        parameters(request, Map.of(), "department", "overdue"), status));
                case INITIATION -> log.record(entry(at, caller, AccessEntry.READ, endpoint, endpoint, null, null,
                        parameters(request, Map.of("initiationId", vars.get("initiationId"))), status));
                case FANOUT_EVENT -> log.record(entry(at, caller, AccessEntry.READ, endpoint, endpoint, null, null,
                        parameters(request, Map.of("eventId", vars.get("eventId"))), status));
                case AUDIT -> log.record(entry(at, caller, AccessEntry.OPERATION, endpoint, endpoint, subject(request.getParameter("subject")), null,
                        parameters(request, Map.of(), "from", "to", "caller", "format", "limit"), status));
                default -> {
                    // other reads show no person's data beyond masked numbers
                }
            }
            return;
        }
        if (pattern.equals(BATCH_CHECK)) {
            if (request.getAttribute(BATCH_CODES) instanceof java.util.List<?> codes) {
                String matter = request.getParameter("matter");
                String purpose = matter == null || matter.isBlank() ? endpoint : "matter " + matter;
                for (Object code : codes) {
                    Subject subject = subject(String.valueOf(code));
                    if (subject != null && subject.person()) {
                        log.record(entry(at, caller, AccessEntry.READ, endpoint, purpose, subject, null,
                                parameters(request, Map.of(), "department"), status));
                    }
                }
            }
        } else if (pattern.startsWith(DECISIONS)) {
            Subject subject = subject(vars.get("code"));
            log.record(entry(at, caller, AccessEntry.OPERATION, endpoint, endpoint,
                    subject == null ? new Subject(null, shorten(vars.get("code")), false) : subject, vars.get("recordId"), null, status));
        } else if (caller.isAdmin()) {
            log.record(entry(at, caller, AccessEntry.OPERATION, endpoint, endpoint, null, null, parameters(request, vars, "from"), status));
        }
    }

    private AccessEntry entry(Instant at, Caller caller, String action, String endpoint, String purpose, Subject subject,
                              String recordId, String target, int status) {
        return new AccessEntry(at, node, caller.kind().word(), caller.name(), action, endpoint, purpose,
                subject == null ? null : subject.key(), subject == null ? null : subject.shown(), shorten(recordId), target, status);
    }

    /**
     * The subject a code names: an organisation by its credit code, a person by the keyed hash and the
     * masked number (also for a number that fails its check digit or date: it was still asked about);
     * null for anything else or nothing. The console names its subjects with it too.
     */
    public Subject subject(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        // read as the check reads it (an ID number first: about one in three hundred is a valid credit code too)
        SubjectCode read = SubjectCode.read(raw, keys, LocalDate.now(clock));
        if (read != null) {
            return new Subject(read.key(), read.shown(), read.person(), read.otherKey());
        }
        String code = Text.code(raw);
        if (code != null && LOOKS_LIKE_ID.matcher(code).matches()) {
            return new Subject(keys.person(code), IdNumber.mask(code), true);
        }
        return null;
    }

    /** {@code name=value} pairs of the path's ids and the named query parameters, ID numbers masked. */
    private static String parameters(HttpServletRequest request, Map<String, String> ids, String... names) {
        StringJoiner out = new StringJoiner(" ");
        new TreeMap<>(ids).forEach((k, v) -> out.add(k + "=" + shorten(v)));
        for (String name : names) {
            String value = request.getParameter(name);
            if (value != null) {
                out.add(name + "=" + shorten(value));
            }
        }
        return out.length() == 0 ? null : IdNumbers.maskAll(out.toString());
    }

    private static String shorten(String text) {
        return text == null ? null : IdNumbers.maskAll(cn.bazhong.credit.gateway.validation.Text.shorten(text, 100));
    }
}
