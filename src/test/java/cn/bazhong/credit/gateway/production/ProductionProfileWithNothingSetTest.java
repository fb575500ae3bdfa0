package cn.bazhong.credit.gateway.production;

import cn.bazhong.credit.gateway.GatewayApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The gateway started as a deployer first tries it, with the production profile and nothing set
 * ({@code java -jar … --spring.profiles.active=production}): one report lists every required GATEWAY_*
 * variable that is missing, before Kafka or Hazelcast is touched, without a stack trace.
 */
@ExtendWith(OutputCaptureExtension.class)
class ProductionProfileWithNothingSetTest {

    private static final String[] REQUIRED = {"GATEWAY_NODE_ID", "GATEWAY_KAFKA_BOOTSTRAP", "GATEWAY_HAZELCAST_ADDRESS",
            "GATEWAY_HAZELCAST_MEMBERS", "GATEWAY_SUBJECT_KEY_SECRET", "GATEWAY_UPSTREAM_URL", "GATEWAY_UPSTREAM_TOKEN",
            "GATEWAY_SOURCE_UNIT_USCC"};

    @Test
    void the_production_profile_with_nothing_set_lists_every_missing_variable_in_one_report_before_anything_starts(CapturedOutput output) {
        Throwable thrown = catchThrowable(() -> {
            try (ConfigurableApplicationContext ignored = new SpringApplicationBuilder(GatewayApplication.class)
                    .web(WebApplicationType.NONE).profiles("production").run()) {
                // must not get here
            }
        });

        assertThat(thrown).isInstanceOf(DevelopmentDefaultsLeftException.class);
        assertThat(DevelopmentDefaults.settings(((DevelopmentDefaultsLeftException) thrown).missingVariables()))
                .containsExactlyInAnyOrder(REQUIRED);
        assertThat(output).contains("APPLICATION FAILED TO START").contains("8 required environment variable(s) are not set")
                .contains("GATEWAY_NODE_ID is not set (needed by gateway.node-id)")
                .contains("GATEWAY_HAZELCAST_MEMBERS is not set (needed by gateway.hazelcast.members)")
                .contains(REQUIRED)
                .contains("Action:")
                .doesNotContain("Hazelcast Platform").doesNotContain("Kafka version")
                .doesNotContain("at org.springframework.boot.SpringApplication.run");
    }

    @Test
    void a_variable_is_missing_only_where_the_setting_that_takes_effect_needs_it_and_nothing_else_provides_it() {
        Map<String, Object> file = new LinkedHashMap<>();
        file.put("gateway.node-id", "${GATEWAY_NODE_ID}");
        file.put("gateway.upstream.base-url", "${GATEWAY_UPSTREAM_URL}");
        file.put("gateway.upstream.token", "${GATEWAY_UPSTREAM_TOKEN}");
        file.put("gateway.lists.subject-key-secret", "${GATEWAY_SUBJECT_KEY_SECRET:}");
        file.put("gateway.hazelcast.members", "${GATEWAY_HAZELCAST_MEMBERS:${GATEWAY_MEMBERS}}");
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("application-production.yaml", file));
        // a secret file of the config tree, and a command-line argument that overrides the file's setting
        environment.getPropertySources().addFirst(new MapPropertySource("configtree", Map.of("GATEWAY_UPSTREAM_URL", "https://p")));
        environment.getPropertySources().addFirst(new MapPropertySource("commandLineArgs", Map.of("gateway.node-id", "node-7")));

        assertThat(MissingVariables.in(environment)).extracting(DevelopmentDefaults.Finding::setting, DevelopmentDefaults.Finding::why)
                .containsExactly(org.assertj.core.api.Assertions.tuple("GATEWAY_UPSTREAM_TOKEN", "is not set (needed by gateway.upstream.token)"),
                        org.assertj.core.api.Assertions.tuple("GATEWAY_MEMBERS", "is not set (needed by gateway.hazelcast.members)"));
    }
}
