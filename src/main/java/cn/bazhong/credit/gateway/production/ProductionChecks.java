package cn.bazhong.credit.gateway.production;

import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The checks of the {@code production} profile, run once the application is prepared and before the context
 * is refreshed (so before any bean exists: no Kafka, Hazelcast or route is touched): the start fails with
 * {@link DevelopmentDefaultsLeftException}, which {@link DevelopmentDefaultsFailureAnalyzer} reports in one
 * message, while a required variable is not set ({@link MissingVariables}: with nothing set, every
 * {@code GATEWAY_*} variable application-production.yaml needs), a development default is in place, plain
 * HTTP ({@link TlsRequirement}) or personal fields in the clear ({@link EncryptionRequirement}). Registered
 * in {@code META-INF/spring.factories}; it runs after {@code config.ConfigurationKeysCheck}.
 */
public class ProductionChecks implements ApplicationListener<ApplicationPreparedEvent>, Ordered {

    private final UnaryOperator<String> env;

    public ProductionChecks() {
        this(System::getenv);
    }

    /** {@code env} resolves the subscriptions file's placeholders as its loader does. */
    ProductionChecks(UnaryOperator<String> env) {
        this.env = env;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 200;
    }

    @Override
    public void onApplicationEvent(ApplicationPreparedEvent event) {
        ConfigurableEnvironment environment = event.getApplicationContext().getEnvironment();
        if (environment.matchesProfiles("production")) {
            check(environment);
        }
    }

    /** Throws {@link DevelopmentDefaultsLeftException} naming every finding; returns when there is none. */
    void check(ConfigurableEnvironment environment) {
        new Check(environment, env).run();
    }

    private record Check(ConfigurableEnvironment environment, UnaryOperator<String> env) {

        void run() {
            List<DevelopmentDefaults.Finding> missing = MissingVariables.in(environment);
            List<DevelopmentDefaults.Finding> found = new ArrayList<>(DevelopmentDefaults.inProperties(this::property, names()));
            found.addAll(TlsRequirement.inProperties(this::property));
            found.addAll(EncryptionRequirement.inProperties(this::property));
            if (Boolean.parseBoolean(property("gateway.fanout.enabled"))) {
                String file = property("gateway.fanout.subscriptions-file");
                if (file != null) {
                    // as the loader resolves them: the environment variable, or a config-tree file of that name
                    found.addAll(DevelopmentDefaults.inSubscriptions(Path.of(file), name -> {
                        String value = env.apply(name);
                        return value == null || value.isEmpty() ? property(name) : value;
                    }));
                }
            }
            if (!missing.isEmpty() || !found.isEmpty()) {
                throw new DevelopmentDefaultsLeftException(missing, found);
            }
        }

        /** The resolved value, or null when it cannot be resolved (Spring reports that itself, later). */
        private String property(String name) {
            try {
                return environment.getProperty(name);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }

        private Set<String> names() {
            Set<String> names = new LinkedHashSet<>();
            for (PropertySource<?> source : environment.getPropertySources()) {
                if (source instanceof EnumerablePropertySource<?> enumerable) {
                    for (String name : enumerable.getPropertyNames()) {
                        if (name.startsWith("gateway.")) {
                            names.add(name);
                        }
                    }
                }
            }
            return names;
        }
    }
}
