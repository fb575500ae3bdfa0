package cn.bazhong.credit.gateway.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A start with a gateway.* key the gateway does not read (the repository's config/ files, plus the key) stops
 * before any bean exists, with Spring Boot's failure report naming the key, where it was written and the
 * nearest known key, and no stack trace; gateway.config.check-unknown-keys=false lets it start.
 */
@ExtendWith(OutputCaptureExtension.class)
class ConfigurationKeysAtStartupTest {

    /** The application's only source: the check runs before any bean, so none is needed. */
    @Configuration(proxyBeanMethods = false)
    static class NoBeans {
    }

    private static Throwable start(Map<String, Object> properties, String... args) {
        return catchThrowable(() -> {
            try (ConfigurableApplicationContext context = new SpringApplicationBuilder(NoBeans.class)
                    .web(WebApplicationType.NONE).properties(properties).run(args)) {
                assertThat(context.isActive()).isTrue();
            }
        });
    }

    @Test
    void a_misspelt_key_in_a_configuration_file_stops_the_start_naming_the_file_the_line_and_the_nearest_known_key(
            @TempDir Path dir, CapturedOutput output) throws IOException {
        Path extra = Files.writeString(dir.resolve("extra.yaml"), """
                gateway:
                  upstream:
                    batch-size: 100
                    retry-budgett: 12h
                """);

        Throwable thrown = start(Map.of(), "--spring.config.additional-location=file:" + extra);

        assertThat(thrown).isInstanceOf(UnknownConfigurationKeysException.class);
        assertThat(((UnknownConfigurationKeysException) thrown).keys()).singleElement().satisfies(k -> {
            assertThat(k.key()).isEqualTo("gateway.upstream.retry-budgett");
            assertThat(k.nearest()).isEqualTo("gateway.upstream.retry-budget");
            assertThat(k.origin()).contains("extra.yaml").contains("4:");
        });
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("gateway.upstream.retry-budgett").contains("did you mean gateway.upstream.retry-budget?")
                .contains("gateway.config.check-unknown-keys=false")
                .doesNotContain("at org.springframework.boot.SpringApplication.run");
    }

    @Test
    void every_unknown_key_of_the_command_line_is_named_in_one_report(CapturedOutput output) {
        Throwable thrown = start(Map.of(), "--gateway.nodeid=n1", "--gateway.tls.behind-proxi=true", "--gateway.topic.records=x");

        assertThat(thrown).isInstanceOf(UnknownConfigurationKeysException.class);
        assertThat(((UnknownConfigurationKeysException) thrown).keys()).extracting(UnknownKey::key, UnknownKey::nearest)
                .containsExactlyInAnyOrder(org.assertj.core.api.Assertions.tuple("gateway.tls.behind-proxi", "gateway.tls.behind-proxy"),
                        org.assertj.core.api.Assertions.tuple("gateway.topic.records", "gateway.topics.records"));
        assertThat(output).contains("2 gateway.* key(s)");
    }

    @Test
    void the_check_switched_off_lets_the_start_go_on_with_an_unknown_key() {
        // as config/application.yaml documents it: the variable, or the key itself
        assertThat(start(Map.of("GATEWAY_CONFIG_CHECK_UNKNOWN_KEYS", "false"), "--gateway.upstrem.token=x")).isNull();
        assertThat(start(Map.of(), "--gateway.config.check-unknown-keys=false", "--gateway.upstrem.token=x")).isNull();
    }

    @Test
    void the_repositorys_configuration_alone_starts() {
        assertThat(start(Map.of())).isNull();
    }
}
