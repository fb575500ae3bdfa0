package cn.bazhong.credit.gateway.mapping.source;

import cn.bazhong.credit.gateway.validation.IdNumbers;
import cn.bazhong.credit.gateway.validation.Rule;

import java.util.Objects;

/**
 * The input as a whole cannot be read in the declared format, so not a single record can be taken
 * from it: it is empty where a document is required ({@link Rule#REQUIRED}), its top level is not
 * what the format needs or it is another format altogether, e.g. XML sent to a JSON feed ({@link
 * Rule#SYNTAX}), or its bytes are in another encoding, e.g. UTF-16 sent to a UTF-8 feed ({@link
 * Rule#ENCODING}). It names the rule and the position, so that a REST answer (400) or the reason
 * file of an SFTP feed can name both.
 *
 * <p>Never thrown for a failure of the stream itself (a broken connection, a body-size limit):
 * those propagate unchanged. The message never holds a full personal ID number.
 */
public class InputUnusableException extends RuntimeException {

    private final Rule rule;
    private final InputPosition position;
    private final String reason;

    public InputUnusableException(Rule rule, InputPosition position, String reason, Throwable cause) {
        super(IdNumbers.maskAll(reason) + " (at " + position + ")", cause);
        this.rule = Objects.requireNonNull(rule, "rule");
        this.position = Objects.requireNonNull(position, "position");
        this.reason = IdNumbers.maskAll(reason);
    }

    public InputUnusableException(Rule rule, InputPosition position, String reason) {
        this(rule, position, reason, null);
    }

    /** The rule the input breaks: {@code syntax}, {@code required} or {@code encoding}. */
    public Rule rule() {
        return rule;
    }

    /** Where the problem was found. */
    public InputPosition position() {
        return position;
    }

    /** What is wrong, without the position. */
    public String reason() {
        return reason;
    }
}
