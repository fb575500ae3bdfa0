package cn.bazhong.credit.gateway.crypto;

import org.bouncycastle.crypto.digests.SM3Digest;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/**
 * An SM2 verifier written from the equations of GB/T 32918.2-2016 §7 with BigInteger arithmetic in affine
 * coordinates, for checking the gateway's signer: it calls neither {@link Sm2} nor BouncyCastle's SM2 or EC
 * classes (only its SM3 digest, which the SM3 vectors check on their own). Slow and not constant-time: a
 * test tool only.
 */
public final class Sm2StandardVerifier {

    /** An elliptic curve y² = x³ + ax + b over F_p with base point G of order n. */
    record Curve(BigInteger p, BigInteger a, BigInteger b, BigInteger gx, BigInteger gy, BigInteger n) {
    }

    /** The recommended curve of GB/T 32918.5-2017. */
    static final Curve SM2P256V1 = new Curve(
            hex("FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFF"),
            hex("FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFC"),
            hex("28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93"),
            hex("32C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7"),
            hex("BC3736A2F4F6779C59BDCEE36B692153D0A9877CC62A474002DF32E52139F0A0"),
            hex("FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123"));

    /** A point in affine coordinates; {@code null} coordinates are the point at infinity O. */
    record Point(BigInteger x, BigInteger y) {
        static final Point INFINITY = new Point(null, null);

        boolean isInfinity() {
            return x == null;
        }
    }

    private final Curve c;

    Sm2StandardVerifier(Curve curve) {
        this.c = curve;
    }

    /** Z_A = SM3(ENTL_A || ID_A || a || b || x_G || y_G || x_A || y_A) (GB/T 32918.2 §5.5). */
    byte[] z(String userId, Point publicKey) {
        byte[] id = userId.getBytes(StandardCharsets.UTF_8);
        int entl = id.length * 8;
        SM3Digest sm3 = new SM3Digest();
        sm3.update((byte) (entl >>> 8));
        sm3.update((byte) entl);
        sm3.update(id, 0, id.length);
        for (BigInteger v : new BigInteger[]{c.a(), c.b(), c.gx(), c.gy(), publicKey.x(), publicKey.y()}) {
            byte[] b = fixed(v);
            sm3.update(b, 0, b.length);
        }
        byte[] out = new byte[32];
        sm3.doFinal(out, 0);
        return out;
    }

    /** e = SM3(Z_A || M) as an integer (§6.1 A1-A2). */
    BigInteger e(String userId, Point publicKey, byte[] message) {
        SM3Digest sm3 = new SM3Digest();
        byte[] z = z(userId, publicKey);
        sm3.update(z, 0, z.length);
        sm3.update(message, 0, message.length);
        byte[] out = new byte[32];
        sm3.doFinal(out, 0);
        return new BigInteger(1, out);
    }

    /**
     * Whether {@code der} is an SM2 signature of {@code message} by the holder of {@code key} (its affine
     * point read through the JDK's {@link java.security.interfaces.ECPublicKey}) and {@code userId}, on
     * sm2p256v1: for tests of other packages checking what the gateway sent on the wire.
     */
    public static boolean verifiesDer(java.security.PublicKey key, String userId, byte[] message, byte[] der) {
        java.security.spec.ECPoint w = ((java.security.interfaces.ECPublicKey) key).getW();
        BigInteger[] rs;
        try {
            rs = rs(der);
        } catch (RuntimeException e) {
            return false;
        }
        return new Sm2StandardVerifier(SM2P256V1).verify(new Point(w.getAffineX(), w.getAffineY()), userId, message, rs[0], rs[1]);
    }

    /** The verification of §7.1, steps B1-B7. */
    boolean verify(Point publicKey, String userId, byte[] message, BigInteger r, BigInteger s) {
        BigInteger n = c.n();
        if (!onCurve(publicKey)) {
            return false;
        }
        if (r.signum() <= 0 || r.compareTo(n) >= 0 || s.signum() <= 0 || s.compareTo(n) >= 0) { // B1, B2
            return false;
        }
        BigInteger e = e(userId, publicKey, message); // B3, B4
        BigInteger t = r.add(s).mod(n); // B5
        if (t.signum() == 0) {
            return false;
        }
        Point sum = add(multiply(s, new Point(c.gx(), c.gy())), multiply(t, publicKey)); // B6: (x1, y1) = [s]G + [t]P_A
        if (sum.isInfinity()) {
            return false;
        }
        return e.add(sum.x()).mod(n).equals(r); // B7: R = (e + x1) mod n, R == r
    }

