package cn.bazhong.credit.gateway.schema;

/** Lifecycle state of a list entry. An exit is an event; the entry is never deleted. */
public enum ListStatus {
    ACTIVE,
    EXITED,
    UNDER_OBJECTION
}
