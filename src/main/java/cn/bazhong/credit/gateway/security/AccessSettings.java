package cn.bazhong.credit.gateway.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.util.List;
import java.util.Map;

/**
 * Credentials as configured: for each caller, the SHA-256 of each of its valid API keys (several during
 * a key rotation). Keys themselves are never configured, stored or logged.
 *
 * @param departments department code → key hashes; a department acts only for itself
 * @param province    the provincial platform's key hashes; it may only push list updates
 * @param viewers     operator name → key hashes; operators who read (dead letters, receipts, reports, health)
 * @param admins      operator name → key hashes; operators who also act (replays, enables, decisions)
 * @param operators   the former single operator kind, refused at start-up with a message saying what replaced it
 */
@ConfigurationProperties(prefix = "gateway.access")
public record AccessSettings(Map<String, List<String>> departments, List<String> province,
                             Map<String, List<String>> viewers, Map<String, List<String>> admins,
                             Map<String, Object> operators) {

    public Map<String, List<String>> departments() {
        return departments == null ? Map.of() : departments;
    }

    public List<String> province() {
        return province == null ? List.of() : province;
    }

    public Map<String, List<String>> viewers() {
        return viewers == null ? Map.of() : viewers;
    }

    public Map<String, List<String>> admins() {
        return admins == null ? Map.of() : admins;
    }

    public Map<String, Object> operators() {
        return operators == null ? Map.of() : operators;
    }
}
