package cn.bazhong.credit.gateway.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.util.List;
import java.util.Map;

/**
 * Credentials as configured: per department and per operator, the SHA-256 of each valid API key
 * (several during a key rotation). Keys themselves are never configured, stored or logged.
 */
@ConfigurationProperties(prefix = "gateway.access")
public record AccessSettings(Map<String, List<String>> departments, Map<String, List<String>> operators) {

    public Map<String, List<String>> departments() {
        return departments == null ? Map.of() : departments;
    }

    public Map<String, List<String>> operators() {
        return operators == null ? Map.of() : operators;
    }
}
