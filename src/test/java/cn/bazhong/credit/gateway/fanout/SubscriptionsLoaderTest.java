package cn.bazhong.credit.gateway.fanout;

import cn.bazhong.credit.gateway.catalog.Catalog;
import cn.bazhong.credit.gateway.catalog.CatalogLoader;
import cn.bazhong.credit.gateway.fanout.Subscription.KafkaChannel;
import cn.bazhong.credit.gateway.fanout.Subscription.SftpChannel;
import cn.bazhong.credit.gateway.fanout.Subscription.WebhookChannel;
import cn.bazhong.credit.gateway.yaml.ConfigFileException;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Subscriptions say how and where a department is reached; what it receives follows from the catalog. */
class SubscriptionsLoaderTest {

    private static final Catalog CATALOG = CatalogLoader.load(Path.of("config/catalog.yaml"));
    private static final String FILE = "config/subscriptions.yaml";
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    private static Subscriptions load(String yaml) {
        return load(yaml, Map.of());
    }

    private static Subscriptions load(String yaml, Map<String, String> env) {
        return SubscriptionsLoader.load(FILE, new StringReader(yaml), CATALOG, env::get);
    }

    private static ConfigFileException failure(String yaml) {
        try {
            load(yaml);
        } catch (ConfigFileException e) {
            return e;
        }
        throw new AssertionError("expected the file to be refused");
    }

    private static String webhook(String dept, String url, String secret) {
        return "subscriptions:\n  " + dept + ":\n    webhook:\n      url: " + url + "\n      secrets: [\"" + secret + "\"]\n";
    }

    @Test
    void the_shipped_subscriptions_load_against_the_shipped_catalog() {
        Subscriptions subs = SubscriptionsLoader.load(Path.of(FILE), CATALOG);

        assertThat(subs.byDepartment()).containsOnlyKeys("XZSPJ", "ZWFW", "GGZY", "CZJ", "FGW", "RMYH", "SCJGJ",
                "SSTHJJ", "JTYSJ", "LDXZ", "TJX");
        assertThat(subs.enabled()).hasSize(11);
        assertThat(subs.of("SCJGJ").orElseThrow().channel()).isEqualTo(new KafkaChannel("dept.scjgj.events"));
        assertThat(subs.of("SSTHJJ").orElseThrow().channel()).isInstanceOf(SftpChannel.class);
        assertThat(subs.byDepartment().values()).filteredOn(Subscription::fullIdNumbers).extracting(Subscription::department)
                .containsExactly("JTYSJ");
        WebhookChannel xzspj = (WebhookChannel) subs.of("XZSPJ").orElseThrow().channel();
        assertThat(xzspj.url()).isEqualTo(URI.create("http://127.0.0.1:18091/hooks/XZSPJ"));
        assertThat(xzspj.secrets()).singleElement().satisfies(s -> assertThat(WebhookSigner.secretProblem(s)).isNull());
        assertThat(xzspj.toString()).doesNotContain("whsec_");
    }

    @Test
    void the_list_changes_a_department_receives_come_from_the_catalog_measures_it_implements() {
        Subscriptions subs = SubscriptionsLoader.load(Path.of(FILE), CATALOG);

        assertThat(subs.watchedListTypes("JTYSJ")).containsExactly("COURT_DEFAULTER");
        // the central bank branch: 信易+ and website promotion for the red lists, financing limits for the black lists
        assertThat(subs.watchedListTypes("RMYH")).containsExactly("CONSTRUCTION_SERIOUS", "CONTRACT_HONOURING", "ENVIRONMENT_SERIOUS",
                "FINANCE_SERIOUS", "FIRE_SAFETY_SERIOUS", "FOOD_DRUG_SERIOUS", "HONEST_MODEL", "MAJOR_TAX_VIOLATION", "MEDICAL_SERIOUS",
                "PRICE_SERIOUS", "QUALITY_SERIOUS", "SAFETY_SERIOUS", "SECURITIES_SERIOUS", "SERIOUS_ILLEGAL_ENTERPRISE", "TAX_A");
        assertThat(subs.watchedListTypes("GGZY")).isEqualTo(CATALOG.listTypesWatchedBy("GGZY"));
    }

    @Test
    void a_placeholder_takes_the_environment_variable_and_else_its_default() {
        String yaml = webhook("CZJ", "https://czj.example/hooks", "${CZJ_SECRET:" + SECRET + "}");
        String fromEnv = WebhookSigner.newSecret();

        assertThat(((WebhookChannel) load(yaml).of("CZJ").orElseThrow().channel()).secrets()).containsExactly(SECRET);
        assertThat(((WebhookChannel) load(yaml, Map.of("CZJ_SECRET", fromEnv)).of("CZJ").orElseThrow().channel()).secrets())
                .containsExactly(fromEnv);
        ConfigFileException e = failure(webhook("CZJ", "https://czj.example/hooks", "${CZJ_SECRET}"));
        assertThat(e.key()).isEqualTo("subscriptions.CZJ.webhook.secrets");
        assertThat(e.problem()).contains("CZJ_SECRET");
    }

    @Test
    void defaults_are_masked_ids_enabled_and_the_default_retry_policy_and_a_retry_block_overrides_them() {
        Subscription plain = load(webhook("CZJ", "https://czj.example/h", SECRET)).of("CZJ").orElseThrow();
        Subscription tuned = load("subscriptions:\n  SCJGJ:\n    kafka: { topic: dept.scjgj.events }\n    enabled: false\n"
                + "    retry: { maxAttempts: 3, initialBackoff: PT2S, maxBackoff: 1m }\n").of("SCJGJ").orElseThrow();

        assertThat(plain.fullIdNumbers()).isFalse();
        assertThat(plain.enabled()).isTrue();
        assertThat(plain.retry()).isEqualTo(Subscription.RetryPolicy.DEFAULT);
        assertThat(tuned.enabled()).isFalse();
        assertThat(tuned.retry()).isEqualTo(new Subscription.RetryPolicy(3, Duration.ofSeconds(2), Duration.ofMinutes(1)));
    }

