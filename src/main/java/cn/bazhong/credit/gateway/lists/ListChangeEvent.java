package cn.bazhong.credit.gateway.lists;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * One change of one list entry, as the list-changes topic carries it (key = subject key, so that the
 * changes of a subject stay in order on one partition). The fan-out turns it into each department's
 * event body.
 *
 * @param id         stable: the same change always has the same id, whoever derives it and however often
 * @param type       wire name of the {@link ListChange}
 * @param occurredAt when the change happened in the gateway (its first derivation)
 * @param entry      the entry's state after the change, subject included
 */
public record ListChangeEvent(String id, String type, Instant occurredAt, String subjectKey, EntryState entry) {

    /** The change that brought the entry to {@code state} (whose {@code change} and {@code changedAt} are set). */
    public static ListChangeEvent of(String subjectKey, EntryState state) {
        // the event carries the entry as it is now; its history stays with the list state
        return new ListChangeEvent(idOf(state.recordId(), state.version(), state.change()), state.change(), state.changedAt(),
                subjectKey, state.history().isEmpty() ? state : state.withHistory(java.util.List.of()));
    }

    /** {@code evt_} + 32 hex characters of SHA-256 over record id, version and change: stable across retries and replays. */
    public static String idOf(String recordId, String version, String change) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((recordId + "\n" + version + "\n" + change).getBytes(StandardCharsets.UTF_8));
            return "evt_" + HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }
}
