package cn.bazhong.credit.gateway.console;

import cn.bazhong.credit.gateway.security.Caller;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The console's server-side sessions: a random id (the cookie) maps to the operator who signed in and the
 * session's CSRF token. Nothing about the operator travels in the cookie. A session not used for
 * {@code timeout} is gone; sessions live in this node's memory (a load balancer keeps an operator on one
 * node, and a restart signs everybody out).
 */
public class ConsoleSessions {

    /** One signed-in operator. */
    public record Session(String id, Caller caller, String csrfToken, Instant signedInAt) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, Held> sessions = new ConcurrentHashMap<>();
    private final Duration timeout;
    private final Clock clock;

    private static final class Held {
        final Session session;
        volatile Instant lastSeen;

        Held(Session session, Instant lastSeen) {
            this.session = session;
            this.lastSeen = lastSeen;
        }
    }

    public ConsoleSessions(Duration timeout, Clock clock) {
        this.timeout = timeout;
        this.clock = clock;
    }

    /** Opens a session for {@code caller}; every expired session is dropped on the way. */
    public Session open(Caller caller) {
        Instant now = clock.instant();
        sessions.values().removeIf(h -> expired(h, now));
        Session session = new Session(token(), caller, token(), now);
        sessions.put(session.id(), new Held(session, now));
        return session;
    }

    /** The session with this id if it is still alive, marked as used now; empty otherwise. */
    public Optional<Session> use(String id) {
        if (id == null) {
            return Optional.empty();
        }
        Held held = sessions.get(id);
        Instant now = clock.instant();
        if (held == null) {
            return Optional.empty();
        }
        if (expired(held, now)) {
            sessions.remove(id, held);
            return Optional.empty();
        }
        held.lastSeen = now;
        return Optional.of(held.session);
    }

    public void close(String id) {
        if (id != null) {
            sessions.remove(id);
        }
    }

    public Duration timeout() {
        return timeout;
    }

    private boolean expired(Held held, Instant now) {
        return !held.lastSeen.plus(timeout).isAfter(now);
    }

    /** 32 random bytes, URL-safe base64. */
    static String token() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Compares two tokens in time independent of where they differ; false when either is missing. */
    static boolean same(String expected, String given) {
        return expected != null && given != null
                && MessageDigest.isEqual(expected.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                given.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
