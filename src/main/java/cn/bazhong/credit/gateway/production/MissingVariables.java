package cn.bazhong.credit.gateway.production;

import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The variables a configuration needs and does not have: every {@code ${NAME}} without a default, in a
 * setting that takes effect (the one the environment resolves, not one a later file or argument overrides),
 * whose {@code NAME} is neither an environment variable, nor a file of the config tree, nor any other
 * property. application-production.yaml writes its required settings that way ({@code ${GATEWAY_NODE_ID}}),
 * so that a deployment with nothing set learns all of them at once, before anything starts.
 */
public final class MissingVariables {

    private static final Pattern REQUIRED = Pattern.compile("\\$\\{([^:{}$]+)}");

    private MissingVariables() {
    }

    /** One finding per missing variable ({@code setting} = the variable), naming the settings that need it. */
    public static List<DevelopmentDefaults.Finding> in(ConfigurableEnvironment environment) {
        Map<String, Set<String>> needers = new LinkedHashMap<>();
        for (String name : names(environment)) {
            try {
                environment.getProperty(name);
                continue; // resolves
            } catch (IllegalArgumentException unresolvable) {
                // below: which variables
            }
            Object raw = rawValue(environment, name);
            if (!(raw instanceof CharSequence text)) {
                continue;
            }
            Matcher m = REQUIRED.matcher(text);
            while (m.find()) {
                String variable = m.group(1).strip();
                if (!environment.containsProperty(variable)) {
                    needers.computeIfAbsent(variable, v -> new LinkedHashSet<>()).add(name);
                }
            }
        }
        List<DevelopmentDefaults.Finding> found = new ArrayList<>();
        needers.forEach((variable, settings) -> found.add(new DevelopmentDefaults.Finding(variable,
                "is not set (needed by " + String.join(", ", settings) + ")")));
        return found;
    }

    private static Set<String> names(ConfigurableEnvironment environment) {
        Set<String> names = new LinkedHashSet<>();
        for (PropertySource<?> source : environment.getPropertySources()) {
            if (source instanceof EnumerablePropertySource<?> enumerable) {
                names.addAll(List.of(enumerable.getPropertyNames()));
            }
        }
        return names;
    }

    /** The value as written in the first property source that has {@code name} (the one that takes effect). */
    private static Object rawValue(ConfigurableEnvironment environment, String name) {
        for (PropertySource<?> source : environment.getPropertySources()) {
            if (source instanceof EnumerablePropertySource<?> && source.containsProperty(name)) {
                return source.getProperty(name);
            }
        }
        return null;
    }
}
