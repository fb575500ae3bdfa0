package cn.bazhong.credit.gateway.schema;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import com.fasterxml.jackson.datatype.jsr310.deser.LocalDateDeserializer;

import java.io.IOException;
import java.io.Serial;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.function.Function;

/**
 * Reads the dates ({@code 2026-03-02}) and instants ({@code 2026-03-02T08:09:10.123Z}) the gateway writes by their
 * digits instead of through {@link java.time.format.DateTimeFormatter}, which spent about half of the time of reading
 * a list state (a profile of the list view's rebuild: 45 % of its reader in the formatter's parse). Anything else (another
 * shape, an impossible day, a leap second, a number) goes to Jackson's own deserializers, with their answers and errors.
 */
final class IsoTimeReading extends SimpleModule {

    @Serial
    private static final long serialVersionUID = 1L;

    IsoTimeReading() {
        super("iso-time-reading");
        addDeserializer(LocalDate.class, new ByDigits<>(LocalDate.class, IsoTimeReading::date, LocalDateDeserializer.INSTANCE));
        addDeserializer(Instant.class, new ByDigits<>(Instant.class, IsoTimeReading::instant, InstantDeserializer.INSTANT));
    }

    /** {@code yyyy-MM-dd}, or null when the text has another shape or names no day. */
    static LocalDate date(String s) {
        if (s.length() != 10 || s.charAt(4) != '-' || s.charAt(7) != '-') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 7);
        int day = digits(s, 8, 10);
        if (year < 0 || month < 0 || day < 0) {
            return null;
        }
        try {
            return LocalDate.of(year, month, day);
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** {@code yyyy-MM-ddTHH:mm:ss[.f…]Z} with up to nine digits of fraction, or null otherwise. */
    static Instant instant(String s) {
        int n = s.length();
        if (n < 20 || n > 30 || s.charAt(n - 1) != 'Z' || s.charAt(10) != 'T' || s.charAt(13) != ':' || s.charAt(16) != ':') {
            return null;
        }
        LocalDate day = date(s.substring(0, 10));
        int hour = digits(s, 11, 13);
        int minute = digits(s, 14, 16);
        int second = digits(s, 17, 19);
        if (day == null || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return null;
        }
        int nanos = 0;
        if (n > 20) {
            if (s.charAt(19) != '.' || n == 21) {
                return null;
            }
            int fraction = digits(s, 20, n - 1);
            if (fraction < 0) {
                return null;
            }
            for (int i = n - 1 - 20; i < 9; i++) {
                fraction *= 10;
            }
            nanos = fraction;
        }
        return Instant.ofEpochSecond(day.toEpochDay() * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
    }

    /** The decimal number of s[from, to), or -1 when a character is not a digit. */
    private static int digits(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** Reads a string by its digits when it can, and hands everything else to Jackson's own deserializer. */
    private static final class ByDigits<T> extends StdScalarDeserializer<T> {
        @Serial
        private static final long serialVersionUID = 1L;
        private final transient Function<String, T> parse;
        private final transient JsonDeserializer<T> fallback;

        ByDigits(Class<T> type, Function<String, T> parse, JsonDeserializer<T> fallback) {
            super(type);
            this.parse = parse;
            this.fallback = fallback;
        }

        @Override
        public T deserialize(JsonParser p, DeserializationContext context) throws IOException {
            if (p.hasToken(JsonToken.VALUE_STRING)) {
                T value = parse.apply(p.getText());
                if (value != null) {
                    return value;
                }
            }
            return fallback.deserialize(p, context);
        }
    }
}
