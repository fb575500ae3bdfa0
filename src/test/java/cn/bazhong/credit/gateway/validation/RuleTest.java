package cn.bazhong.credit.gateway.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RuleTest {

    @Test
    void every_rule_has_its_published_code() {
        assertThat(Arrays.stream(Rule.values()).map(Rule::code)).containsExactly(
                "required", "syntax", "encoding", "length", "date", "number", "range", "enum",
                "uscc-length", "uscc-charset", "uscc-check", "org-code-check", "id-check", "control-char");
    }

    @Test
    void the_readme_rule_table_explains_every_rule() throws java.io.IOException {
        String readme = java.nio.file.Files.readString(java.nio.file.Path.of("docs/guide-integrators.md"));

        for (Rule rule : Rule.values()) {
            assertThat(readme).as("docs/guide-integrators.md names rule %s", rule.code()).contains("`" + rule.code() + "`");
        }
    }

    @Test
    void constants_map_to_the_expected_codes() {
        assertThat(Rule.REQUIRED.code()).isEqualTo("required");
        assertThat(Rule.USCC_LENGTH.code()).isEqualTo("uscc-length");
        assertThat(Rule.USCC_CHARSET.code()).isEqualTo("uscc-charset");
        assertThat(Rule.USCC_CHECK.code()).isEqualTo("uscc-check");
        assertThat(Rule.ORG_CODE_CHECK.code()).isEqualTo("org-code-check");
        assertThat(Rule.ID_CHECK.code()).isEqualTo("id-check");
    }

    @Test
    void codes_are_unique() {
        assertThat(Arrays.stream(Rule.values()).map(Rule::code).distinct().count())
                .isEqualTo(Rule.values().length);
    }
}
