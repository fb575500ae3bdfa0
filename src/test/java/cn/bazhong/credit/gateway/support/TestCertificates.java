package cn.bazhong.credit.gateway.support;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Certificates made by the tests themselves (BouncyCastle): a CA, and server or client certificates it
 * signs, written as the PEM files an operator would configure, or loaded into a JDK {@link SSLContext}.
 */
public final class TestCertificates {

    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    private TestCertificates() {
    }

    /** A certificate with its key and the chain above it (without the root). */
    public record Issued(X509Certificate certificate, KeyPair keys, List<X509Certificate> chain) {

        /** The certificate chain as PEM text, this certificate first. */
        public String certificatePem() {
            StringBuilder pem = new StringBuilder(pem(certificate));
            chain.forEach(c -> pem.append(pem(c)));
            return pem.toString();
        }

        /** The private key as unencrypted PKCS#8 PEM ({@code BEGIN PRIVATE KEY}). */
        public String privateKeyPem() {
            return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(keys.getPrivate().getEncoded())
                    + "\n-----END PRIVATE KEY-----\n";
        }

        /** Writes {@code <name>.crt} and {@code <name>.key} into {@code dir}; returns {certificate file, key file}. */
        public Path[] writeTo(Path dir, String name) {
            try {
                return new Path[]{Files.writeString(dir.resolve(name + ".crt"), certificatePem()),
                        Files.writeString(dir.resolve(name + ".key"), privateKeyPem())};
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** A certificate authority that signs server and client certificates. */
    public static final class Authority {
        private final Issued self;

        private Authority(Issued self) {
            this.self = self;
        }

        public X509Certificate certificate() {
            return self.certificate();
        }

        /** The CA certificate as PEM text, what a truststore setting takes. */
        public String certificatePem() {
            return pem(self.certificate());
        }

        public Path writeTo(Path dir, String name) {
            try {
                return Files.writeString(dir.resolve(name + ".crt"), certificatePem());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** A server certificate for 127.0.0.1 and localhost. */
        public Issued server(String commonName) {
            return issue(commonName, false, "127.0.0.1", "localhost");
        }

        /** A server certificate for the given DNS names only. */
        public Issued serverFor(String commonName, String... dnsNames) {
            return issue(commonName, false, dnsNames);
        }

        /** A client certificate (extended key usage clientAuth). */
        public Issued client(String commonName) {
            return issue(commonName, true);
        }

        private Issued issue(String commonName, boolean client, String... names) {
            try {
                KeyPair keys = keyPair();
                X509v3CertificateBuilder b = builder(X500Name.getInstance(self.certificate().getSubjectX500Principal().getEncoded()), new X500Name("CN=" + commonName + ",O=Bazhong credit test"), keys);
                JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
                b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
                b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
                b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(client ? KeyPurposeId.id_kp_clientAuth : KeyPurposeId.id_kp_serverAuth));
                b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(self.certificate()));
                b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
                if (names.length > 0) {
                    List<GeneralName> sans = new ArrayList<>();
                    for (String n : names) {
                        sans.add(n.matches("[0-9.]+") ? new GeneralName(GeneralName.iPAddress, n) : new GeneralName(GeneralName.dNSName, n));
                    }
                    b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans.toArray(GeneralName[]::new)));
                }
                X509Certificate cert = sign(b, self.keys());
                return new Issued(cert, keys, List.of(self.certificate()));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** A new self-signed CA. */
    public static Authority authority(String commonName) {
        try {
            KeyPair keys = keyPair();
            X500Name name = new X500Name("CN=" + commonName);
            X509v3CertificateBuilder b = builder(name, name, keys);
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
            return new Authority(new Issued(sign(b, keys), keys, List.of()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A JDK client or server context: trusts exactly {@code trusted} (none: trusts nothing), presents
     * {@code identity} when it is not null.
     */
    public static SSLContext context(Issued identity, Authority... trusted) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            for (int i = 0; i < trusted.length; i++) {
                trust.setCertificateEntry("ca-" + i, trusted[i].certificate());
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            char[] password = "changeit".toCharArray();
            if (identity != null) {
                List<Certificate> chain = new ArrayList<>();
                chain.add(identity.certificate());
                chain.addAll(identity.chain());
                keys.setKeyEntry("me", identity.keys().getPrivate(), password, chain.toArray(Certificate[]::new));
            }
            kmf.init(keys, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), new SecureRandom());
            return context;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair keyPair() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        return g.generateKeyPair();
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(2))), subject, keys.getPublic());
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair issuerKeys) throws Exception {
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
    }

    private static String pem(X509Certificate certificate) {
        try {
            return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(certificate.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
