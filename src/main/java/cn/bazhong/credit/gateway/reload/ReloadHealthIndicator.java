package cn.bazhong.credit.gateway.reload;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Health component {@code reload}: DOWN while the newest content of a watched file is refused (the details
 * give each such file with its {@code file:line: problem}; the previous version keeps running), UP otherwise.
 * Not part of readiness: the node serves on with what it loaded before.
 */
public final class ReloadHealthIndicator implements HealthIndicator {

    private final LoadedFiles loaded;
    private final ReloadSettings settings;

    public ReloadHealthIndicator(LoadedFiles loaded, ReloadSettings settings) {
        this.loaded = loaded;
        this.settings = settings;
    }

    @Override
    public Health health() {
        Map<String, Object> refused = new LinkedHashMap<>();
        for (LoadedFile f : loaded.refusedFiles()) {
            refused.put(f.file(), f.refused());
        }
        Health.Builder health = refused.isEmpty() ? Health.up() : Health.down();
        health.withDetail("enabled", settings.enabled());
        if (!refused.isEmpty()) {
            health.withDetail("refused", refused);
        }
        return health.build();
    }
}
