package cn.bazhong.credit.gateway.production;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The production profile's rule for personal data at rest (credit-schema.md: encrypted wherever it is
 * kept): {@code gateway.crypto.fields.enabled} must be on. Off is the one-machine default of the
 * repository, so a finding here is reported with the other development defaults left in place.
 */
public final class EncryptionRequirement {

    static final String FIX = "create the keys once (java -jar credit-exchange-gateway.jar keys new-kek --out <kek file>, then"
            + " keys rotate-data-key --kek-file <kek file> --data-keys <ring file>), give every node the same ring file and KEK, and set"
            + " GATEWAY_CRYPTO_FIELDS=true with GATEWAY_CRYPTO_DATA_KEYS and GATEWAY_CRYPTO_KEK_FILE (or GATEWAY_CRYPTO_KEYSTORE,"
            + " or GATEWAY_CRYPTO_KEK); docs/security.md, \"Personal data at rest\"";

    private EncryptionRequirement() {
    }

    /** The finding that forbids the start, if any; {@code properties} resolves a property name to its value or null. */
    public static List<DevelopmentDefaults.Finding> inProperties(UnaryOperator<String> properties) {
        String enabled = properties.apply("gateway.crypto.fields.enabled");
        String generate = properties.apply("gateway.crypto.fields.generate-missing-keys");
        if (generate != null && "true".equalsIgnoreCase(generate.strip())) {
            return List.of(new DevelopmentDefaults.Finding("gateway.crypto.fields.generate-missing-keys", "keys made at start"
                    + " are the local demo's: a lost file would make every sealed value unreadable; " + FIX));
        }
        if (enabled != null && "true".equalsIgnoreCase(enabled.strip())) {
            return List.of();
        }
        return List.of(new DevelopmentDefaults.Finding("gateway.crypto.fields.enabled", "personal fields would be kept in the clear"
                + " on every topic and in every map (the one-machine default); " + FIX));
    }
}
