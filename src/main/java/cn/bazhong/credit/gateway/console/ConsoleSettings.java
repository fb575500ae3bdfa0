package cn.bazhong.credit.gateway.console;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * The operator console's settings ({@code gateway.console.*}).
 *
 * @param sessionTimeout a session not used for this long is signed out (30 minutes by default)
 * @param pageSize       rows per page of the console's lists (50 by default)
 */
@ConfigurationProperties(prefix = "gateway.console")
public record ConsoleSettings(Duration sessionTimeout, int pageSize) {

    public ConsoleSettings {
        sessionTimeout = sessionTimeout == null ? Duration.ofMinutes(30) : sessionTimeout;
        pageSize = pageSize <= 0 ? 50 : pageSize;
    }
}
