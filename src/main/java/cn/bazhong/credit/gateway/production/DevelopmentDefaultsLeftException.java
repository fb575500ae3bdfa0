package cn.bazhong.credit.gateway.production;

import java.util.List;

/** The production profile was started with development defaults in place; names every one of them. */
public class DevelopmentDefaultsLeftException extends RuntimeException {

    private final List<DevelopmentDefaults.Finding> findings;

    public DevelopmentDefaultsLeftException(List<DevelopmentDefaults.Finding> findings) {
        super("the production profile refuses to start: " + findings.size() + " setting(s) still hold a development default: "
                + String.join("; ", findings.stream().map(DevelopmentDefaults.Finding::toString).toList()));
        this.findings = List.copyOf(findings);
    }

    public List<DevelopmentDefaults.Finding> findings() {
        return findings;
    }
}
