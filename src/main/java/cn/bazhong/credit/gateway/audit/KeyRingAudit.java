package cn.bazhong.credit.gateway.audit;

import cn.bazhong.credit.gateway.crypto.KeyRing;

import java.time.Clock;
import java.time.Instant;

/**
 * Key rotations in the access log: the key tools run without the gateway, so a rotation takes effect when a
 * node starts with the new ring. Each node records, as it starts, the ring it seals with (the KEK, the current
 * data key and cipher, how many keys the ring holds); two entries in a row that differ are a rotation. Never a
 * key byte.
 */
public final class KeyRingAudit {

    public static final String ENDPOINT = "keys: key ring in use";

    private KeyRingAudit() {
    }

    public static AccessEntry entry(KeyRing ring, String node, Clock clock) {
        var current = ring.current();
        String target = "kek=" + current.kekId() + " current=" + current.id() + " algorithm=" + current.algorithm().label()
                + " keys=" + ring.keys().size();
        return new AccessEntry(Instant.now(clock), node, "system", "gateway", AccessEntry.OPERATION, ENDPOINT, "field encryption",
                null, null, null, target, 200);
    }
}
