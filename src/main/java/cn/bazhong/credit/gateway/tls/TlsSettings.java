package cn.bazhong.credit.gateway.tls;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * TLS settings of the gateway's own ({@code gateway.tls.*}); HTTPS itself is Spring Boot's
 * {@code server.ssl.*} with the SSL bundle {@code gateway-server}.
 *
 * @param behindProxy    a proxy or load balancer in front of the gateway terminates TLS: the production profile
 *                       then starts without HTTPS on the gateway's own listener
 * @param outboundBundle the SSL bundle of outbound HTTPS (province and webhooks) unless
 *                       {@code gateway.upstream.tls.bundle} or {@code gateway.fanout.tls.bundle} names another;
 *                       empty: the JDK's trusted CAs, no client certificate
 * @param redirect       a second, plain HTTP connector that answers every request with a redirect to HTTPS
 */
@ConfigurationProperties(prefix = "gateway.tls")
public record TlsSettings(boolean behindProxy, String outboundBundle, Redirect redirect) {

    public TlsSettings {
        outboundBundle = outboundBundle == null || outboundBundle.isBlank() ? null : outboundBundle.strip();
        redirect = redirect == null ? new Redirect(false, 0) : redirect;
    }

    /**
     * @param enabled open the redirecting connector (only together with HTTPS, {@code server.ssl.enabled})
     * @param port    its port; it listens on {@code server.address} like the HTTPS connector
     */
    public record Redirect(boolean enabled, int port) {
    }
}
