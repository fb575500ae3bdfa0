package cn.bazhong.credit.gateway.mapping;

import java.util.List;

/**
 * A business-key template such as {@code "{penalty.authority.uscc}:{penalty.decisionNo}"}: literal
 * text and references to canonical paths (including {@code entry.attributes.*}).
 */
public record KeyTemplate(Condition when, List<Part> parts, String text) {

    public record Part(String literal, String reference) {
    }
}
