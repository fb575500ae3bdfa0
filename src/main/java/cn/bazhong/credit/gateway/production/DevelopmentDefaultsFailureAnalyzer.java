package cn.bazhong.credit.gateway.production;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns {@link DevelopmentDefaultsLeftException} into Spring Boot's "APPLICATION FAILED TO START"
 * report: every required variable that is not set, then one line per setting left at a development
 * default, and what to do, instead of a stack trace.
 */
public class DevelopmentDefaultsFailureAnalyzer extends AbstractFailureAnalyzer<DevelopmentDefaultsLeftException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, DevelopmentDefaultsLeftException cause) {
        StringBuilder description = new StringBuilder("The production profile refuses to start:");
        if (!cause.missingVariables().isEmpty()) {
            description.append(' ').append(cause.missingVariables().size()).append(" required environment variable(s) are not set:\n");
            for (DevelopmentDefaults.Finding f : cause.missingVariables()) {
                description.append("\n    - ").append(f.setting()).append(' ').append(f.why());
            }
            description.append(cause.findings().isEmpty() ? "\n" : "\n\nand");
        }
        if (!cause.findings().isEmpty()) {
            description.append(' ').append(cause.findings().size())
                    .append(" setting(s) still hold a development default of the repository:\n");
            for (DevelopmentDefaults.Finding f : cause.findings()) {
                description.append("\n    - ").append(f.setting()).append(": ").append(f.why());
            }
        }
        String action = (cause.missingVariables().isEmpty() ? "" : """
                Set every variable listed (in the environment, or as a file of that name in GATEWAY_SECRETS_DIR; \
                docs/deployment.md, "Configuration").\s""") + """
                Give each of these settings a value of this deployment, from the environment or a secret store \
                (webhook secrets: WebhookSigner.newSecret(); department and operator keys: java -jar … access new-key, \
                configure the hash; HTTPS: docs/security.md, "TLS"), then start again. The development defaults are public: \
                they are in the repository.""";
        return new FailureAnalysis(description.toString(), action, cause);
    }
}
