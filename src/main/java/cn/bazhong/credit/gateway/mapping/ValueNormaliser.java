package cn.bazhong.credit.gateway.mapping;

import cn.bazhong.credit.gateway.schema.CanonicalField;
import cn.bazhong.credit.gateway.schema.ListCategory;
import cn.bazhong.credit.gateway.schema.ListStatus;
import cn.bazhong.credit.gateway.schema.Operation;
import cn.bazhong.credit.gateway.validation.Amounts;
import cn.bazhong.credit.gateway.validation.Checked;
import cn.bazhong.credit.gateway.validation.Dates;
import cn.bazhong.credit.gateway.validation.OrgCode;
import cn.bazhong.credit.gateway.validation.Rule;
import cn.bazhong.credit.gateway.validation.Text;
import cn.bazhong.credit.gateway.validation.Uscc;
import cn.bazhong.credit.gateway.validation.Vocabularies;

import java.util.Arrays;

/**
 * Normalises one raw value into the canonical type of its field, or says which rule it breaks.
 * Values arrive here already non-blank. ID numbers are only tidied here; their GB 11643 check
 * depends on the 证件类型 next to them and is made in {@link RecordRules}.
 */
final class ValueNormaliser {

    static final String DEFAULT_SEPARATORS = "；;、,，/";
    private static final java.util.regex.Pattern LIST_TYPE = java.util.regex.Pattern.compile("[A-Z][A-Z0-9_]*");

    private ValueNormaliser() {
    }

    static Checked<Object> normalise(CanonicalField field, String raw, String separators, Amounts.Unit unit) {
        Checked<?> result = switch (field.type()) {
            case TEXT -> length(field, Text.clean(raw));
            case CODE, ID_NUMBER -> length(field, Text.code(raw));
            case USCC -> Uscc.check(raw);
            case ORG_CODE -> OrgCode.check(raw);
            case ID_TYPE -> Vocabularies.ID_TYPE.check(raw);
            case DATE -> Dates.parse(raw);
            case AMOUNT -> Amounts.toWan(raw, unit == null ? Amounts.Unit.WAN : unit);
            case SUBJECT_CATEGORY -> Vocabularies.SUBJECT_CATEGORY.check(raw);
            case PENALTY_KINDS -> Vocabularies.PENALTY_KIND.checkList(raw, separators == null ? DEFAULT_SEPARATORS : separators);
            case LICENCE_CATEGORY -> Vocabularies.LICENCE_CATEGORY.check(raw);
            case LIST_TYPE -> listType(field, Text.code(raw));
            case LIST_CATEGORY -> constant(ListCategory.class, raw);
            case LIST_STATUS -> constant(ListStatus.class, raw);
            case OPERATION -> constant(Operation.class, raw);
        };
        @SuppressWarnings("unchecked")
        Checked<Object> widened = (Checked<Object>) result;
        return widened;
    }

    /** Free text kept as a list-entry attribute. */
    static Checked<Object> attribute(String raw) {
        String v = Text.clean(raw);
        int length = v == null ? 0 : v.codePointCount(0, v.length());
        if (length > CanonicalField.ENTRY_ATTRIBUTE_MAX_LENGTH) {
            return Checked.fail(Rule.LENGTH, "is " + length + " characters long, at most "
                    + CanonicalField.ENTRY_ATTRIBUTE_MAX_LENGTH + " are allowed");
        }
        return Checked.ok(v);
    }

    private static Checked<String> length(CanonicalField field, String v) {
        if (v != null && field.maxLength() > 0 && v.codePointCount(0, v.length()) > field.maxLength()) {
            return Checked.fail(Rule.LENGTH, "is " + v.codePointCount(0, v.length()) + " characters long, at most "
                    + field.maxLength() + " are allowed");
        }
        return Checked.ok(v);
    }

    private static Checked<String> listType(CanonicalField field, String v) {
        if (v == null || !LIST_TYPE.matcher(v).matches()) {
            return Checked.fail(Rule.ENUM, "'" + v + "' is not a list type (upper-case letters, digits and _)");
        }
        return length(field, v);
    }

    private static <E extends Enum<E>> Checked<E> constant(Class<E> type, String raw) {
        String v = Text.code(raw);
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(v)) {
                return Checked.ok(e);
            }
        }
        return Checked.fail(Rule.ENUM, "'" + Text.clean(raw) + "' is not one of " + Arrays.toString(type.getEnumConstants()));
    }
}
