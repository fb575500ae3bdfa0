package cn.bazhong.credit.gateway.feeds;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Camel's idempotent repository on a Hazelcast map, shared by every gateway node: a file already
 * taken by one node (same name, size and modification time) is not taken again by another. This
 * is defence in depth behind the single active poller and the record-level dedup.
 *
 * <p>A file is first claimed by the member reading it ({@code reading:<member uuid>}) and marked
 * {@code done} when Camel confirms it (the file has moved to {@code .done/} or {@code .error/}).
 * A claim whose member has left the cluster (the node was killed in the middle of the file) is
 * void: the next poller takes the file over and reads it again, and the record dedup drops what the
 * dead node had already passed on.
 */
public class HazelcastIdempotentRepository extends ServiceSupport implements IdempotentRepository {

    private static final Logger LOG = LoggerFactory.getLogger(HazelcastIdempotentRepository.class);
    static final String READING = "reading:";
    static final String DONE = "done";

    private final HazelcastInstance hazelcast;
    private final IMap<String, Object> seen;

    public HazelcastIdempotentRepository(HazelcastInstance hazelcast, String mapName) {
        this.hazelcast = hazelcast;
        this.seen = hazelcast.getMap(mapName);
    }

    @Override
    public boolean add(String key) {
        String mine = READING + hazelcast.getCluster().getLocalMember().getUuid();
        Object previous = seen.putIfAbsent(key, mine);
        if (previous == null) {
            return true;
        }
        if (abandoned(previous) && seen.replace(key, previous, mine)) {
            LOG.warn("{} was being read by a node that has left the cluster; this node reads it again", key);
            return true;
        }
        return false;
    }

    @Override
    public boolean contains(String key) {
        Object value = seen.get(key);
        return value != null && !abandoned(value);
    }

    @Override
    public boolean remove(String key) {
        return seen.remove(key) != null;
    }

    @Override
    public boolean confirm(String key) {
        seen.set(key, DONE);
        return true;
    }

    @Override
    public void clear() {
        seen.clear();
    }

    /** A claim by a member that is no longer in the cluster (an older {@code Boolean} value counts as done). */
    private boolean abandoned(Object value) {
        if (!(value instanceof String s) || !s.startsWith(READING)) {
            return false;
        }
        String uuid = s.substring(READING.length());
        for (Member m : hazelcast.getCluster().getMembers()) {
            if (m.getUuid().toString().equals(uuid)) {
                return false;
            }
        }
        return true;
    }
}
