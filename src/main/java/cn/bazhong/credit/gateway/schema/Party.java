package cn.bazhong.credit.gateway.schema;

/** A natural person attached to a subject, such as its 法定代表人. The ID number is personal information. */
public record Party(String name, String idType, String idNumber) implements java.io.Serializable {
}
