package cn.bazhong.credit.gateway.infra.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import org.springframework.boot.logging.logback.StructuredLogEncoder;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * Spring Boot's structured (JSON) log encoder ({@code logging.structured.format.console=ecs|logstash|gelf}),
 * with personal ID numbers masked in the whole line it writes: the message, the stack trace, the MDC (record
 * ids can hold a person's number) and any other field. JSON escapes control characters itself, so a
 * request cannot forge a line here either. Used by {@code logback-spring.xml} when a structured format is set.
 */
public class SafeStructuredLogEncoder extends StructuredLogEncoder {

    private Charset charset = StandardCharsets.UTF_8;

    @Override
    public void setCharset(Charset charset) {
        super.setCharset(charset);
        this.charset = charset;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        byte[] line = super.encode(event);
        String text = new String(line, charset);
        String masked = LogText.maskIdNumbers(text);
        return masked.equals(text) ? line : masked.getBytes(charset);
    }
}
