package cn.bazhong.credit.gateway.fanout;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.EmptyWebhookSecretException;
import com.standardwebhooks.exceptions.WebhookSigningException;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Signs webhook deliveries per Standard Webhooks 1.0: {@code webhook-id}, {@code webhook-timestamp} (Unix
 * seconds of this attempt) and {@code webhook-signature}, {@code v1,<base64 HMAC-SHA256 of "id.timestamp.body">}
 * keyed with the base64 part of the endpoint secret {@code whsec_...}. During a secret rotation it is given
 * several secrets and sends one signature per secret, space-separated, so the receiver may hold either.
 * The HMAC itself is computed by the official {@code com.standardwebhooks} library.
 */
public final class WebhookSigner {

    public static final String ID_HEADER = "webhook-id";
    public static final String TIMESTAMP_HEADER = "webhook-timestamp";
    public static final String SIGNATURE_HEADER = "webhook-signature";
    public static final String SECRET_PREFIX = "whsec_";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern EVENT_ID = Pattern.compile("[\\x21-\\x7E]{1,255}");

    private final List<Webhook> keys;

    /** One endpoint secret; rejects (without echoing it) anything that is not {@code whsec_<base64>}. */
    public WebhookSigner(String secret) {
        this(List.of(secret));
    }

    /** Several secrets during rotation: the new and the old one; every delivery carries a signature by each. */
    public WebhookSigner(List<String> secrets) {
        if (secrets == null || secrets.isEmpty()) {
            throw new IllegalArgumentException("at least one webhook secret is needed");
        }
        List<Webhook> out = new ArrayList<>();
        for (String s : secrets) {
            String problem = secretProblem(s);
            if (problem != null) {
                throw new IllegalArgumentException("webhook secret " + problem);
            }
            try {
                out.add(new Webhook(s));
            } catch (EmptyWebhookSecretException e) {
                throw new IllegalArgumentException("webhook secret " + e.getMessage(), e);
            }
        }
        this.keys = List.copyOf(out);
    }

    /**
     * The three headers of one delivery attempt, in order id, timestamp, signature. {@code body} is the exact
     * request body (UTF-8 JSON); a body that is not valid UTF-8 is refused, since the receiver verifies it as text.
     */
    public Map<String, String> headers(String eventId, Instant timestamp, byte[] body) {
        long seconds = timestamp.getEpochSecond();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(ID_HEADER, eventId);
        headers.put(TIMESTAMP_HEADER, Long.toString(seconds));
        headers.put(SIGNATURE_HEADER, signature(eventId, seconds, body));
        return java.util.Collections.unmodifiableMap(headers);
    }

    /** The {@code webhook-signature} value: one {@code v1,<base64>} per secret, space-separated. */
    public String signature(String eventId, long timestampSeconds, byte[] body) {
        if (eventId == null || !EVENT_ID.matcher(eventId).matches()) {
            throw new IllegalArgumentException("event id must be 1-255 printable ASCII characters without spaces");
        }
        String payload = utf8(body);
        List<String> signatures = new ArrayList<>(keys.size());
        for (Webhook key : keys) {
            try {
                signatures.add(key.sign(eventId, timestampSeconds, payload));
            } catch (WebhookSigningException e) {
                throw new IllegalStateException("cannot sign webhook: " + e.getMessage(), e);
            }
        }
        return String.join(" ", signatures);
    }

    /** A fresh endpoint secret: {@code whsec_} and the base64 of 24 random bytes. */
    public static String newSecret() {
        byte[] key = new byte[24];
        RANDOM.nextBytes(key);
        return SECRET_PREFIX + Base64.getEncoder().encodeToString(key);
    }

    /** What is wrong with a secret (never quoting it), or null when it is a usable {@code whsec_<base64>}. */
    public static String secretProblem(String secret) {
        if (secret == null || !secret.startsWith(SECRET_PREFIX)) {
            return "must start with " + SECRET_PREFIX;
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length()));
        } catch (IllegalArgumentException e) {
            return "must be standard base64 after " + SECRET_PREFIX;
        }
        if (key.length < 16) {
            return "must hold at least 16 bytes after " + SECRET_PREFIX + " (24 are generated)";
        }
        return null;
    }

    private static String utf8(byte[] body) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("webhook body is not valid UTF-8", e);
        }
    }
}
