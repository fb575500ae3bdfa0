package cn.bazhong.credit.gateway.config;

/**
 * A {@code gateway.*} key that a property source holds and the gateway does not read: where it was written
 * ({@code origin}, e.g. "class path resource [config/application.yaml] - 12:5", or the property source's name)
 * and the nearest key the gateway knows (null when it knows none).
 */
public record UnknownKey(String key, String origin, String nearest) {

    @Override
    public String toString() {
        return key + " (" + origin + ")" + (nearest == null ? "" : ": did you mean " + nearest + "?");
    }
}
