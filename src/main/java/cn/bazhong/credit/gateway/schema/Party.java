package cn.bazhong.credit.gateway.schema;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * A natural person attached to a subject, such as its 法定代表人. The ID number is personal information.
 * A person the source names without an ID number (the court's {@code fddbr}) is a name-only person: never
 * matched to anyone by that name alone.
 */
public record Party(String name, String idType, String idNumber) implements java.io.Serializable {

    /** Whether the source gave this person's ID number. */
    @JsonIgnore
    public boolean hasIdNumber() {
        return idNumber != null && !idNumber.isBlank();
    }

    /** Whether the source named the person at all (by name or by number). */
    @JsonIgnore
    public boolean named() {
        return hasIdNumber() || name != null && !name.isBlank();
    }
}
