package cn.bazhong.credit.gateway.security;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the caller an {@code Authorization: Bearer <key>} header belongs to. Reads nothing but the
 * header: the web layer calls it before a byte of the request body is read.
 */
public class Authenticator {

    private final Map<String, Caller> byHash = new HashMap<>();

    public Authenticator(AccessSettings settings) {
        if (!settings.operators().isEmpty()) {
            throw new IllegalStateException("gateway.access.operators is no longer read: operators are now either "
                    + "gateway.access.viewers.<name> (read only) or gateway.access.admins.<name> (replays, enables, decisions), "
                    + "and the province's key moved to gateway.access.province; move " + settings.operators().keySet() + " there");
        }
        settings.departments().forEach((code, hashes) -> add(hashes, Caller.department(code)));
        add(settings.province(), Caller.province());
        settings.viewers().forEach((name, hashes) -> add(hashes, Caller.viewer(name)));
        settings.admins().forEach((name, hashes) -> add(hashes, Caller.admin(name)));
    }

    private void add(List<String> hashes, Caller caller) {
        for (String h : hashes) {
            if (h == null || h.isBlank()) {
                continue;
            }
            Caller before = byHash.put(h.strip().toLowerCase(java.util.Locale.ROOT), caller);
            if (before != null && !before.equals(caller)) {
                throw new IllegalStateException("one API key is configured for two callers, " + before + " and " + caller
                        + ": every caller needs keys of its own");
            }
        }
    }

    /** The caller whose key the header carries; empty when the header is missing, malformed or the key unknown. */
    public Optional<Caller> authenticate(String authorizationHeader) {
        String key = bearerKey(authorizationHeader);
        return key == null ? Optional.empty() : Optional.ofNullable(byHash.get(ApiKeys.hash(key)));
    }

    /** The key of a {@code Bearer} header, or null when there is none of a sensible length. */
    public static String bearerKey(String authorizationHeader) {
        if (authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String key = authorizationHeader.substring(7).strip();
        return key.isEmpty() || key.length() > 256 ? null : key;
    }
}
