package cn.bazhong.credit.gateway.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import cn.bazhong.credit.gateway.validation.Checked;
import cn.bazhong.credit.gateway.validation.Text;
import cn.bazhong.credit.gateway.validation.Vocabularies;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The mapper tests a value for blankness with {@link Text#isBlank} instead of cleaning it, and
 * {@link Text#clean} takes shortcuts for ASCII and CJK text. Both must decide exactly as the
 * original character rules do, for every character.
 */
class ValueScanTest {

    @Test
    void is_blank_agrees_with_clean_for_every_character_alone_and_next_to_text() {
        for (int c = 0; c <= Character.MAX_VALUE; c++) {
            String ch = String.valueOf((char) c);
            for (String s : List.of(ch, ch + ch, " " + ch + "\u3000", ch + "罚", "a" + ch)) {
                assertThat(Text.isBlank(s)).as("U+%04X in '%s'", c, s).isEqualTo(Text.clean(s) == null);
            }
        }
        assertThat(Text.isBlank(null)).isTrue();
        assertThat(Text.isBlank("")).isTrue();
        assertThat(Text.isBlank(" \t\r\n\u00A0\u2007\u202F\u3000\uFEFF\u200B\u200C\u200D\u2060")).isTrue();
    }

    @Test
    void clean_gives_what_the_original_character_rules_give_for_every_character() {
        for (int c = 0; c <= Character.MAX_VALUE; c++) {
            String ch = String.valueOf((char) c);
            for (String s : List.of(ch, ch + "巴中", "巴中" + ch, "巴" + ch + "中", "Ａ" + ch + "１")) {
                assertThat(Text.clean(s)).as("U+%04X in '%s'", c, s).isEqualTo(originalClean(s));
            }
        }
    }

    @Test
    void penalty_kinds_are_split_trimmed_and_looked_up_as_before() {
        String seps = ValueNormaliser.DEFAULT_SEPARATORS;

        assertThat(Vocabularies.PENALTY_KIND.checkList("罚款", seps).value()).containsExactly("罚款");
        assertThat(Vocabularies.PENALTY_KIND.checkList(" 警告；\u3000罚款 、、罚款\u200B ", seps).value())
                .containsExactly("警告", "罚款");
        assertThat(Vocabularies.PENALTY_KIND.checkList("警告 ;\t罚款", seps).value()).containsExactly("警告", "罚款");
        Checked<List<String>> unknown = Vocabularies.PENALTY_KIND.checkList("警告； 打板子 ", seps);
        assertThat(unknown.isOk()).isFalse();
        assertThat(unknown.message()).startsWith("'打板子' is not one of");
        assertThat(Vocabularies.PENALTY_KIND.checkList(" ；、 ", seps).isOk()).isFalse();
    }

    // ---- the rules of Text.clean as first written, without shortcuts -----------------------------

    private static String originalClean(String raw) {
        int start = 0;
        int end = raw.length();
        while (start < end && originalTrimmable(raw.charAt(start))) {
            start++;
        }
        while (end > start && originalTrimmable(raw.charAt(end - 1))) {
            end--;
        }
        if (start == end) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        for (int i = start; i < end; i++) {
            char c = raw.charAt(i);
            if (c >= '\u200B' && invisible(c)) {
                continue;
            }
            out.append(c >= '\u200B' && fullWidthAlphanumeric(c) ? (char) (c - 0xFEE0) : c);
        }
        return out.toString();
    }

    private static boolean originalTrimmable(char c) {
        return Character.isWhitespace(c) || c == '\u00A0' || c == '\u2007' || c == '\u202F' || invisible(c);
    }

    private static boolean invisible(char c) {
        return c == '\uFEFF' || (c >= '\u200B' && c <= '\u200D') || c == '\u2060';
    }

    private static boolean fullWidthAlphanumeric(char c) {
        return (c >= '\uFF10' && c <= '\uFF19') || (c >= '\uFF21' && c <= '\uFF3A') || (c >= '\uFF41' && c <= '\uFF5A');
    }
}
