package cn.bazhong.credit.gateway.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class VocabularyTest {

    private static final Vocabulary SUBJECTS = Vocabulary.of("行政相对人类别", List.of("法人及非法人组织", "自然人", "个体工商户"));
    private static final Vocabulary KINDS = Vocabulary.of("处罚类别", List.of("警告", "罚款", "没收违法所得", "其他"));
    private static final String SEPARATORS = "；;、,，";

    private static void assertFailed(Checked<?> checked, Rule rule, String message) {
        assertThat(checked.isOk()).as("expected failure, got %s", checked).isFalse();
        assertThat(checked.rule()).isEqualTo(rule);
        assertThat(checked.message()).contains(message);
    }

    @Test
    void an_exact_value_is_returned_as_its_canonical_form() {
        assertThat(SUBJECTS.check("自然人")).isEqualTo(Checked.ok("自然人"));
    }

    @Test
    void surrounding_whitespace_bom_and_zero_width_characters_are_ignored() {
        assertThat(SUBJECTS.check(" 自然人\t")).isEqualTo(Checked.ok("自然人"));
        assertThat(SUBJECTS.check("\uFEFF个体工商户\r\n")).isEqualTo(Checked.ok("个体工商户"));
        assertThat(SUBJECTS.check("\u3000自然人\u00A0")).isEqualTo(Checked.ok("自然人"));
    }

    @Test
    void full_width_ascii_in_input_and_values_is_compared_half_width() {
        Vocabulary withAscii = Vocabulary.of("示例", List.of("A类", "（甲）"));

        assertThat(withAscii.check("Ａ类")).isEqualTo(Checked.ok("A类"));
        assertThat(withAscii.check("(甲)")).isEqualTo(Checked.ok("（甲）"));
    }

    @Test
    void an_unknown_value_fails_with_enum_listing_the_allowed_values() {
        assertFailed(SUBJECTS.check("企业法人"), Rule.ENUM, "'企业法人' is not one of 法人及非法人组织, 自然人, 个体工商户");
    }

    @Test
    void inner_spaces_and_near_misses_are_not_guessed() {
        assertFailed(SUBJECTS.check("自 然 人"), Rule.ENUM, "'自 然 人' is not one of");
        assertFailed(SUBJECTS.check("法人"), Rule.ENUM, "'法人' is not one of");
    }

    @Test
    void an_undecodable_value_fails_with_enum_and_a_hint_about_the_encoding() {
        assertFailed(SUBJECTS.check("自\uFFFD人"), Rule.ENUM, "check the file encoding");
    }

    @Test
    void an_empty_value_fails_as_required() {
        assertFailed(SUBJECTS.check(null), Rule.REQUIRED, "is empty");
        assertFailed(SUBJECTS.check(" \u3000"), Rule.REQUIRED, "is empty");
    }

    @Test
    void a_synonym_is_read_as_its_canonical_value() {
        Vocabulary withSynonym = SUBJECTS.withSynonym("个人", "自然人").withSynonym("法人", "法人及非法人组织");

        assertThat(withSynonym.check("个人")).isEqualTo(Checked.ok("自然人"));
        assertThat(withSynonym.check(" 法人 ")).isEqualTo(Checked.ok("法人及非法人组织"));
        assertThat(withSynonym.values()).containsExactly("法人及非法人组织", "自然人", "个体工商户");
    }

    @Test
    void adding_a_synonym_leaves_the_original_vocabulary_unchanged() {
        SUBJECTS.withSynonym("个人", "自然人");

        assertFailed(SUBJECTS.check("个人"), Rule.ENUM, "'个人' is not one of");
    }

    @Test
    void a_synonym_must_point_at_a_value_and_must_not_redefine_another() {
        assertThatThrownBy(() -> SUBJECTS.withSynonym("个人", "公民")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SUBJECTS.withSynonym("自然人", "个体工商户")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SUBJECTS.withSynonym(" ", "自然人")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_prefix_rule_allows_longer_values_with_that_prefix_as_is() {
        Vocabulary types = Vocabulary.of("证件类型", List.of("身份证")).withPrefixRule("其他-");

        assertThat(types.check("其他-军官证")).isEqualTo(Checked.ok("其他-军官证"));
        assertThat(types.check(" 其他－军官证 ")).isEqualTo(Checked.ok("其他-军官证"));
        assertThat(types.check("身份证")).isEqualTo(Checked.ok("身份证"));
    }

    @Test
    void the_bare_prefix_or_a_value_merely_containing_it_is_rejected() {
        Vocabulary types = Vocabulary.of("证件类型", List.of("身份证")).withPrefixRule("其他-");

        assertFailed(types.check("其他-"), Rule.ENUM, "'其他-' is not one of 身份证, or a value starting with '其他-'");
        assertFailed(types.check("军官证其他-"), Rule.ENUM, "is not one of");
        assertFailed(types.check("其他"), Rule.ENUM, "is not one of");
    }

    @Test
    void a_list_is_split_on_any_separator_trimmed_and_deduplicated_in_first_seen_order() {
        Checked<List<String>> checked = KINDS.checkList(" 罚款；警告、 罚款 ,没收违法所得，警告;", SEPARATORS);

        assertThat(checked).isEqualTo(Checked.ok(List.of("罚款", "警告", "没收违法所得")));
    }

    @Test
    void a_single_value_list_has_one_member() {
        assertThat(KINDS.checkList("警告", SEPARATORS)).isEqualTo(Checked.ok(List.of("警告")));
    }

    @Test
    void list_separators_match_their_full_width_forms() {
        assertThat(KINDS.checkList("警告；罚款", ";")).isEqualTo(Checked.ok(List.of("警告", "罚款")));
        assertThat(KINDS.checkList("警告;罚款", "；")).isEqualTo(Checked.ok(List.of("警告", "罚款")));
    }

    @Test
    void synonyms_in_a_list_are_canonicalised_before_deduplication() {
        Vocabulary kinds = KINDS.withSynonym("罚金", "罚款");

        assertThat(kinds.checkList("罚金、罚款、警告", SEPARATORS)).isEqualTo(Checked.ok(List.of("罚款", "警告")));
    }

    @Test
    void an_unknown_list_member_fails_with_enum_naming_that_member() {
        assertFailed(KINDS.checkList("警告；罚没；罚款", SEPARATORS), Rule.ENUM, "'罚没' is not one of 警告, 罚款");
    }

    @Test
    void a_list_without_members_fails_as_required() {
        assertFailed(KINDS.checkList(null, SEPARATORS), Rule.REQUIRED, "has no values");
        assertFailed(KINDS.checkList(" ", SEPARATORS), Rule.REQUIRED, "has no values");
        assertFailed(KINDS.checkList("；;、 ，", SEPARATORS), Rule.REQUIRED, "has no values");
    }

    @Test
    void the_returned_list_cannot_be_modified() {
        List<String> members = KINDS.checkList("警告、罚款", SEPARATORS).value();

        assertThatThrownBy(() -> members.add("其他")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void name_and_values_are_as_given_and_values_cannot_be_modified() {
        assertThat(SUBJECTS.name()).isEqualTo("行政相对人类别");
        assertThat(SUBJECTS.values()).containsExactly("法人及非法人组织", "自然人", "个体工商户");
        assertThatThrownBy(() -> SUBJECTS.values().add("x")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void a_vocabulary_with_a_blank_or_repeated_value_is_a_programming_error() {
        assertThatThrownBy(() -> Vocabulary.of("x", List.of("a", " "))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Vocabulary.of("x", List.of("a", " a"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_known_value_is_checked_without_allocating_a_new_result() {
        assertThat(SUBJECTS.check("自然人")).isSameAs(SUBJECTS.check("自然人"));
    }
}
