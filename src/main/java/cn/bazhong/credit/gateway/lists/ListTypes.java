package cn.bazhong.credit.gateway.lists;

import com.hazelcast.query.extractor.ValueCollector;
import com.hazelcast.query.extractor.ValueExtractor;

import java.util.HashMap;
import java.util.TreeSet;

/**
 * The {@code listTypes} attribute of a subject's entries in the list view, indexed: one token per list
 * type the subject holds an entry of ({@code COURT_DEFAULTER|*}), and one per list type and status
 * ({@code COURT_DEFAULTER|ACTIVE}). Browsing a list type asks the index for its subjects instead of
 * testing every subject of the view.
 */
public final class ListTypes implements ValueExtractor<HashMap<String, EntryState>, Object> {

    public static final String ATTRIBUTE = "listTypes";

    @Override
    public void extract(HashMap<String, EntryState> entries, Object argument, ValueCollector<Object> collector) {
        TreeSet<String> tokens = new TreeSet<>();
        if (entries != null) {
            for (EntryState e : entries.values()) {
                if (e.listType() != null) {
                    tokens.add(token(e.listType(), null));
                    tokens.add(token(e.listType(), e.status()));
                }
            }
        }
        tokens.forEach(collector::addObject);
    }

    /** The token of subjects holding an entry of a list type, of one status or of any (null). */
    public static String token(String listType, cn.bazhong.credit.gateway.schema.ListStatus status) {
        return listType + "|" + (status == null ? "*" : status.name());
    }
}
