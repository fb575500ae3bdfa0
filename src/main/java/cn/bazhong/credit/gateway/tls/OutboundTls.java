package cn.bazhong.credit.gateway.tls;

import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslOptions;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import java.net.http.HttpClient;

/**
 * What an outbound HTTPS client of the gateway trusts and presents: the CA certificates of a Spring Boot
 * SSL bundle's truststore (only those: the JDK's own list is not added), its keystore's certificate
 * and key as the client certificate of mutual TLS, its protocols and ciphers; or, without a bundle, the
 * JDK's defaults. Certificates and host names are always verified: there is no "trust all".
 */
public final class OutboundTls {

    private static final OutboundTls JDK_DEFAULTS = new OutboundTls(null, null, "the JDK's trusted CAs");

    private final SSLContext context;
    private final SSLParameters parameters;
    private final String description;

    private OutboundTls(SSLContext context, SSLParameters parameters, String description) {
        this.context = context;
        this.parameters = parameters;
        this.description = description;
    }

    /** The JDK's trusted CAs ({@code cacerts}), no client certificate. */
    public static OutboundTls jdkDefaults() {
        return JDK_DEFAULTS;
    }

    /** The trust material and client certificate of {@code bundle}. */
    public static OutboundTls of(String name, SslBundle bundle) {
        SSLParameters parameters = new SSLParameters();
        SslOptions options = bundle.getOptions();
        if (options.getEnabledProtocols() != null) {
            parameters.setProtocols(options.getEnabledProtocols());
        }
        if (options.getCiphers() != null) {
            parameters.setCipherSuites(options.getCiphers());
        }
        // the JDK's HttpClient checks the host name anyway; said here so that nobody has to know that
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        boolean ownCas = bundle.getStores().getTrustStore() != null;
        boolean clientCertificate = bundle.getStores().getKeyStore() != null;
        return new OutboundTls(bundle.createSslContext(), parameters, "SSL bundle " + name
                + (ownCas ? " (its CAs only" : " (no truststore: the JDK's trusted CAs")
                + (clientCertificate ? ", with a client certificate)" : ")"));
    }

    /**
     * The bundle named by {@code specificSetting} when it has a value, else the shared
     * {@code gateway.tls.outbound-bundle}, else the JDK's defaults. A name that is not a configured bundle
     * stops the start-up with the setting that names it.
     */
    public static OutboundTls select(SslBundles bundles, String specificSetting, String specific, String shared) {
        String setting = specific != null && !specific.isBlank() ? specificSetting : "gateway.tls.outbound-bundle";
        String name = specific != null && !specific.isBlank() ? specific.strip() : shared;
        if (name == null || name.isBlank()) {
            return jdkDefaults();
        }
        try {
            return of(name, bundles.getBundle(name));
        } catch (NoSuchSslBundleException e) {
            throw new IllegalStateException(setting + " names the SSL bundle '" + name + "', which is not configured:"
                    + " define it under spring.ssl.bundle.pem." + name + " (or .jks." + name + "), see docs/security.md", e);
        }
    }

    /** {@code builder} with this trust material and client certificate. */
    public HttpClient.Builder apply(HttpClient.Builder builder) {
        if (context != null) {
            builder.sslContext(context).sslParameters(parameters);
        }
        return builder;
    }

    /** A new client builder with this trust material and client certificate. */
    public HttpClient.Builder newClient() {
        return apply(HttpClient.newBuilder());
    }

    /** The bundle's SSL context, or the JDK's default one: for clients other than the JDK's (Apache HttpClient). */
    public SSLContext sslContext() {
        if (context != null) {
            return context;
        }
        try {
            return SSLContext.getDefault();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no default TLS context", e);
        }
    }

    /** The protocols the bundle enables, or null for the context's own. */
    public String[] protocols() {
        return parameters == null ? null : parameters.getProtocols();
    }

    /** The cipher suites the bundle enables, or null for the context's own. */
    public String[] cipherSuites() {
        return parameters == null ? null : parameters.getCipherSuites();
    }

    @Override
    public String toString() {
        return description;
    }
}