    /** The signature of §6.1 (A3-A6) with a given k, for checking the gateway's verifier. */
    BigInteger[] sign(BigInteger d, String userId, byte[] message, BigInteger k) {
        BigInteger n = c.n();
        Point publicKey = multiply(d, new Point(c.gx(), c.gy()));
        BigInteger e = e(userId, publicKey, message);
        Point kg = multiply(k, new Point(c.gx(), c.gy()));
        BigInteger r = e.add(kg.x()).mod(n);
        BigInteger s = d.add(BigInteger.ONE).modInverse(n).multiply(k.subtract(r.multiply(d))).mod(n);
        return new BigInteger[]{r, s};
    }

    Point publicKeyOf(BigInteger d) {
        return multiply(d, new Point(c.gx(), c.gy()));
    }

    boolean onCurve(Point q) {
        if (q.isInfinity()) {
            return false;
        }
        BigInteger p = c.p();
        if (q.x().signum() < 0 || q.x().compareTo(p) >= 0 || q.y().signum() < 0 || q.y().compareTo(p) >= 0) {
            return false;
        }
        BigInteger left = q.y().pow(2).mod(p);
        BigInteger right = q.x().pow(3).add(c.a().multiply(q.x())).add(c.b()).mod(p);
        return left.equals(right);
    }

    Point add(Point u, Point v) {
        if (u.isInfinity()) {
            return v;
        }
        if (v.isInfinity()) {
            return u;
        }
        BigInteger p = c.p();
        BigInteger lambda;
        if (u.x().equals(v.x())) {
            if (u.y().add(v.y()).mod(p).signum() == 0) {
                return Point.INFINITY;
            }
            // doubling: λ = (3x² + a) / 2y
            lambda = u.x().pow(2).multiply(BigInteger.valueOf(3)).add(c.a()).multiply(u.y().shiftLeft(1).modInverse(p)).mod(p);
        } else {
            // λ = (y2 - y1) / (x2 - x1)
            lambda = v.y().subtract(u.y()).multiply(v.x().subtract(u.x()).modInverse(p)).mod(p);
        }
        BigInteger x3 = lambda.pow(2).subtract(u.x()).subtract(v.x()).mod(p);
        BigInteger y3 = lambda.multiply(u.x().subtract(x3)).subtract(u.y()).mod(p);
        return new Point(x3, y3);
    }

    /** [k]Q by double-and-add, most significant bit first. */
    Point multiply(BigInteger k, Point q) {
        Point result = Point.INFINITY;
        for (int i = k.bitLength() - 1; i >= 0; i--) {
            result = add(result, result);
            if (k.testBit(i)) {
                result = add(result, q);
            }
        }
        return result;
    }

    /** r and s of a DER {@code SEQUENCE {INTEGER r, INTEGER s}} (GM/T 0009), read by hand. */
    static BigInteger[] rs(byte[] der) {
        int[] at = {0};
        expect(der, at, 0x30);
        int total = length(der, at);
        if (at[0] + total != der.length) {
            throw new IllegalArgumentException("trailing bytes after the signature");
        }
        BigInteger[] out = new BigInteger[2];
        for (int i = 0; i < 2; i++) {
            expect(der, at, 0x02);
            int len = length(der, at);
            byte[] v = java.util.Arrays.copyOfRange(der, at[0], at[0] + len);
            at[0] += len;
            out[i] = new BigInteger(v);
        }
        return out;
    }

    /** The DER encoding of r and s. */
    static byte[] der(BigInteger r, BigInteger s) {
        byte[] rb = r.toByteArray();
        byte[] sb = s.toByteArray();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(0x30);
        out.write(4 + rb.length + sb.length);
        out.write(0x02);
        out.write(rb.length);
        out.writeBytes(rb);
        out.write(0x02);
        out.write(sb.length);
        out.writeBytes(sb);
        return out.toByteArray();
    }

    private static void expect(byte[] der, int[] at, int tag) {
        if ((der[at[0]++] & 0xff) != tag) {
            throw new IllegalArgumentException("not DER tag " + tag);
        }
    }

    private static int length(byte[] der, int[] at) {
        int first = der[at[0]++] & 0xff;
        if (first < 0x80) {
            return first;
        }
        int len = 0;
        for (int i = 0; i < (first & 0x7f); i++) {
            len = (len << 8) | (der[at[0]++] & 0xff);
        }
        return len;
    }

    static byte[] fixed(BigInteger v) {
        byte[] b = v.toByteArray();
        byte[] out = new byte[32];
        int from = Math.max(0, b.length - 32);
        System.arraycopy(b, from, out, 32 - (b.length - from), b.length - from);
        return out;
    }

    static BigInteger hex(String h) {
        return new BigInteger(h, 16);
    }
}
