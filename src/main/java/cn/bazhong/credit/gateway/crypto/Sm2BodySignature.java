package cn.bazhong.credit.gateway.crypto;

import java.security.PublicKey;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The gateway's own SM2 signature of an HTTP body (docs/security.md, "SM2 signatures on the wire"): two
 * headers, {@value #SIGNATURE_HEADER} = base64 of the DER SM2 signature over the exact body bytes, and
 * {@value #KEY_HEADER} = the signing key's id ({@link Sm2SigningKey#keyId}). Used on upstream batches,
 * department webhooks and, read the other way, on the province's list updates.
 */
public final class Sm2BodySignature {

    public static final String SIGNATURE_HEADER = "X-Signature-SM2";
    public static final String KEY_HEADER = "X-Signature-SM2-Key";

    private Sm2BodySignature() {
    }

    /** The two headers to send with {@code body}, in order: signature, key id. */
    public static Map<String, String> headers(Sm2SigningKey key, byte[] body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(SIGNATURE_HEADER, Base64.getEncoder().encodeToString(key.sign(body)));
        headers.put(KEY_HEADER, key.keyId());
        return headers;
    }

    /**
     * Whether {@code signatureHeader} (base64 of a DER signature) is the SM2 signature of {@code body} by the
     * holder of {@code key} under {@code userId}. Anything that is not base64, or not a DER signature, is
     * simply not a signature of the body.
     */
    public static boolean verifies(PublicKey key, String userId, byte[] body, String signatureHeader) {
        if (signatureHeader == null || signatureHeader.isBlank()) {
            return false;
        }
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(signatureHeader.strip());
        } catch (IllegalArgumentException e) {
            return false;
        }
        try {
            return Sm2.verify(key, userId, body, signature);
        } catch (CryptoException e) {
            return false; // e.g. a DER structure BouncyCastle rejects outright
        }
    }
}
