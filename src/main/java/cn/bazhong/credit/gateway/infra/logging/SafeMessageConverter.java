package cn.bazhong.credit.gateway.infra.logging;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * Logback's {@code %m} with {@link LogText#safe}: every message on one line, ID numbers masked. Bound to
 * {@code %m}, {@code %msg} and {@code %message} in {@code logback-spring.xml}, so every pattern uses it.
 */
public class SafeMessageConverter extends MessageConverter {

    @Override
    public String convert(ILoggingEvent event) {
        return LogText.safe(super.convert(event));
    }
}
