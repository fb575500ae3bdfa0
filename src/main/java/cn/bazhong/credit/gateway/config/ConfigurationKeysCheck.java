package cn.bazhong.credit.gateway.config;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.OriginLookup;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Refuses to start while the configuration holds a {@code gateway.*} key the gateway does not read (a
 * misspelt key is otherwise ignored and its default silently used): every unknown key is named with where it
 * was written and the nearest known key ({@link UnknownConfigurationKeysFailureAnalyzer} reports them).
 *
 * <p>It runs once the application is prepared, before the context is refreshed: after every configuration
 * file, profile, config tree, command-line argument and test property is in place, before any bean (Kafka,
 * Hazelcast, routes) exists. The known keys are those of {@link KnownKeys}. Environment variables are not
 * checked (the {@code GATEWAY_*} variables feed the files' placeholders; they are not keys). The check is on
 * unless {@value #SWITCH} is false. Registered in {@code META-INF/spring.factories}.
 */
public class ConfigurationKeysCheck implements ApplicationListener<ApplicationPreparedEvent>, Ordered {

    /** Turns the check off (e.g. for a route of an integrator's own that reads a gateway.* key of its own). */
    public static final String SWITCH = "gateway.config.check-unknown-keys";
    static final String PREFIX = "gateway.";

    private static final Logger log = LoggerFactory.getLogger(ConfigurationKeysCheck.class);
    private static ClassLoader cachedLoader;
    private static KnownKeys cached;

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 100;
    }

    @Override
    public void onApplicationEvent(ApplicationPreparedEvent event) {
        ConfigurableEnvironment environment = event.getApplicationContext().getEnvironment();
        if (!enabled(environment)) {
            log.warn("{} is false: gateway.* keys are not checked, a misspelt one is ignored", SWITCH);
            return;
        }
        KnownKeys known = knownKeys(event.getSpringApplication().getClassLoader());
        if (known.isEmpty()) {
            log.warn("no configuration metadata ({}) on the class path: gateway.* keys are not checked", KnownKeys.METADATA);
            return;
        }
        List<UnknownKey> unknown = unknownKeys(environment, known);
        if (!unknown.isEmpty()) {
            throw new UnknownConfigurationKeysException(unknown);
        }
    }

    /** Read once per class loader: test JVMs start many applications, each would read every jar's metadata again. */
    private static synchronized KnownKeys knownKeys(ClassLoader loader) {
        if (cachedLoader != loader) {
            cached = KnownKeys.fromClassPath(loader, PREFIX);
            cachedLoader = loader;
        }
        return cached;
    }

    static boolean enabled(ConfigurableEnvironment environment) {
        try {
            return environment.getProperty(SWITCH, Boolean.class, true);
        } catch (IllegalArgumentException e) {
            return true; // an unresolvable or unreadable value: checked, and reported by the binder later
        }
    }

    /** The {@code gateway.*} keys of {@code environment}'s property sources that {@code known} does not hold, in order. */
    public static List<UnknownKey> unknownKeys(ConfigurableEnvironment environment, KnownKeys known) {
        List<UnknownKey> unknown = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (PropertySource<?> source : environment.getPropertySources()) {
            if (!(source instanceof EnumerablePropertySource<?> enumerable) || source instanceof SystemEnvironmentPropertySource) {
                continue;
            }
            for (String name : enumerable.getPropertyNames()) {
                if (name.startsWith(PREFIX) && !known.contains(name) && seen.add(name)) {
                    unknown.add(new UnknownKey(name, origin(source, name), known.nearest(name).orElse(null)));
                }
            }
        }
        return unknown;
    }

    @SuppressWarnings("unchecked")
    private static String origin(PropertySource<?> source, String name) {
        if (source instanceof OriginLookup<?> lookup) {
            Origin origin = ((OriginLookup<String>) lookup).getOrigin(name);
            if (origin != null) {
                return origin.toString();
            }
        }
        return source.getName();
    }
}
