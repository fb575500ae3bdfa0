package cn.bazhong.credit.gateway.web;

import cn.bazhong.credit.gateway.lists.SubjectKeys;
import cn.bazhong.credit.gateway.schema.PersonalData;
import cn.bazhong.credit.gateway.validation.Checked;
import cn.bazhong.credit.gateway.validation.IdNumber;
import cn.bazhong.credit.gateway.validation.Text;
import cn.bazhong.credit.gateway.validation.Uscc;

import java.time.LocalDate;
import java.util.List;

/**
 * A subject code from a request path: a unified social credit code or a personal ID number, checked,
 * with the key the list view stores the subject under and the form it may be shown in (ID numbers
 * masked). A code that is neither gets 400 naming the rule it broke.
 *
 * <p>About one ID number in three hundred also passes both checks of a credit code (an 18-digit number whose
 * 17th digit happens to be the GB 11714 check of digits 9–16 and whose 18th the GB 32100 check character). Such a
 * code is read as an ID number first: it is personal data, shown masked and keyed by its hash, never kept in the
 * clear. Its reading as an organisation is kept as a second key ({@link #otherKey}), so that a check finds the
 * entries of either subject it can name; a code that is only a credit code has none.
 *
 * @param key      the list-view key
 * @param otherKey the list-view key of the code's other reading, or null when it has one reading only
 * @param shown    the code as answers and logs may show it
 */
record SubjectCode(String key, String otherKey, String shown) {

    /** The code read; 400 naming the broken rule when it is neither a credit code nor an ID number. */
    static SubjectCode parse(String raw, SubjectKeys keys, LocalDate today) {
        SubjectCode read = read(raw, keys, today);
        if (read != null) {
            return read;
        }
        Checked<String> id = IdNumber.check(raw, today);
        Checked<String> uscc = Uscc.check(raw);
        String code = Text.code(raw);
        boolean looksLikeId = code != null && code.matches("\\d{14}[0-9X]{1,4}");
        Checked<String> failed = looksLikeId ? id : uscc;
        String shown = looksLikeId ? PersonalData.mask(code) : raw.length() > 40 ? raw.substring(0, 40) + "…" : raw;
        throw new HttpProblem(400, "bad-subject-code", "'" + shown + "' breaks rule " + failed.rule().code() + ": "
                + failed.message())
                .with("field", "code").with("rule", failed.rule().code());
    }

    /** The code read, or null when it is neither a valid credit code nor a valid ID number. */
    static SubjectCode read(String raw, SubjectKeys keys, LocalDate today) {
        Checked<String> id = IdNumber.check(raw, today);
        Checked<String> uscc = Uscc.check(raw);
        if (id.isOk()) {
            return new SubjectCode(keys.person(id.value()), uscc.isOk() ? keys.organisation(uscc.value()) : null,
                    PersonalData.mask(id.value()));
        }
        if (uscc.isOk()) {
            return new SubjectCode(keys.organisation(uscc.value()), null, uscc.value());
        }
        return null;
    }

    /** Whether the code is read as a person's ID number first. */
    boolean person() {
        return key.startsWith("P:");
    }

    /** Every list-view key the code may name: its own, then its other reading's. */
    List<String> keys() {
        return otherKey == null ? List.of(key) : List.of(key, otherKey);
    }

    /** The key of the code read as an organisation, or null when it cannot be one. */
    String organisationKey() {
        return key.startsWith("O:") ? key : otherKey;
    }
}
