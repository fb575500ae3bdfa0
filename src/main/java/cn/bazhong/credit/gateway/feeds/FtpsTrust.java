package cn.bazhong.credit.gateway.feeds;

import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;

import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;

/**
 * The TLS settings of an FTPS feed: the department's server must present a certificate that chains
 * to one of the CA certificates in {@code caFile} (PEM, one or more), and the certificate must name the
 * host the feed connects to (checked by the FTPS client, see the {@code ftps-feed} template). There is
 * no way to switch the check off. Used by the template as a template bean:
 *
 * <pre>
 *   - name: tls
 *     type: "#class:cn.bazhong.credit.gateway.feeds.FtpsTrust"
 *     factoryMethod: of
 * </pre>
 */
public final class FtpsTrust {

    private FtpsTrust() {
    }

    public static SSLContextParameters of(String feed, String caFile, String protocol) {
        if (caFile == null || caFile.isBlank()) {
            throw new IllegalArgumentException("feed " + feed + ": an FTPS feed needs ca-file, the PEM file of the CA certificates"
                    + " its server's certificate is checked against");
        }
        X509TrustManager trust = trustManager(feed, Path.of(caFile.strip()));
        TrustManagersParameters managers = new TrustManagersParameters();
        managers.setTrustManager(trust);
        SSLContextParameters tls = new SSLContextParameters();
        tls.setTrustManagers(managers);
        tls.setSecureSocketProtocol(protocol == null || protocol.isBlank() ? "TLSv1.2" : protocol.strip());
        return tls;
    }

    static X509TrustManager trustManager(String feed, Path caFile) {
        try (InputStream in = Files.newInputStream(caFile)) {
            Collection<? extends Certificate> cas = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (cas.isEmpty()) {
                throw new IllegalArgumentException("feed " + feed + ": " + caFile + " holds no certificate");
            }
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            int i = 0;
            for (Certificate ca : cas) {
                store.setCertificateEntry("ca-" + i++, ca);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            for (TrustManager m : factory.getTrustManagers()) {
                if (m instanceof X509TrustManager x509) {
                    return x509;
                }
            }
            throw new IllegalStateException("no X.509 trust manager in this JVM");
        } catch (IOException e) {
            throw new IllegalArgumentException("feed " + feed + ": cannot read ca-file " + caFile + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("feed " + feed + ": ca-file " + caFile + " is not a PEM file of certificates: " + e.getMessage(), e);
        }
    }
}
