package cn.bazhong.credit.gateway.infra.logging;

import org.springframework.boot.logging.logback.ExtendedWhitespaceThrowableProxyConverter;

/**
 * Spring Boot's stack-trace rendering with ID numbers masked: exception messages may quote what a parser
 * or a client sent. (The trace keeps its lines; it is the gateway's own text.)
 */
public class SafeThrowableConverter extends ExtendedWhitespaceThrowableProxyConverter {

    @Override
    protected String throwableProxyToString(ch.qos.logback.classic.spi.IThrowableProxy tp) {
        return LogText.maskIdNumbers(super.throwableProxyToString(tp));
    }
}
