package cn.bazhong.credit.gateway.reload;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * Live reload ({@code gateway.reload.*}).
 *
 * @param enabled  watch mappings/, routes/, the catalog and the subscriptions file, and apply a changed file
 *                 once checked; off in the production profile, where files change with a restart
 * @param debounce quiet time after the last change before the changed files are checked, so that a file
 *                 written in several steps (an editor, a copy) is read once, whole
 */
@ConfigurationProperties(prefix = "gateway.reload")
public record ReloadSettings(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("1s") Duration debounce) {
}
