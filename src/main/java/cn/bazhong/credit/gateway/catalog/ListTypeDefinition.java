package cn.bazhong.credit.gateway.catalog;

import cn.bazhong.credit.gateway.schema.ListCategory;

import java.util.List;

/**
 * A red, black or attention list and the unit that decides who is on it.
 *
 * @param fields the key fields (重点领域) of the city plan the list covers, in the plan's words; may be empty
 */
public record ListTypeDefinition(String code, String name, ListCategory category, String listedBy, List<String> fields) {

    public ListTypeDefinition(String code, String name, ListCategory category, String listedBy) {
        this(code, name, category, listedBy, List.of());
    }
}
