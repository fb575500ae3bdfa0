package cn.bazhong.credit.gateway.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class CheckedTest {

    @Test
    void ok_holds_its_value_and_has_no_rule_or_message() {
        Checked<String> checked = Checked.ok("91110000600037341L");

        assertThat(checked.isOk()).isTrue();
        assertThat(checked.value()).isEqualTo("91110000600037341L");
        assertThat(checked.rule()).isNull();
        assertThat(checked.message()).isNull();
        assertThat(checked).isEqualTo(new Checked.Ok<>("91110000600037341L"));
    }

    @Test
    void failed_holds_its_rule_and_message() {
        Checked<String> checked = Checked.fail(Rule.USCC_LENGTH, "has 17 characters");

        assertThat(checked.isOk()).isFalse();
        assertThat(checked.rule()).isEqualTo(Rule.USCC_LENGTH);
        assertThat(checked.message()).isEqualTo("has 17 characters");
        assertThat(checked).isEqualTo(new Checked.Failed<>(Rule.USCC_LENGTH, "has 17 characters"));
    }

    @Test
    void asking_a_failure_for_its_value_throws_illegal_state_naming_the_rule_and_message() {
        Checked<String> checked = Checked.fail(Rule.DATE, "'x' is not a date");

        assertThatThrownBy(checked::value)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("date")
                .hasMessageContaining("'x' is not a date");
    }

    @Test
    void map_transforms_the_value_of_an_ok() {
        Checked<Integer> mapped = Checked.ok("abc").map(String::length);

        assertThat(mapped).isEqualTo(Checked.ok(3));
    }

    @Test
    void map_returns_the_same_failure_without_calling_the_mapper() {
        AtomicBoolean called = new AtomicBoolean();
        Checked<String> failed = Checked.fail(Rule.ENUM, "nope");

        Checked<Integer> mapped = failed.map(s -> {
            called.set(true);
            return s.length();
        });

        assertThat(called).isFalse();
        assertThat(mapped.rule()).isEqualTo(Rule.ENUM);
        assertThat(mapped.message()).isEqualTo("nope");
        assertThat((Object) mapped).isSameAs(failed);
    }

    @Test
    void null_values_rules_and_messages_are_programming_errors() {
        assertThatThrownBy(() -> Checked.ok(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Checked.fail(null, "m")).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Checked.fail(Rule.SYNTAX, null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void the_two_outcomes_can_be_told_apart_by_pattern_matching() {
        Checked<String> ok = Checked.ok("v");
        Checked<String> failed = Checked.fail(Rule.RANGE, "negative");

        assertThat(ok instanceof Checked.Ok<String> o && o.value().equals("v")).isTrue();
        assertThat(failed instanceof Checked.Failed<String> f && f.rule() == Rule.RANGE).isTrue();
    }
}
