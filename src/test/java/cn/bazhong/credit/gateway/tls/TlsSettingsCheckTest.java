package cn.bazhong.credit.gateway.tls;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/** Settings of TLS that would weaken it stop the start in every profile, naming what to set. */
class TlsSettingsCheckTest {

    private final ApplicationContextRunner gateway = new ApplicationContextRunner().withUserConfiguration(TlsConfiguration.class)
            .withPropertyValues("server.ssl.enabled=true", "server.ssl.bundle=gateway-server",
                    "spring.ssl.bundle.pem.gateway-server.keystore.certificate=file:/etc/gateway/tls/node.crt");

    @Test
    void mutual_tls_without_the_clients_ca_stops_the_start_instead_of_trusting_the_jdks_public_cas() {
        gateway.withPropertyValues("server.ssl.client-auth=need").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("server.ssl.client-auth is need")
                    .hasMessageContaining("GATEWAY_TLS_CLIENT_CA");
        });
    }

    @Test
    void mutual_tls_with_the_clients_ca_and_plain_https_without_client_certificates_start() {
        gateway.withPropertyValues("server.ssl.client-auth=want",
                "spring.ssl.bundle.pem.gateway-server.truststore.certificate=file:/etc/gateway/tls/clients-ca.crt")
                .run(context -> assertThat(context).hasNotFailed());
        gateway.withPropertyValues("server.ssl.client-auth=none").run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void the_redirect_without_https_stops_the_start() {
        new ApplicationContextRunner().withUserConfiguration(TlsConfiguration.class)
                .withPropertyValues("gateway.tls.redirect.enabled=true", "gateway.tls.redirect.port=18081")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("gateway.tls.redirect.enabled is true but HTTPS is off");
                });
    }
}
