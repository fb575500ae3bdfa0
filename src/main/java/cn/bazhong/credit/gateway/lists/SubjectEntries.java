package cn.bazhong.credit.gateway.lists;

import java.io.Serial;
import java.util.HashMap;
import java.util.Map;

/**
 * A subject's entries as the list view holds them (record id → state), with the subject's key: the value
 * of the view knows whose it is, so that an index over it can name the subject ({@link ListTypes}: a list
 * type's subjects in key order). A plain {@link HashMap} otherwise, read as one by everything else.
 */
public final class SubjectEntries extends HashMap<String, EntryState> {

    @Serial
    private static final long serialVersionUID = 1L;

    private final String subjectKey;

    public SubjectEntries(String subjectKey, Map<String, EntryState> entries) {
        super(entries == null ? Map.of() : entries);
        this.subjectKey = subjectKey;
    }

    public String subjectKey() {
        return subjectKey;
    }
}
