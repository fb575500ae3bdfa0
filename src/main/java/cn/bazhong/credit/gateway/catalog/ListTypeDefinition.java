package cn.bazhong.credit.gateway.catalog;

import cn.bazhong.credit.gateway.schema.ListCategory;

/** A red, black or attention list and the unit that decides who is on it. */
public record ListTypeDefinition(String code, String name, ListCategory category, String listedBy) {
}
