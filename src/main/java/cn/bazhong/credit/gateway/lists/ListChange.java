package cn.bazhong.credit.gateway.lists;

import cn.bazhong.credit.gateway.schema.ListStatus;

/** The kinds of list change departments are told about (department-push.md, "Events"). */
public enum ListChange {
    LISTED("list.entry.listed"),
    UPDATED("list.entry.updated"),
    EXITED("list.entry.exited"),
    OBJECTION_FLAGGED("list.entry.objection_flagged"),
    OBJECTION_CLEARED("list.entry.objection_cleared");

    private final String wireName;

    ListChange(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static ListChange ofWireName(String name) {
        for (ListChange c : values()) {
            if (c.wireName.equals(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException("no list change is called " + name);
    }

    /**
     * What moving from {@code before} (null: never seen) to a state with status {@code after} means for the
     * departments; null when it means nothing to them (an exit of an entry they were never told about, or an
     * exited entry staying exited).
     */
    public static ListChange between(EntryState before, ListStatus after) {
        boolean wasIn = before != null && before.status() != ListStatus.EXITED;
        if (!wasIn) {
            return after == ListStatus.EXITED ? null : LISTED;
        }
        if (after == ListStatus.EXITED) {
            return EXITED;
        }
        if (after == ListStatus.UNDER_OBJECTION && before.status() == ListStatus.ACTIVE) {
            return OBJECTION_FLAGGED;
        }
        if (after == ListStatus.ACTIVE && before.status() == ListStatus.UNDER_OBJECTION) {
            return OBJECTION_CLEARED;
        }
        return UPDATED;
    }
}
