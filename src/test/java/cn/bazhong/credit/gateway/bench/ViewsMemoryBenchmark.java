package cn.bazhong.credit.gateway.bench;

import cn.bazhong.credit.gateway.infra.GatewayMembers;
import cn.bazhong.credit.gateway.infra.HazelcastMaps;
import cn.bazhong.credit.gateway.ingest.DedupIndex;
import cn.bazhong.credit.gateway.ingest.RecordTraces;
import cn.bazhong.credit.gateway.support.FreePorts;
import cn.bazhong.credit.gateway.support.TraceSamples;
import com.hazelcast.core.HazelcastInstance;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * What the dedup index and the record traces cost at scale (issue 15, target 3: "the index's memory per version
 * reported, bytes in Hazelcast and on heap; the trace store likewise"): one Hazelcast member configured as the
 * gateway's, alone in its JVM, filled with {@code versions} forwarded versions (every fifth record corrected once,
 * as {@code DedupIndexMemoryTest} does) through the dedup stage's own calls, then with {@code traces} delivered
 * records' traces of four steps. For each: the live heap it added (after full collections, divided by the
 * entries) and Hazelcast's own count of the entries' memory (owned entry memory cost), and how fast the member
 * took them. Checks its counts (every claim new, the index holding every record, every trace stored, none
 * dropped) and exits 1 when one is wrong.
 *
 * <p>Run: {@code bench/views-memory.sh [versions] [traces]} (10,000,000 and 1,000,000).
 */
public final class ViewsMemoryBenchmark {

    private static final int CHUNK = 10_000;

    public static void main(String[] args) throws Exception {
        long versions = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000;
        int traces = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        System.exit(run(versions, traces) ? 0 : 1);
    }

    /** Fills a member of its own and reports; true when every count was right. The member is shut down after. */
    static boolean run(long versions, int traces) throws Exception {
        int port = FreePorts.next();
        HazelcastInstance member = GatewayMembers.alone("views-memory-" + port, port);
        boolean right;
        try {
            right = dedupIndex(member, versions) & traces(member, traces);
        } finally {
            member.shutdown();
        }
        System.out.println(right ? "views memory benchmark: every count was right" : "views memory benchmark: a count was WRONG");
        return right;
    }

    private static boolean dedupIndex(HazelcastInstance member, long versions) {
        DedupIndex index = new DedupIndex(member);
        Random random = new Random(15);
        long before = liveHeap();
        long start = System.nanoTime();
        long cpuBefore = BenchMachine.ownCpuNanos();
        long records = 0;
        long claimed = 0;
        boolean allNew = true;
        List<DedupIndex.ClaimRequest> chunk = new ArrayList<>(CHUNK + 1);
        while (claimed < versions) {
            String id = TraceSamples.recordId(records);
            chunk.add(new DedupIndex.ClaimRequest(id, TraceSamples.version(random), "credit.records/" + (records % 6) + "/" + records));
            claimed++;
            if (records % 5 == 0 && claimed < versions) {
                // a correction: a second version of the same record, right behind its first
                chunk.add(new DedupIndex.ClaimRequest(id, TraceSamples.version(random), "credit.records/" + (records % 6) + "/" + (records + 1)));
                claimed++;
            }
            records++;
            if (chunk.size() >= CHUNK || claimed == versions) {
                allNew &= index.claimInOrder(chunk).stream().allMatch(d -> d == DedupIndex.Decision.NEW);
                chunk.clear();
            }
            if (records % 1_000_000 == 0) {
                System.out.printf(Locale.ROOT, "  %,d versions claimed%n", claimed);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpuMicros = (BenchMachine.ownCpuNanos() - cpuBefore) / 1e3;
        long heap = liveHeap() - before;
        long owned = member.getMap(HazelcastMaps.DEDUP).getLocalMapStats().getOwnedEntryMemoryCost();
        int size = index.size();
        System.out.printf(Locale.ROOT, "| dedup index | %,d versions of %,d records | %,d bytes per version on the heap | %,d bytes per version"
                        + " in Hazelcast's count | %,.0f versions/s | %.1f µs of CPU per version (this JVM: the claims and the member) |%n",
                claimed, records, heap / claimed, owned / claimed, claimed / seconds, cpuMicros / claimed);
        return check(allNew, "every claim decided NEW") & check(size == records, "the index holds " + size + " records of " + records);
    }

    private static boolean traces(HazelcastInstance member, int traces) throws Exception {
        RecordTraces store = new RecordTraces(member, Clock.systemUTC());
        Random random = new Random(16);
        long before = liveHeap();
        long start = System.nanoTime();
        RecordTraces.Steps steps = store.steps();
        for (int i = 0; i < traces; i++) {
            TraceSamples.delivered(steps, i, TraceSamples.version(random));
            if ((i + 1) % 1_000 == 0) {
                steps.write();
            }
        }
        steps.write();
        var map = member.getMap(HazelcastMaps.TRACES);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (map.size() < traces && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50)); // the last writes are asynchronous
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long heap = liveHeap() - before;
        long owned = map.getLocalMapStats().getOwnedEntryMemoryCost();
        int size = map.size();
        System.out.printf(Locale.ROOT, "| record traces | %,d delivered records, 4 steps each | %,d bytes per trace on the heap | %,d bytes per trace"
                        + " in Hazelcast's count | %,.0f traces/s |%n",
                traces, heap / traces, owned / traces, traces / seconds);
        return check(size == traces, "the store holds " + size + " traces of " + traces)
                & check(store.dropped() == 0, store.dropped() + " trace steps dropped");
    }

    /** The heap in use after full collections (until it stops shrinking, at most five). */
    private static long liveHeap() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            long now = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            if (now >= used) {
                return Math.min(now, used);
            }
            used = now;
        }
        return used;
    }

    private static boolean check(boolean ok, String what) {
        if (!ok) {
            System.out.println("WRONG: " + what);
        }
        return ok;
    }
}
