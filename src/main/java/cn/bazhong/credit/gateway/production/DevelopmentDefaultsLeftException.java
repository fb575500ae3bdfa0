package cn.bazhong.credit.gateway.production;

import java.util.List;

/**
 * The production profile was started with required variables missing or development defaults in place;
 * names every one of them.
 */
public class DevelopmentDefaultsLeftException extends RuntimeException {

    private final List<DevelopmentDefaults.Finding> missingVariables;
    private final List<DevelopmentDefaults.Finding> findings;

    public DevelopmentDefaultsLeftException(List<DevelopmentDefaults.Finding> findings) {
        this(List.of(), findings);
    }

    public DevelopmentDefaultsLeftException(List<DevelopmentDefaults.Finding> missingVariables, List<DevelopmentDefaults.Finding> findings) {
        super("the production profile refuses to start: " + missingVariables.size() + " required variable(s) not set"
                + (missingVariables.isEmpty() ? "" : " (" + String.join(", ", DevelopmentDefaults.settings(missingVariables)) + ")")
                + ", " + findings.size() + " setting(s) still hold a development default"
                + (findings.isEmpty() ? "" : ": " + String.join("; ", findings.stream().map(DevelopmentDefaults.Finding::toString).toList())));
        this.missingVariables = List.copyOf(missingVariables);
        this.findings = List.copyOf(findings);
    }

    /** The required variables that are not set ({@code setting} = the variable's name), in the order of the settings. */
    public List<DevelopmentDefaults.Finding> missingVariables() {
        return missingVariables;
    }

    /** The settings that still hold a development default (plain HTTP and personal fields in the clear included). */
    public List<DevelopmentDefaults.Finding> findings() {
        return findings;
    }
}
