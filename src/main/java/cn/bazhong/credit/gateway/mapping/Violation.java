package cn.bazhong.credit.gateway.mapping;

import cn.bazhong.credit.gateway.validation.Rule;

/**
 * Why a record was rejected: the field as the source names it, the rule it broke, and a message a
 * clerk can act on. Messages never hold a full personal ID number.
 */
public record Violation(String field, Rule rule, String message) {
}
