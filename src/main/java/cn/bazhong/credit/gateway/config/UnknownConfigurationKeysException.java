package cn.bazhong.credit.gateway.config;

import java.util.List;

/** The configuration holds {@code gateway.*} keys the gateway does not read; names every one of them. */
public class UnknownConfigurationKeysException extends RuntimeException {

    private final List<UnknownKey> keys;

    public UnknownConfigurationKeysException(List<UnknownKey> keys) {
        super(keys.size() + " configuration key(s) the gateway does not know: "
                + String.join("; ", keys.stream().map(UnknownKey::toString).toList()));
        this.keys = List.copyOf(keys);
    }

    public List<UnknownKey> keys() {
        return keys;
    }
}