    @Test
    void a_department_that_is_not_a_catalog_unit_is_refused_with_file_line_and_key() {
        ConfigFileException e = failure("subscriptions:\n  CZJ:\n    kafka: { topic: a }\n  NOPE:\n    kafka: { topic: b }\n");

        assertThat(e.file()).isEqualTo(FILE);
        assertThat(e.line()).isEqualTo(5);
        assertThat(e.key()).isEqualTo("subscriptions.NOPE");
        assertThat(e.getMessage()).startsWith("config/subscriptions.yaml:5: subscriptions.NOPE: ");
    }

    @Test
    void a_department_that_implements_no_catalog_measure_is_refused_as_it_would_receive_nothing() {
        ConfigFileException e = failure("subscriptions:\n  SWJ:\n    kafka: { topic: dept.swj.events }\n");

        assertThat(e.line()).isEqualTo(3);
        assertThat(e.key()).isEqualTo("subscriptions.SWJ");
        assertThat(e.problem()).contains("implements no catalog measure");
    }

    @Test
    void an_unknown_key_is_refused_with_its_line() {
        ConfigFileException e = failure("subscriptions:\n  CZJ:\n    kafka: { topic: a }\n    fullIdNumber: true\n");

        assertThat(e.line()).isEqualTo(4);
        assertThat(e.key()).isEqualTo("subscriptions.CZJ.fullIdNumber");
        assertThat(e.problem()).contains("unknown key");
    }

    @Test
    void a_webhook_url_that_is_not_http_or_https_is_refused() {
        ConfigFileException e = failure(webhook("CZJ", "ftp://czj.example/hooks", SECRET));

        assertThat(e.line()).isEqualTo(4);
        assertThat(e.key()).isEqualTo("subscriptions.CZJ.webhook.url");
    }

    @Test
    void a_secret_without_whsec_or_not_base64_is_refused_without_quoting_it() {
        ConfigFileException noPrefix = failure(webhook("CZJ", "https://czj.example/h", "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"));
        ConfigFileException notBase64 = failure("subscriptions:\n  CZJ:\n    webhook:\n      url: https://czj.example/h\n"
                + "      secrets:\n        - " + SECRET + "\n        - whsec_%%%notbase64\n");

        assertThat(noPrefix.line()).isEqualTo(5);
        assertThat(noPrefix.key()).isEqualTo("subscriptions.CZJ.webhook.secrets");
        assertThat(noPrefix.getMessage()).contains("whsec_").doesNotContain("MfKQ9r8");
        assertThat(notBase64.line()).isEqualTo(7);
        assertThat(notBase64.problem()).contains("base64");
    }

    @Test
    void two_channels_or_none_are_refused() {
        ConfigFileException two = failure("subscriptions:\n  CZJ:\n    kafka: { topic: a }\n    webhook: { url: 'https://x.example', secrets: ["
                + SECRET + "] }\n");
        ConfigFileException none = failure("subscriptions:\n  CZJ:\n    fullIdNumbers: true\n");

        assertThat(two.line()).isEqualTo(4);
        assertThat(two.key()).isEqualTo("subscriptions.CZJ.webhook");
        assertThat(two.problem()).contains("exactly one channel");
        assertThat(none.line()).isEqualTo(3);
        assertThat(none.key()).isEqualTo("subscriptions.CZJ");
    }

    @Test
    void an_sftp_drop_without_a_known_hosts_file_is_refused() {
        ConfigFileException e = failure("subscriptions:\n  SSTHJJ:\n    sftp:\n      host: sftp.example\n      username: gw\n"
                + "      password: pw\n      directory: /in\n");

        assertThat(e.line()).isEqualTo(4);
        assertThat(e.key()).isEqualTo("subscriptions.SSTHJJ.sftp.knownHostsFile");
    }

    @Test
    void a_retry_duration_that_is_not_a_duration_is_refused() {
        ConfigFileException e = failure("subscriptions:\n  CZJ:\n    kafka: { topic: a }\n    retry:\n      maxBackoff: soon\n");

        assertThat(e.line()).isEqualTo(5);
        assertThat(e.key()).isEqualTo("subscriptions.CZJ.retry.maxBackoff");
    }

    @Test
    void a_secret_may_be_a_file_reference_and_a_file_others_can_read_is_refused_without_quoting_it(
            @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path secretFile = dir.resolve("xzspj-secret");
        cn.bazhong.credit.gateway.crypto.KeyFiles.createOwnerOnly(secretFile, SECRET + "\n");
        Subscriptions subs = load(webhook("XZSPJ", "https://xzspj.example/hook", "${file:" + secretFile + "}"));
        assertThat(((WebhookChannel) subs.of("XZSPJ").orElseThrow().channel()).secrets()).containsExactly(SECRET);

        java.nio.file.Files.setPosixFilePermissions(secretFile, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        ConfigFileException e = failure(webhook("XZSPJ", "https://xzspj.example/hook", "${file:" + secretFile + "}"));
        assertThat(e.key()).isEqualTo("subscriptions.XZSPJ.webhook.secrets");
        assertThat(e.problem()).contains("others can read").doesNotContain(SECRET);
        assertThat(failure(webhook("XZSPJ", "https://xzspj.example/hook", "${file:" + dir.resolve("missing") + "}")).problem())
                .contains("does not exist");
    }
}
