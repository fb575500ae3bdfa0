package cn.bazhong.credit.gateway.fanout;

import cn.bazhong.credit.gateway.lists.ListChangeEvent;
import cn.bazhong.credit.gateway.schema.RecordJson;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the list changes a node's department dispatchers poll. Every dispatcher reads every change (one consumer
 * group per department), so the JSON of a change was read as many times as there are departments; now the first
 * dispatcher to get it reads it and the others take what it read. The last {@value #KEPT} changes are kept, by
 * their place on their topic and their timestamp. A {@link ListChangeEvent} is a record of records and is never
 * changed once read, so the dispatchers' threads share it as it is.
 */
public final class ListChangeReader {

    /** Changes kept: more than the dispatchers are apart from each other in a burst. */
    static final int KEPT = 4096;

    private final Map<String, ListChangeEvent> read = new LinkedHashMap<>(KEPT * 2, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ListChangeEvent> eldest) {
            return size() > KEPT;
        }
    };

    /** The change at this record, read from its JSON unless another dispatcher of the node has read it already. */
    public ListChangeEvent read(ConsumerRecord<String, byte[]> r) throws IOException {
        String at = r.topic() + "-" + r.partition() + "/" + r.offset() + "@" + r.timestamp();
        synchronized (read) {
            ListChangeEvent known = read.get(at);
            if (known != null) {
                return known;
            }
        }
        ListChangeEvent change = RecordJson.mapper().readValue(r.value(), ListChangeEvent.class);
        synchronized (read) {
            read.putIfAbsent(at, change);
        }
        return change;
    }
}
