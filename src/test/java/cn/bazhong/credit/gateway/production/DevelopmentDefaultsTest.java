package cn.bazhong.credit.gateway.production;

import cn.bazhong.credit.gateway.security.ApiKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Which settings count as development defaults left in place, and that real values pass. */
class DevelopmentDefaultsTest {

    private static final Path SUBSCRIPTIONS = Path.of("config/subscriptions.yaml");

    private static Map<String, String> realValues() {
        Map<String, String> p = new HashMap<>();
        p.put("gateway.lists.subject-key-secret", "a-secret-of-this-deployment-0123");
        p.put("gateway.upstream.token", "the-province-token");
        p.put("gateway.feeds.scjgj.sftp.password", "the-department-password");
        p.put("gateway.access.departments.XZSPJ", ApiKeys.hash("a-real-key"));
        p.put("gateway.access.operators.ops[0]", ApiKeys.hash("another-real-key"));
        // plain HTTP is a finding of its own (ProductionProfileRequiresTlsTest)
        p.put("gateway.tls.behind-proxy", "true");
        // personal fields in the clear are a finding of their own (ProductionProfileRequiresTlsTest)
        p.put("gateway.crypto.fields.enabled", "true");
        return p;
    }

    private static List<String> settings(Map<String, String> properties) {
        return DevelopmentDefaults.settings(DevelopmentDefaults.inProperties(properties::get, properties.keySet()));
    }

    @Test
    void real_values_are_no_development_defaults() {
        assertThat(settings(realValues())).isEmpty();
    }

    @Test
    void each_development_default_left_in_the_properties_is_named() {
        Map<String, String> p = realValues();
        p.put("gateway.lists.subject-key-secret", "development-only-subject-key");
        p.put("gateway.upstream.token", "province-dev-token");
        p.put("gateway.feeds.zjfy.sftp.password", "demo-sftp-password");
        p.put("gateway.access.departments.SCJGJ", ApiKeys.hash("a-real-key") + ", " + ApiKeys.hash("demo-key-scjgj"));
        p.put("gateway.access.operators.demo[0]", ApiKeys.hash("demo-key-operator"));

        assertThat(settings(p)).containsExactlyInAnyOrder("gateway.lists.subject-key-secret", "gateway.upstream.token",
                "gateway.feeds.zjfy.sftp.password", "gateway.access.departments.SCJGJ", "gateway.access.operators.demo[0]");
    }

    @Test
    void the_defaults_recognised_are_the_ones_the_repository_ships() throws IOException {
        String base = Files.readString(Path.of("config/application.yaml"));
        String local = Files.readString(Path.of("config/application-local.yaml"));
        assertThat(base).contains("${GATEWAY_SUBJECT_KEY_SECRET:" + DevelopmentDefaults.SUBJECT_KEY_DEFAULT + "}")
                .contains("${GATEWAY_UPSTREAM_TOKEN:" + DevelopmentDefaults.UPSTREAM_TOKEN_DEFAULT + "}");
        assertThat(local).contains("password: " + DevelopmentDefaults.SFTP_PASSWORD_DEFAULT);

        Matcher hashes = Pattern.compile("\\b[0-9a-f]{64}\\b").matcher(local);
        int count = 0;
        while (hashes.find()) {
            count++;
            Map<String, String> p = Map.of("gateway.access.departments.X", hashes.group());
            assertThat(settings(p)).as("the local profile's key hash %s is recognised as a demo key", hashes.group())
                    .containsExactly("gateway.access.departments.X");
        }
        assertThat(count).isPositive();
    }

    @Test
    void every_webhook_secret_and_sftp_password_of_the_subscriptions_file_falling_back_to_its_default_is_named() {
        List<DevelopmentDefaults.Finding> found = DevelopmentDefaults.inSubscriptions(SUBSCRIPTIONS, name -> null);

        assertThat(found).extracting(DevelopmentDefaults.Finding::setting).allSatisfy(s -> assertThat(s).contains("config/subscriptions.yaml:"));
        assertThat(found).extracting(f -> f.setting().substring(0, f.setting().indexOf(' '))).contains(
                "subscriptions.XZSPJ.webhook.secrets", "subscriptions.TJX.webhook.secrets", "subscriptions.LDXZ.webhook.secrets", "subscriptions.SSTHJJ.sftp.password");
        assertThat(found).hasSize(10);
        assertThat(found.get(0).why()).contains("GATEWAY_WEBHOOK_SECRET_XZSPJ is not set");
        assertThat(found.toString()).doesNotContain("whsec_").doesNotContain("demo-sftp-password");
    }

    @Test
    void subscription_secrets_from_the_environment_pass_unless_they_repeat_the_default() {
        assertThat(DevelopmentDefaults.inSubscriptions(SUBSCRIPTIONS, name -> "value-of-" + name)).isEmpty();
        assertThat(DevelopmentDefaults.inSubscriptions(SUBSCRIPTIONS,
                name -> name.equals("GATEWAY_SFTP_PASSWORD_SSTHJJ") ? "demo-sftp-password" : "value-of-" + name))
                .extracting(DevelopmentDefaults.Finding::why).singleElement().asString().contains("set to the development default");
    }

    @Test
    void the_start_up_check_names_every_offending_setting_in_one_exception_and_passes_real_values(@TempDir Path dir) throws IOException {
        Path subscriptions = Files.writeString(dir.resolve("subscriptions.yaml"), Files.readString(SUBSCRIPTIONS));
        Map<String, Object> values = new HashMap<>(realValues());
        values.put("gateway.fanout.enabled", "true");
        values.put("gateway.fanout.subscriptions-file", subscriptions.toString());
        values.put("gateway.upstream.token", "province-dev-token");

        DevelopmentDefaultsLeftException e = catchThrowableOfType(DevelopmentDefaultsLeftException.class,
                () -> check(values, name -> null));
        assertThat(DevelopmentDefaults.settings(e.findings())).hasSize(11).contains("gateway.upstream.token");
        assertThat(new DevelopmentDefaultsFailureAnalyzer().analyze(e).getDescription())
                .contains("gateway.upstream.token").contains("subscriptions.SSTHJJ.sftp.password");

        values.put("gateway.upstream.token", "the-province-token");
        check(values, name -> "value-of-" + name); // no exception
    }

    private static void check(Map<String, Object> values, java.util.function.UnaryOperator<String> env) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", values));
        new ProductionChecks(env).check(environment);
    }
}
