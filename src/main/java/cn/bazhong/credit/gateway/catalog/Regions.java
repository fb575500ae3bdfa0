package cn.bazhong.credit.gateway.catalog;

import java.util.regex.Pattern;

/**
 * 行政区划代码 (GB/T 2260, six digits): {@code XX0000} a province, {@code XXYY00} a city,
 * {@code XXYYZZ} a county-level division. A region contains itself and the divisions below it.
 */
public final class Regions {

    private static final Pattern CODE = Pattern.compile("[1-8][0-9]{5}");

    private Regions() {
    }

    public static boolean isCode(String code) {
        return code != null && CODE.matcher(code).matches();
    }

    /** Whether {@code outer} is {@code inner} or a province or city that contains it. */
    public static boolean contains(String outer, String inner) {
        if (!isCode(outer) || !isCode(inner)) {
            return false;
        }
        if (outer.equals(inner)) {
            return true;
        }
        if (outer.endsWith("0000")) {
            return outer.regionMatches(0, inner, 0, 2);
        }
        return outer.endsWith("00") && outer.regionMatches(0, inner, 0, 4);
    }

    /**
     * The region a government organ's unified social credit code names: organs registered by the
     * 机构编制 authorities (first character 1) carry their registration authority's region in characters
     * 3-8, which for an organ is its own level of government. Null for any other code.
     */
    public static String ofOrgan(String uscc) {
        if (uscc == null || uscc.length() != 18 || uscc.charAt(0) != '1') {
            return null;
        }
        String region = uscc.substring(2, 8);
        return isCode(region) ? region : null;
    }
}
