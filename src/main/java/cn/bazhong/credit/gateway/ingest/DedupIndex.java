package cn.bazhong.credit.gateway.ingest;

import cn.bazhong.credit.gateway.infra.HazelcastMaps;
import cn.bazhong.credit.gateway.infra.PipelinedCalls;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;

import java.io.Serial;
import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * Cluster-wide memory of which (record id, version) pairs have gone upstream, held in Hazelcast
 * and rebuilt from the dedup index topic. Every version ever forwarded is kept, not only the latest,
 * so that a stale re-send (version A after its correction B) is recognised too; memory grows with
 * the number of distinct record versions, never with re-sends.
 *
 * <p>Each version is stored with the position in the records topic that claimed it. The dedup
 * stage claims and forwards in one Kafka transaction; when that transaction is aborted, the same
 * position comes back and is recognised as the owner of its claim instead of as a duplicate.
 */
public class DedupIndex {

    public enum Decision { NEW, DUPLICATE }

    private final IMap<String, String> versions;

    public DedupIndex(HazelcastInstance hazelcast) {
        this.versions = hazelcast.getMap(HazelcastMaps.DEDUP);
    }

    /** Read-only check made at ingress: has this exact version been forwarded already? */
    public boolean forwarded(String recordId, String version) {
        String entry = versions.get(recordId);
        return entry != null && VersionList.contains(entry, version);
    }

    /** The versions already forwarded for each of these record ids (pipelined calls, see {@link PipelinedCalls}). */
    public Map<String, String> forwardedVersions(java.util.Set<String> recordIds) {
        return PipelinedCalls.each(recordIds, versions::getAsync);
    }

    /** Whether {@code version} is among the versions returned by {@link #forwardedVersions}. */
    public static boolean contains(String entry, String version) {
        return entry != null && VersionList.contains(entry, version);
    }

    /**
     * Claims many records at once, one per record id: record id → {version, claimedAt}. The answer
     * per record is what {@link #claim} would have answered.
     */
    public Map<String, Decision> claimAll(Map<String, String[]> claims) {
        return PipelinedCalls.each(claims.keySet(), id -> {
            String[] claim = claims.get(id);
            return versions.submitToKey(id, new Claim(claim[0], claim[1]));
        }).entrySet().stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> Claim.decision(e.getValue())));
    }

    /** One record's claim: its id and version, and the position in the records topic that claims it. */
    public record ClaimRequest(String recordId, String version, String claimedAt) {
    }

    /**
     * Claims records in the order given and answers in that order. A record id may come more than
     * once (a correction right behind its first version): the earlier claim is decided first, so the
     * answers are those of claiming one record at a time, with one pipelined round per run of distinct ids.
     */
    public List<Decision> claimInOrder(List<ClaimRequest> requests) {
        List<Object> answers = PipelinedCalls.inOrder(requests, ClaimRequest::recordId,
                (id, c) -> versions.submitToKey(id, new Claim(c.version(), c.claimedAt())));
        List<Decision> decisions = new java.util.ArrayList<>(answers.size());
        for (Object isNew : answers) {
            decisions.add(Claim.decision(isNew));
        }
        return decisions;
    }

    /** Atomically records the version as forwarded by {@code claimedAt}, unless another position claimed it first. */
    public Decision claim(String recordId, String version, String claimedAt) {
        return Claim.decision(versions.executeOnKey(recordId, new Claim(version, claimedAt)));
    }

    public int size() {
        return versions.size();
    }

    /** {@code version@claimedAt} entries separated by spaces. */
    static final class VersionList {
        private VersionList() {
        }

        static boolean contains(String entry, String version) {
            return claimOf(entry, version) != null;
        }

        static String claimOf(String entry, String version) {
            int from = 0;
            while (from < entry.length()) {
                int end = entry.indexOf(' ', from);
                if (end < 0) {
                    end = entry.length();
                }
                int at = entry.indexOf('@', from);
                if (at > from && at < end && entry.regionMatches(from, version, 0, version.length()) && at - from == version.length()) {
                    return entry.substring(at + 1, end);
                }
                from = end + 1;
            }
            return null;
        }
    }

    /**
     * Answers {@code true} for {@link Decision#NEW}: a Boolean travels as Hazelcast's own two-byte form, where an enum
     * would go through Java serialization (an object stream made and read for every claim, on the partition thread and
     * on the caller's). A member of the previous version, met during a rolling upgrade, still answers the enum: both
     * are read.
     */
    static final class Claim implements EntryProcessor<String, String, Object>, Serializable {
        @Serial
        private static final long serialVersionUID = 1L;
        private final String version;
        private final String claimedAt;

        Claim(String version, String claimedAt) {
            this.version = version;
            this.claimedAt = claimedAt;
        }

        @Override
        public Object process(Map.Entry<String, String> entry) {
            String current = entry.getValue();
            if (current == null) {
                entry.setValue(version + "@" + claimedAt);
                return Boolean.TRUE;
            }
            String owner = VersionList.claimOf(current, version);
            if (owner == null) {
                entry.setValue(current + " " + version + "@" + claimedAt);
                return Boolean.TRUE;
            }
            return owner.equals(claimedAt);
        }

        static Decision decision(Object answer) {
            if (answer instanceof Decision old) {
                return old;
            }
            return Boolean.TRUE.equals(answer) ? Decision.NEW : Decision.DUPLICATE;
        }
    }
}
