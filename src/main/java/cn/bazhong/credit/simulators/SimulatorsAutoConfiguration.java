package cn.bazhong.credit.simulators;

import cn.bazhong.credit.simulators.departments.DemoDepartments;
import cn.bazhong.credit.simulators.departments.DemoSftpServer;
import cn.bazhong.credit.simulators.province.ProvincialSimulator;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

import java.nio.file.Path;

/**
 * Starts the simulated province and departments next to the gateway, for the local demo only
 * ({@code simulators.enabled=true}). Registered through Spring Boot's auto-configuration imports,
 * so the gateway's own code never refers to it.
 */
@AutoConfiguration
@ConditionalOnProperty(name = "simulators.enabled", havingValue = "true")
public class SimulatorsAutoConfiguration {

    @Bean(destroyMethod = "close")
    ProvincialSimulator provincialSimulator(@Value("${simulators.province.port}") int port,
                                            @Value("${simulators.province.token}") String token) {
        return ProvincialSimulator.start(ProvincialSimulator.Settings.defaults().withPort(port).withToken(token));
    }

    @Bean(destroyMethod = "close")
    DemoSftpServer demoSftpServer(@Value("${simulators.sftp.home}") Path home, @Value("${simulators.sftp.port}") int port,
                                  @Value("${simulators.sftp.username}") String user, @Value("${simulators.sftp.password}") String password,
                                  @Value("${simulators.sftp.known-hosts-file}") Path knownHosts) {
        return DemoSftpServer.start(home, port, user, password, knownHosts);
    }

    /** The departments' approval systems receiving the fan-out's webhooks (secrets as in config/subscriptions.yaml). */
    @Bean(destroyMethod = "close")
    cn.bazhong.credit.simulators.departments.DemoWebhookReceivers demoWebhookReceivers(
            @Value("${simulators.hooks.port}") int port, Environment environment) {
        java.util.Map<String, String> secrets = org.springframework.boot.context.properties.bind.Binder.get(environment)
                .bind("simulators.hooks.secrets", org.springframework.boot.context.properties.bind.Bindable.mapOf(String.class, String.class))
                .orElse(java.util.Map.of());
        return cn.bazhong.credit.simulators.departments.DemoWebhookReceivers.start(port, secrets);
    }

    /** The city credit website (信用巴中) taking the gateway's publication messages (secret as gateway.publication.secrets). */
    @Bean(destroyMethod = "close")
    cn.bazhong.credit.simulators.website.DemoCreditWebsite demoCreditWebsite(@Value("${simulators.website.port}") int port,
                                                                            @Value("${simulators.website.secret}") String secret) {
        return cn.bazhong.credit.simulators.website.DemoCreditWebsite.start(port, secret);
    }

    /** JTYSJ's front-end database (前置机), read by the gateway's jdbc-feed. */
    @Bean(destroyMethod = "close")
    cn.bazhong.credit.simulators.departments.DemoFrontEndDatabase demoFrontEndDatabase(
            @Value("${simulators.front-end-db.url}") String url, @Value("${simulators.front-end-db.user}") String user) {
        return cn.bazhong.credit.simulators.departments.DemoFrontEndDatabase.start(url, user);
    }

    @Bean
    DemoDepartments demoDepartments(DemoSftpServer sftp, Environment environment,
                                    cn.bazhong.credit.simulators.departments.DemoFrontEndDatabase frontEnd) {
        return new DemoDepartments(sftp, environment, frontEnd);
    }
}
