package cn.bazhong.credit.gateway.security;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Finds the caller an {@code Authorization: Bearer <key>} header belongs to. */
public class Authenticator {

    private final Map<String, Caller> byHash = new HashMap<>();

    public Authenticator(AccessSettings settings) {
        for (Map.Entry<String, List<String>> d : settings.departments().entrySet()) {
            for (String h : d.getValue()) {
                if (h != null && !h.isBlank()) {
                    byHash.put(h.strip().toLowerCase(), Caller.ofDepartment(d.getKey().toUpperCase()));
                }
            }
        }
        for (Map.Entry<String, List<String>> o : settings.operators().entrySet()) {
            for (String h : o.getValue()) {
                if (h != null && !h.isBlank()) {
                    byHash.put(h.strip().toLowerCase(), Caller.ofOperator(o.getKey()));
                }
            }
        }
    }

    public Optional<Caller> authenticate(String authorizationHeader) {
        if (authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        String key = authorizationHeader.substring(7).strip();
        if (key.isEmpty() || key.length() > 256) {
            return Optional.empty();
        }
        // the hash is the lookup key; equal hashes mean equal keys
        return Optional.ofNullable(byHash.get(ApiKeys.hash(key)));
    }
}
