package cn.bazhong.credit.gateway.crypto;

import cn.bazhong.credit.gateway.crypto.Sm2StandardVerifier.Point;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.HexFormat;

import static cn.bazhong.credit.gateway.crypto.Sm2StandardVerifier.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * SM2 signatures of the gateway agree with GB/T 32918: with the published example of part 5 (annex A,
 * recommended curve, default user id) and with a verifier written from the standard's equations in this
 * test ({@link Sm2StandardVerifier}), which shares no code with the signer.
 */
class Sm2SignaturesTest {

    private static final byte[] MESSAGE = "message digest".getBytes(StandardCharsets.US_ASCII);
    // GB/T 32918.5-2017 annex A (also GM/T 0003.5-2012 A.2)
    private static final BigInteger D = hex("3945208F7B2144B13F36E38AC6D39F95889393692860B51A42FB81EF4DF7C5B8");
    private static final Point P = new Point(hex("09F9DF311E5421A150DD7D161E4BC5C672179FAD1833FC076BB08FF356F35020"),
            hex("CCEA490CE26775A52DC6EA718CC1AA600AED05FBF35E084A6632F6072DA9AD13"));
    private static final BigInteger K = hex("59276E27D506861A16680F3AD9C02DCCEF3CC1FA3CDBE4CE6D54B80DEAC1BC21");
    private static final String Z = "b2e14c5c79c6df5b85f4fe7ed8db7a262b9da7e07ccb0ea9f4747b8ccda8a4f3";
    private static final BigInteger E = hex("F0B43E94BA45ACCAACE692ED534382EB17E6AB5A19CE7B31F4486FDFC0D28640");
    private static final BigInteger R = hex("F5A03B0648D2C4630EEAC513E1BB81A15944DA3827D5B74143AC7EACEEE720B3");
    private static final BigInteger S = hex("B1B6AA29DF212FD8763182BC0D421CA1BB9038FD1F7F42D4840B69C485BBC1AA");

    private final Sm2StandardVerifier standard = new Sm2StandardVerifier(Sm2StandardVerifier.SM2P256V1);

    @Test
    void the_verifier_from_the_standard_reproduces_the_published_example() {
        assertThat(standard.publicKeyOf(D)).isEqualTo(P);
        assertThat(HexFormat.of().formatHex(standard.z(Sm2.DEFAULT_USER_ID, P))).isEqualTo(Z);
        assertThat(standard.e(Sm2.DEFAULT_USER_ID, P, MESSAGE)).isEqualTo(E);
        assertThat(standard.verify(P, Sm2.DEFAULT_USER_ID, MESSAGE, R, S)).isTrue();
        assertThat(standard.sign(D, Sm2.DEFAULT_USER_ID, MESSAGE, K)).containsExactly(R, S);
        assertThat(standard.verify(P, Sm2.DEFAULT_USER_ID, MESSAGE, R, S.add(BigInteger.ONE))).isFalse();
    }

    @Test
    void the_gateway_signs_the_published_example_with_its_k_into_the_published_signature() {
        PrivateKey key = Sm2.privateKeyOf(D);

        byte[] signature = Sm2.sign(key, Sm2.DEFAULT_USER_ID, MESSAGE, fixed(K));

        assertThat(Sm2StandardVerifier.rs(signature)).containsExactly(R, S);
        assertThat(point(Sm2.publicKeyOf(key))).isEqualTo(P);
    }

    @Test
    void the_gateway_verifies_the_published_signature_and_refuses_it_for_another_message_or_user_id() {
        PublicKey key = Sm2.publicKeyOf(Sm2.privateKeyOf(D));
        byte[] der = Sm2StandardVerifier.der(R, S);

        assertThat(Sm2.verify(key, MESSAGE, der)).isTrue();
        assertThat(Sm2.verify(key, "message digesT".getBytes(StandardCharsets.US_ASCII), der)).isFalse();
        assertThat(Sm2.verify(key, "ALICE123@YAHOO.COM", MESSAGE, der)).isFalse();
        assertThat(Sm2.verify(key, MESSAGE, new byte[]{0x30, 0x00})).isFalse();
    }

