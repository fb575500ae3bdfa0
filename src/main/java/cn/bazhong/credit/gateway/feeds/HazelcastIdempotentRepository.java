package cn.bazhong.credit.gateway.feeds;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;

/**
 * Camel's idempotent repository on a Hazelcast map, shared by every gateway node: a file already
 * taken by one node (same name, size and modification time) is not taken again by another. This
 * is defence in depth behind the single active poller and the record-level dedup.
 */
public class HazelcastIdempotentRepository extends ServiceSupport implements IdempotentRepository {

    private final IMap<String, Boolean> seen;

    public HazelcastIdempotentRepository(HazelcastInstance hazelcast, String mapName) {
        this.seen = hazelcast.getMap(mapName);
    }

    @Override
    public boolean add(String key) {
        return seen.putIfAbsent(key, Boolean.TRUE) == null;
    }

    @Override
    public boolean contains(String key) {
        return seen.containsKey(key);
    }

    @Override
    public boolean remove(String key) {
        return seen.remove(key) != null;
    }

    @Override
    public boolean confirm(String key) {
        return true;
    }

    @Override
    public void clear() {
        seen.clear();
    }
}
