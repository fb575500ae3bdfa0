package cn.bazhong.credit.gateway.crypto;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Base64;

/**
 * Checks a body signed by another party (the province's list updates) in the gateway's SM2 headers
 * ({@link Sm2BodySignature}): the signature must be there, name the expected key when it names one, and be
 * the SM2 signature of the exact body under the configured public key and user id.
 */
public final class Sm2BodyVerifier {

    /** Why a body was refused: a stable rule code and a sentence for the caller (no key material). */
    public record Refusal(String rule, String detail) {
    }

    private final PublicKey key;
    private final String userId;
    private final String keyId;

    public Sm2BodyVerifier(PublicKey key, String userId) {
        this.key = key;
        this.userId = userId == null || userId.isEmpty() ? Sm2.DEFAULT_USER_ID : userId;
        this.keyId = Sm2SigningKey.keyId(key);
    }

    /**
     * The verifier of an X.509 SubjectPublicKeyInfo PEM (or DER) file: a public key, so any permissions do.
     *
     * @throws CryptoException when the file cannot be read or holds no SM2 public key
     */
    public static Sm2BodyVerifier fromPublicKeyFile(Path file, String userId) {
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new CryptoException("cannot read the SM2 public key file " + file + ": " + e.getMessage(), e);
        }
        return new Sm2BodyVerifier(Sm2.readPublicKey(content), userId);
    }

    public String keyId() {
        return keyId;
    }

    public Refusal check(byte[] body, String signatureHeader, String keyIdHeader) {
        try {
            return check(new ByteArrayInputStream(body), signatureHeader, keyIdHeader);
        } catch (IOException e) {
            throw new IllegalStateException(e); // not from a byte array
        }
    }

    /**
     * Null when {@code body} (read to its end) carries a good signature, else why not.
     *
     * @param signatureHeader the {@code X-Signature-SM2} header, or null
     * @param keyIdHeader     the {@code X-Signature-SM2-Key} header, or null (then the configured key is tried)
     */
    public Refusal check(InputStream body, String signatureHeader, String keyIdHeader) throws IOException {
        if (signatureHeader == null || signatureHeader.isBlank()) {
            return new Refusal("sm2-signature-missing", "the body must be signed: header " + Sm2BodySignature.SIGNATURE_HEADER
                    + " (base64 of the DER SM2 signature over the exact body) is missing");
        }
        if (keyIdHeader != null && !keyIdHeader.isBlank() && !keyIdHeader.strip().equalsIgnoreCase(keyId)) {
            return new Refusal("sm2-signature-key", "the body is signed with key " + printable(keyIdHeader)
                    + ", not with the key this gateway expects (" + keyId + ")");
        }
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(signatureHeader.strip());
        } catch (IllegalArgumentException e) {
            return new Refusal("sm2-signature-invalid", "header " + Sm2BodySignature.SIGNATURE_HEADER + " is not base64");
        }
        boolean good;
        try {
            good = Sm2.verify(key, userId, body, signature);
        } catch (CryptoException e) {
            good = false;
        }
        return good ? null : new Refusal("sm2-signature-invalid", "the SM2 signature does not match the body under key " + keyId
                + " (the body must be signed exactly as sent, with user id " + userId + ")");
    }

    private static String printable(String s) {
        String t = s.strip();
        t = t.length() > 64 ? t.substring(0, 64) + "…" : t;
        return t.replaceAll("[^\\x21-\\x7E]", "?");
    }

    @Override
    public String toString() {
        return "Sm2BodyVerifier[key " + keyId + ", user id " + userId + "]";
    }
}
