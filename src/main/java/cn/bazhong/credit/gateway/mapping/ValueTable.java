package cn.bazhong.credit.gateway.mapping;

import java.util.Map;

/** A value table from a mapping file: the department's spelling → the canonical value. */
public record ValueTable(String name, Map<String, String> entries) {

    public String lookup(String cleanedValue) {
        return entries.get(cleanedValue);
    }
}
