package cn.bazhong.credit.gateway.lists;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;

import java.io.IOException;
import java.io.Serial;
import java.util.HashMap;
import java.util.Map;

/**
 * A subject's entries as the list view holds them (record id → state), with the subject's key: the value
 * of the view knows whose it is, so that an index over it can name the subject ({@link ListTypes}: a list
 * type's subjects in key order). A plain {@link HashMap} otherwise, read as one by everything else.
 *
 * <p>Hazelcast stores it in its own form ({@link DataSerializable}): the key, then each entry's record id and
 * its state field by field ({@link EntryStateForm}). Java serialization, which it had before, wrote every class
 * description again into every value: more than twice the bytes, and most of the time a rebuild of the view took.
 * A value written that way by an earlier version is still read (the class stays {@code Serializable}).
 */
public final class SubjectEntries extends HashMap<String, EntryState> implements DataSerializable {

    @Serial
    private static final long serialVersionUID = 1L;

    private String subjectKey;

    /** For Hazelcast, which fills it with {@link #readData}. */
    public SubjectEntries() {
        this(null, null);
    }

    public SubjectEntries(String subjectKey, Map<String, EntryState> entries) {
        super(entries == null ? Map.of() : entries);
        this.subjectKey = subjectKey;
    }

    public String subjectKey() {
        return subjectKey;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeString(subjectKey);
        out.writeInt(size());
        for (Map.Entry<String, EntryState> e : entrySet()) {
            out.writeString(e.getKey());
            EntryStateForm.write(out, e.getValue());
        }
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        subjectKey = in.readString();
        int entries = in.readInt();
        for (int i = 0; i < entries; i++) {
            String recordId = in.readString();
            put(recordId, EntryStateForm.read(in));
        }
    }
}
