package cn.bazhong.credit.gateway.crypto;

import java.util.regex.Pattern;

/** Ids of keys as they appear in encrypted values: 1-64 of {@code A-Z a-z 0-9 . _ -} (never a colon). */
final class KeyIds {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private KeyIds() {
    }

    static String check(String kind, String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException(kind + " id '" + id + "' must be 1-64 of A-Z a-z 0-9 . _ -");
        }
        return id;
    }
}
