package cn.bazhong.credit.gateway.console;

import cn.bazhong.credit.gateway.crypto.DigestAlgorithm;
import cn.bazhong.credit.gateway.crypto.KeyedHash;

import java.security.SecureRandom;

/**
 * Stands for a record id in the console's links and forms. A record id may hold a person's ID number
 * (the pages show it masked), so a page never carries the id itself but its keyed hash under a key drawn
 * when the node starts: the console finds the record again among the few it offers (the pending
 * objections). A reference holds as long as the node's sessions do, until a restart.
 */
final class RecordRefs {

    private final KeyedHash hash;

    RecordRefs() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        this.hash = new KeyedHash(DigestAlgorithm.SHA_256, key);
    }

    String of(String recordId) {
        return hash.hex(recordId, 16);
    }
}
