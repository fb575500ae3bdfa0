package cn.bazhong.credit.gateway.infra.logging;

import org.slf4j.MDC;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Ids of what the current thread works on, in the logging MDC for as long as it works on it: every log
 * line in between carries them (as fields of the structured JSON logs, docs/operations.md, "Logs"). Closing
 * puts back what was there before, so contexts nest:
 * <pre>{@code try (LogContext ignored = LogContext.with(LogContext.BATCH, batch.batchId())) { ... }}</pre>
 */
public final class LogContext implements AutoCloseable {

    public static final String DEPARTMENT = "department";
    public static final String FEED = "feed";
    public static final String RECEIPT = "receiptId";
    public static final String BATCH = "batchId";
    public static final String RECORD = "recordId";

    private final Map<String, String> before = new LinkedHashMap<>();

    private LogContext() {
    }

    public static LogContext with(String key, String value) {
        return new LogContext().and(key, value);
    }

    /** Adds one more id; a null value leaves the key out while this context is open. */
    public LogContext and(String key, String value) {
        if (!before.containsKey(key)) {
            before.put(key, MDC.get(key));
        }
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
        return this;
    }

    @Override
    public void close() {
        before.forEach((key, value) -> {
            if (value == null) {
                MDC.remove(key);
            } else {
                MDC.put(key, value);
            }
        });
    }
}
