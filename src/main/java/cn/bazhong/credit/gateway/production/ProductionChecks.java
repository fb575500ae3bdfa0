package cn.bazhong.credit.gateway.production;

import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The checks of the {@code production} profile, run before any bean is created (so before Kafka,
 * Hazelcast or a route is touched): the start fails with {@link DevelopmentDefaultsLeftException},
 * which {@link DevelopmentDefaultsFailureAnalyzer} reports, while a development default is in place,
 * plain HTTP ({@link TlsRequirement}) and personal fields in the clear ({@link EncryptionRequirement}) included.
 */
@Configuration(proxyBeanMethods = false)
@Profile("production")
public class ProductionChecks {

    @Bean
    static BeanFactoryPostProcessor developmentDefaultsCheck() {
        return new DevelopmentDefaultsCheck(System::getenv);
    }

    /** Reads the settings from the environment; {@code env} resolves the subscriptions file's placeholders as its loader does. */
    static final class DevelopmentDefaultsCheck implements BeanFactoryPostProcessor, EnvironmentAware {
        private final UnaryOperator<String> env;
        private Environment environment;

        DevelopmentDefaultsCheck(UnaryOperator<String> env) {
            this.env = env;
        }

        @Override
        public void setEnvironment(Environment environment) {
            this.environment = environment;
        }

        @Override
        public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
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
            if (!found.isEmpty()) {
                throw new DevelopmentDefaultsLeftException(found);
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
            if (environment instanceof ConfigurableEnvironment configurable) {
                for (PropertySource<?> source : configurable.getPropertySources()) {
                    if (source instanceof EnumerablePropertySource<?> enumerable) {
                        for (String name : enumerable.getPropertyNames()) {
                            if (name.startsWith("gateway.")) {
                                names.add(name);
                            }
                        }
                    }
                }
            }
            return names;
        }
    }
}
