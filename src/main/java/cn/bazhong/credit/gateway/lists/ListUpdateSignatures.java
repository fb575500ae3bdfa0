package cn.bazhong.credit.gateway.lists;

import cn.bazhong.credit.gateway.crypto.Sm2BodyVerifier;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * Whether the province's list updates must be SM2-signed, and the check: with
 * {@code gateway.province.list-updates.sm2-public-key-file} set, a pushed body ({@code POST
 * /api/v1/upstream/list-updates}) and a pulled page ({@code GET .../list-updates}) are taken in only when
 * they carry {@code X-Signature-SM2} over their exact bytes by the province's key; otherwise nothing is
 * checked (the contract names no signature).
 */
public final class ListUpdateSignatures {

    public static final ListUpdateSignatures NOT_REQUIRED = new ListUpdateSignatures(null);

    private final Sm2BodyVerifier verifier;

    /** @param verifier the province's key, or null when signatures are not required */
    public ListUpdateSignatures(Sm2BodyVerifier verifier) {
        this.verifier = verifier;
    }

    public boolean required() {
        return verifier != null;
    }

    /**
     * Empty when the body may be taken in: signatures not required, or a good one.
     *
     * @param body read to its end when signatures are required
     */
    public Optional<Sm2BodyVerifier.Refusal> check(InputStream body, String signatureHeader, String keyIdHeader) throws IOException {
        return verifier == null ? Optional.empty() : Optional.ofNullable(verifier.check(body, signatureHeader, keyIdHeader));
    }

    public Optional<Sm2BodyVerifier.Refusal> check(byte[] body, String signatureHeader, String keyIdHeader) {
        return verifier == null ? Optional.empty() : Optional.ofNullable(verifier.check(body, signatureHeader, keyIdHeader));
    }

    @Override
    public String toString() {
        return verifier == null ? "list updates unsigned" : "list updates SM2-signed by " + verifier;
    }
}
