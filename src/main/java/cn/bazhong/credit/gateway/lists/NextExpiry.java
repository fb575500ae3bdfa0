package cn.bazhong.credit.gateway.lists;

import com.hazelcast.query.extractor.ValueCollector;
import com.hazelcast.query.extractor.ValueExtractor;

import java.util.HashMap;

/**
 * The {@code nextExpiry} attribute of a subject's entries in the list view, indexed: the epoch day of
 * the earliest end of validity among its entries that have not exited ({@link Long#MAX_VALUE} when
 * none ends). The expiry sweep asks the index for subjects below today instead of reading the view.
 */
public final class NextExpiry implements ValueExtractor<HashMap<String, EntryState>, Object> {

    public static final String ATTRIBUTE = "nextExpiry";

    @Override
    public void extract(HashMap<String, EntryState> entries, Object argument, ValueCollector<Object> collector) {
        collector.addObject(of(entries));
    }

    static long of(HashMap<String, EntryState> entries) {
        long next = Long.MAX_VALUE;
        if (entries != null) {
            for (EntryState s : entries.values()) {
                if (s.status() != cn.bazhong.credit.gateway.schema.ListStatus.EXITED && s.validTo() != null) {
                    next = Math.min(next, s.validTo().toEpochDay());
                }
            }
        }
        return next;
    }
}
