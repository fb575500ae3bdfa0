package cn.bazhong.credit.gateway.console;

import cn.bazhong.credit.gateway.audit.AccessEntry;
import cn.bazhong.credit.gateway.audit.AccessLog;
import cn.bazhong.credit.gateway.security.Caller;

import java.time.Clock;
import java.time.Instant;

/**
 * Puts the console's actions into the access log ({@code audit.AccessLog}), as the API's
 * {@code AccessLogInterceptor} does for API calls: who (the operator, or {@code unknown} for a failed
 * sign-in), what (the console's method and path pattern, with its ids as the target), when, and the
 * outcome as an HTTP status. Reads of a person's data through the console are entries too.
 */
public class ConsoleAudit {

    /** Marks the console's entries: their endpoint starts with this. */
    public static final String PREFIX = "console ";

    private final AccessLog log;
    private final String node;

    public ConsoleAudit(AccessLog log, String node) {
        this.log = log;
        this.node = node;
    }

    /**
     * An operator's action, or a refused one.
     *
     * @param caller   who; null when nobody could be identified (a failed sign-in)
     * @param endpoint e.g. {@code POST /console/departments/{dept}/enable}
     * @param target   the ids it acted on, e.g. {@code dept=D05}
     * @param status   the outcome: 200/202 done, 401 sign-in refused, 403 refused, 404 nothing there, 409 already decided
     */
    public void action(Caller caller, String endpoint, String target, int status) {
        log.record(new AccessEntry(Instant.now(Clock.systemUTC()), node, caller == null ? "unknown" : caller.kind().word(),
                caller == null ? null : caller.name(), AccessEntry.OPERATION, PREFIX + endpoint, PREFIX + endpoint,
                null, null, null, target, status));
    }

    /** A read of a person's data: the subject by its key and masked form, a record by its id, or a receipt (target). */
    public void read(Caller caller, String endpoint, String subjectKey, String subjectShown, String recordId, String target, int status) {
        log.record(new AccessEntry(Instant.now(Clock.systemUTC()), node, caller.kind().word(), caller.name(), AccessEntry.READ,
                PREFIX + endpoint, PREFIX + endpoint, subjectKey, subjectShown, recordId, target, status));
    }
}
