package cn.bazhong.credit.gateway.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns {@link UnknownConfigurationKeysException} into Spring Boot's "APPLICATION FAILED TO START" report:
 * one line per unknown key with where it was written and the nearest known key, no stack trace.
 */
public class UnknownConfigurationKeysFailureAnalyzer extends AbstractFailureAnalyzer<UnknownConfigurationKeysException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, UnknownConfigurationKeysException cause) {
        StringBuilder description = new StringBuilder("The configuration holds ").append(cause.keys().size())
                .append(" gateway.* key(s) that the gateway does not read (a misspelt key would otherwise be ignored"
                        + " without a word, and its default used):\n");
        for (UnknownKey key : cause.keys()) {
            description.append("\n    - ").append(key);
        }
        String action = """
                Correct each key (the known keys are in docs/deployment.md, "Configuration", and in the jar's \
                META-INF/spring-configuration-metadata.json), or remove it, then start again. To start anyway, e.g. with a \
                key of a route of your own, set gateway.config.check-unknown-keys=false (GATEWAY_CONFIG_CHECK_UNKNOWN_KEYS=false).""";
        return new FailureAnalysis(description.toString(), action, cause);
    }
}
