package cn.bazhong.credit.simulators.province;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * The simulator's one JSON configuration. Bodies are read as plain maps, lists and scalars (decimals
 * as {@link java.math.BigDecimal}, exactly as written); duplicate keys and trailing content are errors.
 */
final class Json {

    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS, DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .addModule(new JavaTimeModule())
            .build();

    private static final ObjectWriter CANONICAL = MAPPER.writer().with(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private Json() {
    }

    /** Parses a body; the exception message is one line, without Jackson's source excerpt. */
    static Object parse(byte[] body) throws MalformedJson {
        try {
            return MAPPER.readValue(body, Object.class);
        } catch (JsonProcessingException e) {
            throw new MalformedJson(e.getOriginalMessage());
        } catch (IOException e) {
            throw new MalformedJson(e.getMessage());
        }
    }

    static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not serialisable as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** A deep plain-JSON copy (maps, lists, scalars) of any serialisable map. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> plainCopy(Map<String, ?> value) {
        try {
            return MAPPER.readValue(write(value), Map.class);
        } catch (IOException e) {
            throw new IllegalStateException("a serialised map could not be read back", e);
        }
    }

    /** SHA-256 (hex) of the value re-serialised with every object's keys sorted. */
    static String canonicalHash(Object parsed) {
        try {
            byte[] canonical = CANONICAL.writeValueAsBytes(parsed);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed body could not be written back", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** A body that is not JSON. */
    static final class MalformedJson extends Exception {
        MalformedJson(String message) {
            super(message);
        }
    }
}
