package cn.bazhong.credit.gateway.mapping.source;

import cn.bazhong.credit.gateway.validation.Text;

/**
 * Field names (CSV headers, JSON member names, names in mapping files) are matched after dropping
 * byte-order marks and surrounding spaces and making full-width characters half-width, so that
 * {@code 罚款金额（元）} and {@code 罚款金额(元)} name the same column.
 */
public final class FieldNames {
    private FieldNames() {
    }

    public static String normalise(String name) {
        if (name == null) {
            return "";
        }
        String s = Text.halfWidth(name.replace("\uFEFF", "")).strip();
        return s;
    }
}
