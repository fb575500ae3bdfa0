package cn.bazhong.credit.gateway.lists;

import cn.bazhong.credit.gateway.crypto.DigestAlgorithm;
import cn.bazhong.credit.gateway.crypto.KeyedHash;
import cn.bazhong.credit.gateway.privacy.PersonalFields;
import cn.bazhong.credit.gateway.schema.Subject;

import java.nio.charset.StandardCharsets;

/**
 * The key subjects are stored and looked up under: the credit code for organisations, and for a
 * natural person a keyed hash of the ID number (credit-schema.md, personal data), so that no view or
 * topic key holds an ID number: {@code P:} and the first 16 bytes, in hex, of HMAC-SHA256 (the default)
 * or HMAC-SM3 ({@code gateway.crypto.person-hash}) under {@code gateway.lists.subject-key-secret}.
 * Changing the algorithm changes every person's key, as changing the secret does: the list state is then
 * rebuilt under the new keys.
 */
public final class SubjectKeys {

    private final KeyedHash hash;
    private final PersonalFields personal;

    public SubjectKeys(String secret) {
        this(secret, DigestAlgorithm.SHA_256);
    }

    public SubjectKeys(String secret, DigestAlgorithm algorithm) {
        this(secret, algorithm, PersonalFields.CLEAR);
    }

    /** With {@code personal}, a sealed ID number (of a stored record) is opened to be hashed: the key is the same as for the clear one. */
    public SubjectKeys(String secret, DigestAlgorithm algorithm, PersonalFields personal) {
        this.personal = personal;
        if (secret == null || secret.length() < 16) {
            throw new IllegalArgumentException("gateway.lists.subject-key-secret must be at least 16 characters");
        }
        this.hash = new KeyedHash(algorithm, secret.getBytes(StandardCharsets.UTF_8));
    }

    /** HMAC-SHA256 or HMAC-SM3. */
    public DigestAlgorithm algorithm() {
        return hash.algorithm();
    }

    public String of(Subject subject) {
        return subject.isPerson() ? person(subject.idNumber()) : organisation(subject.uscc());
    }

    public String organisation(String uscc) {
        return "O:" + uscc;
    }

    public String person(String idNumber) {
        return "P:" + hash.hex(personal.open(PersonalFields.ID_NUMBER, idNumber), 16);
    }
}
