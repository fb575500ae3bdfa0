package cn.bazhong.credit.gateway.mapping;

import cn.bazhong.credit.gateway.mapping.source.SourceRecord;
import cn.bazhong.credit.gateway.validation.Text;

import java.util.Set;

/**
 * A test on one source field, written in a mapping file as
 * {@code when: {field: bzxrlx, equals: 自然人}}, {@code in: [..]}, {@code present: true|false}.
 * Values are compared after trimming and full-width → half-width conversion.
 */
public record Condition(String field, Set<String> anyOf, Boolean present) {

    public boolean holds(SourceRecord record) {
        String value = Text.clean(record.get(field));
        if (present != null) {
            return present == (value != null);
        }
        return value != null && anyOf.contains(Text.halfWidth(value));
    }
}
