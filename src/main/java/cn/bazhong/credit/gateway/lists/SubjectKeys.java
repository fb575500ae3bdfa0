package cn.bazhong.credit.gateway.lists;

import cn.bazhong.credit.gateway.schema.Subject;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

/**
 * The key subjects are stored and looked up under: the credit code for organisations, and for a
 * natural person a keyed hash of the ID number (credit-schema.md, personal data), so that no view or
 * topic key holds an ID number.
 */
public final class SubjectKeys {

    private final byte[] secret;

    public SubjectKeys(String secret) {
        if (secret == null || secret.length() < 16) {
            throw new IllegalArgumentException("gateway.lists.subject-key-secret must be at least 16 characters");
        }
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
    }

    public String of(Subject subject) {
        return subject.isPerson() ? person(subject.idNumber()) : organisation(subject.uscc());
    }

    public String organisation(String uscc) {
        return "O:" + uscc;
    }

    public String person(String idNumber) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return "P:" + HexFormat.of().formatHex(mac.doFinal(idNumber.getBytes(StandardCharsets.UTF_8)), 0, 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JVM has no HmacSHA256", e);
        }
    }
}
