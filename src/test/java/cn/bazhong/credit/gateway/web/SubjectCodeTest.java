package cn.bazhong.credit.gateway.web;

import cn.bazhong.credit.gateway.lists.SubjectKeys;
import cn.bazhong.credit.gateway.validation.IdNumber;
import cn.bazhong.credit.gateway.validation.Uscc;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A code named in a request is read as an ID number before it is read as a credit code: about one ID number in
 * three hundred passes both checks, and was answered as an organisation (the person's list entries not found, the
 * full number shown and kept as the organisation's key).
 */
class SubjectCodeTest {

    /** A valid ID number (GB 11643) that is also a valid unified social credit code (GB 32100 with GB 11714). */
    static final String BOTH = "511902198508176824";
    static final String ORGANISATION = "91511903JAMRDAJRXR";
    static final LocalDate TODAY = LocalDate.of(2026, 12, 6);
    static final SubjectKeys KEYS = new SubjectKeys("a-secret-of-sixteen-or-more");

    @Test
    void the_example_passes_both_checks() {
        assertThat(IdNumber.check(BOTH, TODAY).isOk()).isTrue();
        assertThat(Uscc.check(BOTH).isOk()).isTrue();
    }

    @Test
    void an_id_number_that_is_also_a_credit_code_is_a_person_shown_masked_with_the_organisation_as_its_other_reading() {
        SubjectCode code = SubjectCode.parse(BOTH, KEYS, TODAY);

        assertThat(code.key()).isEqualTo(KEYS.person(BOTH)).startsWith("P:").doesNotContain(BOTH);
        assertThat(code.shown()).isEqualTo("511902********6824");
        assertThat(code.keys()).containsExactly(KEYS.person(BOTH), KEYS.organisation(BOTH));
        assertThat(code.organisationKey()).isEqualTo(KEYS.organisation(BOTH));
    }

    @Test
    void a_code_with_one_reading_has_one_key() {
        SubjectCode organisation = SubjectCode.parse(ORGANISATION, KEYS, TODAY);
        assertThat(organisation.keys()).containsExactly(KEYS.organisation(ORGANISATION));
        assertThat(organisation.organisationKey()).isEqualTo(KEYS.organisation(ORGANISATION));
        assertThat(organisation.shown()).isEqualTo(ORGANISATION);

        String person = "11010519491231002X";
        assertThat(Uscc.check(person).isOk()).isFalse();
        SubjectCode p = SubjectCode.parse(person, KEYS, TODAY);
        assertThat(p.keys()).containsExactly(KEYS.person(person));
        assertThat(p.organisationKey()).isNull();
    }

    @Test
    void the_access_log_and_the_console_keep_such_a_code_masked_keyed_by_its_hash_and_look_under_both_readings() {
        AccessLogInterceptor interceptor = new AccessLogInterceptor(null, KEYS, Clock.fixed(TODAY.atStartOfDay(ZoneId.of("Asia/Shanghai")).toInstant(),
                ZoneId.of("Asia/Shanghai")), "n1");

        AccessLogInterceptor.Subject subject = interceptor.subject(BOTH);

        assertThat(subject.person()).isTrue();
        assertThat(subject.shown()).isEqualTo("511902********6824");
        assertThat(subject.key()).isEqualTo(KEYS.person(BOTH)).doesNotContain(BOTH);
        assertThat(subject.keys()).as("the console looks under both readings").containsExactly(KEYS.person(BOTH), KEYS.organisation(BOTH));
        assertThat(interceptor.subject(ORGANISATION).keys()).containsExactly(KEYS.organisation(ORGANISATION));
    }
}
