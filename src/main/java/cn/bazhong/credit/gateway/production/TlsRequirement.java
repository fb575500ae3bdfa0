package cn.bazhong.credit.gateway.production;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The production profile's TLS rule: the API listener serves HTTPS ({@code server.ssl.enabled} with a
 * bundle or keystore that holds a certificate), unless {@code gateway.tls.behind-proxy} says that a proxy
 * in front of the gateway terminates TLS. Plain HTTP is the one-machine default of the repository, so a
 * finding here is reported with the other development defaults left in place.
 */
public final class TlsRequirement {

    static final String FIX = "set GATEWAY_TLS_ENABLED=true with GATEWAY_TLS_CERTIFICATE and GATEWAY_TLS_PRIVATE_KEY (PEM files"
            + " of this node's certificate chain and key, the SSL bundle gateway-server), or, when a proxy or load balancer in"
            + " front of the gateway terminates TLS, set gateway.tls.behind-proxy: true (GATEWAY_TLS_BEHIND_PROXY=true)";

    private TlsRequirement() {
    }

    /** The finding that forbids the start, if any; {@code properties} resolves a property name to its value or null. */
    public static List<DevelopmentDefaults.Finding> inProperties(UnaryOperator<String> properties) {
        if ("true".equalsIgnoreCase(strip(properties.apply("gateway.tls.behind-proxy")))) {
            return List.of();
        }
        String enabled = strip(properties.apply("server.ssl.enabled"));
        String bundle = strip(properties.apply("server.ssl.bundle"));
        boolean material = bundle != null || strip(properties.apply("server.ssl.certificate")) != null
                || strip(properties.apply("server.ssl.key-store")) != null;
        // Spring Boot turns HTTPS on when server.ssl.* is set and enabled is not false
        if ("false".equalsIgnoreCase(enabled) || !material) {
            return List.of(new DevelopmentDefaults.Finding("server.ssl.enabled", "HTTPS is off (plain HTTP is the one-machine"
                    + " default), so API keys and personal data would cross the network in the clear; " + FIX));
        }
        if (bundle != null && strip(properties.apply("spring.ssl.bundle.pem." + bundle + ".keystore.certificate")) == null
                && strip(properties.apply("spring.ssl.bundle.jks." + bundle + ".keystore.location")) == null) {
            return List.of(new DevelopmentDefaults.Finding("spring.ssl.bundle.pem." + bundle + ".keystore.certificate",
                    "HTTPS is on but the SSL bundle '" + bundle + "' of server.ssl.bundle holds no certificate; " + FIX));
        }
        return List.of();
    }

    private static String strip(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
