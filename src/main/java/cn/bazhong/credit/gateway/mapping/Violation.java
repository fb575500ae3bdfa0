package cn.bazhong.credit.gateway.mapping;

import cn.bazhong.credit.gateway.validation.IdNumbers;
import cn.bazhong.credit.gateway.validation.Rule;

/**
 * Why a record was rejected: the field as the source names it, the rule it broke, and a message a
 * clerk can act on. Messages never hold a full personal ID number: whatever a check or a parser
 * quotes, every ID number in the message is masked here ({@link IdNumbers#maskAll}), the one place
 * every rejection passes.
 */
public record Violation(String field, Rule rule, String message) {

    public Violation {
        message = IdNumbers.maskAll(message);
    }
}
