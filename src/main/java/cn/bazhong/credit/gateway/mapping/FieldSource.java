package cn.bazhong.credit.gateway.mapping;

import cn.bazhong.credit.gateway.validation.Amounts;

import java.util.List;
import java.util.regex.Pattern;

/**
 * One way of obtaining a canonical value: from source fields (the first non-empty one), a
 * constant, or a derivation; optionally guarded by a condition, passed through a regular
 * expression and a value table.
 *
 * @param from       source field names, normalised for lookup
 * @param labels     the same names as the mapping file writes them, for messages
 * @param fallback   constant used when every source field is empty
 * @param strict     a value missing from the table is an {@code enum} error rather than passed on
 * @param separators characters that separate several values in one field (list fields)
 * @param unit       the unit the source writes amounts in
 * @param line       line of the mapping file, for messages
 */
public record FieldSource(
        Condition when,
        List<String> from,
        List<String> labels,
        String fallback,
        String constant,
        Derivation derive,
        Pattern extract,
        ValueTable table,
        boolean strict,
        String separators,
        Amounts.Unit unit,
        int line) {
}
