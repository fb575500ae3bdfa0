package cn.bazhong.credit.gateway.console;

import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;

/**
 * How the console's pages show a moment: {@code 2026-12-05 18:49:37} in the gateway's time zone (the
 * clock's, Asia/Shanghai in the city), not the UTC instant the services keep. Pages call it as
 * {@code ${@consoleTime.format(x)}}.
 */
@Component("consoleTime")
public class ConsoleTime {

    private final DateTimeFormatter format;

    public ConsoleTime(Clock clock) {
        this.format = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(clock.getZone());
    }

    public String format(Instant at) {
        return at == null ? "" : format.format(at);
    }
}
