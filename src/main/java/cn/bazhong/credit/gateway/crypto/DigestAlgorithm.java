package cn.bazhong.credit.gateway.crypto;

import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SM3Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;

import java.util.Locale;
import java.util.function.Supplier;

/**
 * The hash functions the gateway uses, each with its HMAC (RFC 2104): SHA-256 (FIPS 180-4) and SM3
 * (GB/T 32905-2016), both with 32-byte outputs.
 */
public enum DigestAlgorithm {

    SHA_256("SHA-256", "HMAC-SHA256", SHA256Digest::new),
    SM3("SM3", "HMAC-SM3", SM3Digest::new);

    private final String standardName;
    private final String hmacName;
    private final Supplier<Digest> digests;

    DigestAlgorithm(String standardName, String hmacName, Supplier<Digest> digests) {
        this.standardName = standardName;
        this.hmacName = hmacName;
        this.digests = digests;
    }

    /** "SHA-256" or "SM3". */
    public String standardName() {
        return standardName;
    }

    /** "HMAC-SHA256" or "HMAC-SM3". */
    public String hmacName() {
        return hmacName;
    }

    public byte[] digest(byte[] data) {
        Digest digest = digests.get();
        digest.update(data, 0, data.length);
        byte[] out = new byte[digest.getDigestSize()];
        digest.doFinal(out, 0);
        return out;
    }

    public byte[] hmac(byte[] key, byte[] data) {
        HMac mac = new HMac(digests.get());
        mac.init(new KeyParameter(key));
        mac.update(data, 0, data.length);
        byte[] out = new byte[mac.getMacSize()];
        mac.doFinal(out, 0);
        return out;
    }

    /**
     * Reads a configured name: "SHA-256", "SHA256", "HMAC-SHA256", "SM3" or "HMAC-SM3" (any case).
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static DigestAlgorithm parse(String name) {
        String n = name == null ? "" : name.trim().toUpperCase(Locale.ROOT).replace("HMAC-", "").replace("HMAC", "");
        return switch (n) {
            case "SHA-256", "SHA256" -> SHA_256;
            case "SM3" -> SM3;
            default -> throw new IllegalArgumentException("'" + name + "' is not a digest the gateway knows: SHA-256 or SM3 "
                    + "(HMAC-SHA256 or HMAC-SM3 for keyed hashes)");
        };
    }
}
