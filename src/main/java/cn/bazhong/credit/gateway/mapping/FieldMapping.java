package cn.bazhong.credit.gateway.mapping;

import cn.bazhong.credit.gateway.schema.CanonicalField;

import java.util.List;

/**
 * How one canonical field is filled: the first alternative whose condition holds is used.
 *
 * @param field     the canonical field, or null for a list-entry attribute
 * @param attribute the attribute name when {@code field} is null
 * @param order     declaration order in the mapping file; the first problem in this order is reported first
 */
public record FieldMapping(String path, CanonicalField field, String attribute, List<FieldSource> alternatives, int order) {

    /** The source field a rejection should name: the first source field of the first alternative, or the canonical path. */
    public String reportedName() {
        for (FieldSource s : alternatives) {
            if (s.labels() != null && !s.labels().isEmpty()) {
                return s.labels().get(0);
            }
        }
        return path;
    }
}
