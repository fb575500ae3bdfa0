package cn.bazhong.credit.gateway.tls;

import org.apache.catalina.connector.Connector;
import org.apache.tomcat.util.descriptor.web.SecurityCollection;
import org.apache.tomcat.util.descriptor.web.SecurityConstraint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * HTTPS on the API is Spring Boot's own ({@code server.ssl.enabled}, {@code server.ssl.bundle:
 * gateway-server}); this adds only the optional plain connector that redirects to it.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TlsSettings.class)
public class TlsConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(TlsConfiguration.class);

    /**
     * Mutual TLS ({@code server.ssl.client-auth: need|want}) without CA certificates of the clients in the
     * server bundle's truststore would fall back to the JDK's public CAs, so that any client certificate
     * bought anywhere would pass the handshake: the start stops instead, in every profile.
     */
    @Bean
    static Object clientCertificateAuthoritiesCheck(org.springframework.core.env.Environment environment) {
        boolean https = "true".equalsIgnoreCase(environment.getProperty("server.ssl.enabled", "false").strip());
        String clientAuth = environment.getProperty("server.ssl.client-auth", "none").strip();
        String bundle = environment.getProperty("server.ssl.bundle", "").strip();
        if (https && !clientAuth.isEmpty() && !"none".equalsIgnoreCase(clientAuth) && !bundle.isEmpty()
                && environment.getProperty("spring.ssl.bundle.pem." + bundle + ".truststore.certificate", "").isBlank()
                && environment.getProperty("spring.ssl.bundle.jks." + bundle + ".truststore.location", "").isBlank()) {
            throw new IllegalStateException("server.ssl.client-auth is " + clientAuth + " but the SSL bundle '" + bundle
                    + "' has no truststore: set spring.ssl.bundle.pem." + bundle + ".truststore.certificate (GATEWAY_TLS_CLIENT_CA)"
                    + " to the CA certificates of the clients (the province's, the departments'), or set client-auth to none");
        }
        return new Object();
    }

    /**
     * {@code gateway.tls.redirect.enabled}: a second connector on {@code gateway.tls.redirect.port} whose every
     * request is answered by Tomcat with a redirect to the same path on the HTTPS port (a transport
     * guarantee CONFIDENTIAL on the whole application), before any filter or servlet sees it.
     */
    @Bean
    @ConditionalOnProperty(name = "gateway.tls.redirect.enabled", havingValue = "true")
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> httpToHttpsRedirect(TlsSettings settings,
                                                                                 @Value("${server.ssl.enabled:false}") boolean https,
                                                                                 @Value("${server.port:8080}") int httpsPort,
                                                                                 @Value("${server.address:}") String address) {
        if (!https) {
            throw new IllegalStateException("gateway.tls.redirect.enabled is true but HTTPS is off: set server.ssl.enabled"
                    + " (GATEWAY_TLS_ENABLED=true) with the certificate of the bundle gateway-server, or turn the redirect off");
        }
        int port = settings.redirect().port();
        if (port <= 0 || port == httpsPort || httpsPort <= 0) {
            throw new IllegalStateException("gateway.tls.redirect.port must be a port of its own (it is " + port
                    + "), and server.port the fixed HTTPS port the redirect points to (it is " + httpsPort + ")");
        }
        return factory -> {
            Connector redirecting = new Connector(TomcatServletWebServerFactory.DEFAULT_PROTOCOL);
            redirecting.setScheme("http");
            redirecting.setSecure(false);
            redirecting.setPort(port);
            redirecting.setRedirectPort(httpsPort);
            if (address != null && !address.isBlank()) {
                redirecting.setProperty("address", address);
            }
            factory.addAdditionalConnectors(redirecting);
            factory.addContextCustomizers(context -> {
                SecurityCollection everything = new SecurityCollection();
                everything.addPattern("/*");
                SecurityConstraint confidential = new SecurityConstraint();
                confidential.setUserConstraint("CONFIDENTIAL");
                confidential.addCollection(everything);
                context.addConstraint(confidential);
            });
            LOG.info("plain HTTP on port {} only redirects to HTTPS on port {}", port, httpsPort);
        };
    }
}
