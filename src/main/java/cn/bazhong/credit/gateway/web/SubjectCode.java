package cn.bazhong.credit.gateway.web;

import cn.bazhong.credit.gateway.lists.SubjectKeys;
import cn.bazhong.credit.gateway.schema.PersonalData;
import cn.bazhong.credit.gateway.validation.Checked;
import cn.bazhong.credit.gateway.validation.IdNumber;
import cn.bazhong.credit.gateway.validation.Text;
import cn.bazhong.credit.gateway.validation.Uscc;

import java.time.LocalDate;

/**
 * A subject code from a request path: a unified social credit code or a personal ID number, checked,
 * with the key the list view stores the subject under and the form it may be shown in (ID numbers
 * masked). A code that is neither gets 400 naming the rule it broke.
 *
 * @param key   the list-view key
 * @param shown the code as answers and logs may show it
 */
record SubjectCode(String key, String shown) {

    static SubjectCode parse(String raw, SubjectKeys keys, LocalDate today) {
        Checked<String> uscc = Uscc.check(raw);
        if (uscc.isOk()) {
            return new SubjectCode(keys.organisation(uscc.value()), uscc.value());
        }
        Checked<String> id = IdNumber.check(raw, today);
        if (id.isOk()) {
            return new SubjectCode(keys.person(id.value()), PersonalData.mask(id.value()));
        }
        String code = Text.code(raw);
        boolean looksLikeId = code != null && code.matches("\\d{14}[0-9X]{1,4}");
        Checked<String> failed = looksLikeId ? id : uscc;
        String shown = looksLikeId ? PersonalData.mask(code) : raw.length() > 40 ? raw.substring(0, 40) + "…" : raw;
        throw new HttpProblem(400, "bad-subject-code", "'" + shown + "' breaks rule " + failed.rule().code() + ": "
                + failed.message())
                .with("field", "code").with("rule", failed.rule().code());
    }
}