    @Test
    void a_signature_of_a_fresh_gateway_key_passes_the_verifier_written_from_the_standard() {
        KeyPair pair = Sm2.generateKeyPair(new SecureRandom());
        byte[] body = "{\"batchId\":\"b-1\",\"records\":[]}".getBytes(StandardCharsets.UTF_8);

        byte[] signature = Sm2.sign(pair.getPrivate(), body);
        BigInteger[] rs = Sm2StandardVerifier.rs(signature);

        Point publicKey = point(pair.getPublic());
        assertThat(standard.onCurve(publicKey)).isTrue();
        assertThat(standard.verify(publicKey, Sm2.DEFAULT_USER_ID, body, rs[0], rs[1])).isTrue();
        assertThat(standard.verify(publicKey, Sm2.DEFAULT_USER_ID, "{\"batchId\":\"b-2\",\"records\":[]}".getBytes(StandardCharsets.UTF_8),
                rs[0], rs[1])).isFalse();
        assertThat(standard.verify(publicKey, "GATEWAY", body, rs[0], rs[1])).isFalse();
    }

    @Test
    void the_gateway_verifies_a_signature_computed_from_the_standards_equations() {
        KeyPair pair = Sm2.generateKeyPair(new SecureRandom());
        BigInteger d = ((org.bouncycastle.jce.interfaces.ECPrivateKey) pair.getPrivate()).getD();
        BigInteger k = new BigInteger(255, new SecureRandom()).add(BigInteger.ONE);

        BigInteger[] rs = standard.sign(d, "BAZHONG-GATEWAY", MESSAGE, k);

        assertThat(Sm2.verify(pair.getPublic(), "BAZHONG-GATEWAY", MESSAGE, Sm2StandardVerifier.der(rs[0], rs[1]))).isTrue();
        assertThat(Sm2.verify(pair.getPublic(), MESSAGE, Sm2StandardVerifier.der(rs[0], rs[1]))).isFalse();
    }

    @Test
    void keys_go_out_as_pkcs8_and_x509_pem_and_come_back_the_same() {
        KeyPair pair = Sm2.generateKeyPair(new SecureRandom());

        String privatePem = Sm2.privateKeyPem(pair.getPrivate());
        String publicPem = Sm2.publicKeyPem(pair.getPublic());
        PrivateKey privateBack = Sm2.readPrivateKey(privatePem.getBytes(StandardCharsets.US_ASCII));
        PublicKey publicBack = Sm2.readPublicKey(publicPem.getBytes(StandardCharsets.US_ASCII));

        assertThat(privatePem).startsWith("-----BEGIN PRIVATE KEY-----\n").endsWith("-----END PRIVATE KEY-----\n");
        assertThat(publicPem).startsWith("-----BEGIN PUBLIC KEY-----\n");
        assertThat(privateBack.getEncoded()).isEqualTo(pair.getPrivate().getEncoded());
        assertThat(publicBack.getEncoded()).isEqualTo(pair.getPublic().getEncoded());
        assertThat(Sm2.publicKeyOf(privateBack).getEncoded()).isEqualTo(pair.getPublic().getEncoded());
        assertThat(Sm2.verify(publicBack, MESSAGE, Sm2.sign(privateBack, MESSAGE))).isTrue();
        assertThat(Sm2.readPublicKey(pair.getPublic().getEncoded()).getEncoded()).isEqualTo(pair.getPublic().getEncoded());
    }

    @Test
    void a_key_of_another_curve_is_not_taken_for_an_sm2_key() throws Exception {
        KeyPairGenerator nist = KeyPairGenerator.getInstance("EC");
        nist.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair p256 = nist.generateKeyPair();

        assertThatThrownBy(() -> Sm2.readPrivateKey(p256.getPrivate().getEncoded()))
                .isInstanceOf(CryptoException.class).hasMessageContaining("SM2");
        assertThatThrownBy(() -> Sm2.readPublicKey(p256.getPublic().getEncoded()))
                .isInstanceOf(CryptoException.class).hasMessageContaining("SM2");
        assertThatThrownBy(() -> Sm2.readPrivateKey("-----BEGIN PRIVATE KEY-----\nAAAA".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(CryptoException.class);
    }

    private static Point point(PublicKey key) {
        java.security.spec.ECPoint w = ((ECPublicKey) key).getW();
        return new Point(w.getAffineX(), w.getAffineY());
    }

    /** A "random" source that yields k, so that the signer's k is the example's. */
    private static SecureRandom fixed(BigInteger k) {
        byte[] bytes = Sm2StandardVerifier.fixed(k);
        return new SecureRandom() {
            @Override
            public void nextBytes(byte[] out) {
                System.arraycopy(bytes, 0, out, 0, Math.min(out.length, bytes.length));
            }
        };
    }
}
