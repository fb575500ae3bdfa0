package cn.bazhong.credit.gateway.bench;

import cn.bazhong.credit.gateway.mapping.MappedRecords;
import cn.bazhong.credit.gateway.mapping.MappingDefinition;
import cn.bazhong.credit.gateway.mapping.MappingLoader;
import cn.bazhong.credit.gateway.mapping.MappingResult;
import cn.bazhong.credit.gateway.mapping.RecordMapper;
import cn.bazhong.credit.gateway.mapping.source.RecordReader;
import cn.bazhong.credit.gateway.mapping.source.SourceSpec;
import cn.bazhong.credit.gateway.schema.Provenance;
import com.sun.management.GarbageCollectionNotificationInfo;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.CodingErrorAction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Mapping throughput against plain CSV parsing, in one JVM run, on a generated SCJGJ penalty file
 * (see {@link ScjgjCsvGenerator}). Not a JUnit test: run it with {@code bench/mapping-throughput.sh}.
 *
 * <p>The three workloads alternate, after one warm-up round of each:
 * <ul>
 *   <li><b>plain parse</b>: the decoding {@link RecordReader} does (GBK with REPLACE, a 64 KiB
 *       {@link BufferedReader}) and the same Commons CSV format and parser, touching every field of
 *       every record (lengths summed into a checksum) so the JIT cannot drop the work. Single-threaded:
 *       this is the library's own speed;
 *   <li><b>full mapping</b>: {@link RecordReader#open} + {@link MappedRecords#ordered} with the default
 *       thread count, the path the gateway uses (the calling thread reads and parses, worker threads
 *       map, results in input order), counting accepted and rejected records, which must equal what
 *       the generator intended;
 *   <li><b>mapping, 1 thread</b>: the same with one thread, i.e. {@link RecordMapper#map} on the
 *       calling thread for every record, to show what the parallelism adds.
 * </ul>
 * Heap: a thread samples used heap every 10 ms, a GC listener records the heap left after each
 * collection, every 200,000 records both are noted, and after each round (outside the timing) a
 * {@code System.gc()} shows what is still live, to show whether the heap stays flat.
 *
 * <p>Options: {@code --records N} (1,000,000), {@code --rounds N} (3 measured rounds),
 * {@code --warmup N} (1 round), {@code --seed S}, {@code --file PATH}
 * ({@code target/bench/XZCF_BENCH_<records>.csv}), {@code --mapping PATH}
 * ({@code mappings/scjgj-penalties.yaml}), {@code --threads N} (mapping threads of the full mapping;
 * {@link MappedRecords#defaultThreads()}), {@code --only plain|mapping|single} (comma-separated).
 */
public final class MappingThroughputBenchmark {

    private static final int STEP = 200_000;
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-27T02:00:00Z"), ZoneId.of("Asia/Shanghai"));
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();
    private static final long MIB = 1024 * 1024;
    private static final String PLAIN = "plain parse";
    private static final String PARALLEL = "full mapping";
    private static final String SINGLE = "mapping, 1 thread";

    private MappingThroughputBenchmark() {
    }

    // ---- options -------------------------------------------------------------------------------

    record Options(int records, int rounds, int warmup, long seed, Path file, Path mapping, int threads, Set<String> only) {

        boolean runs(String workload) {
            return only.isEmpty() || only.contains(workload);
        }

        static Options parse(String[] args) {
            int records = ScjgjCsvGenerator.DEFAULT_RECORDS;
            int rounds = 3;
            int warmup = 1;
            long seed = ScjgjCsvGenerator.DEFAULT_SEED;
            Path file = null;
            Path mapping = Path.of("mappings/scjgj-penalties.yaml");
            int threads = MappedRecords.defaultThreads();
            Set<String> only = Set.of();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                String v = i + 1 < args.length ? args[i + 1] : null;
                switch (a) {
                    case "--records" -> records = Integer.parseInt(v);
                    case "--rounds" -> rounds = Integer.parseInt(v);
                    case "--warmup" -> warmup = Integer.parseInt(v);
                    case "--seed" -> seed = Long.parseLong(v);
                    case "--file" -> file = Path.of(v);
                    case "--mapping" -> mapping = Path.of(v);
                    case "--threads" -> threads = Integer.parseInt(v);
                    case "--only" -> only = Set.of(v.split(","));
                    default -> throw new IllegalArgumentException("unknown argument: " + a);
                }
                i++;
            }
            if (file == null) {
                file = Path.of("target/bench/XZCF_BENCH_" + records + ".csv");
            }
            return new Options(records, rounds, warmup, seed, file, mapping, threads, only);
        }
    }

    // ---- heap watching -------------------------------------------------------------------------

    /** Max used heap (sampled) and heap after GC (from GC notifications), reset per round. */
    static final class HeapWatch implements AutoCloseable {
        private final AtomicLong maxUsed = new AtomicLong();
        private final AtomicLong lastAfterGc = new AtomicLong(-1);
        private final AtomicLong maxAfterGc = new AtomicLong();
        private final Set<String> heapPools = new HashSet<>();
        private final java.util.concurrent.ScheduledExecutorService sampler;

        HeapWatch() {
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) {
                    heapPools.add(pool.getName());
                }
            }
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                if (gc instanceof NotificationEmitter emitter) {
                    emitter.addNotificationListener((n, h) -> {
                        if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
                            GarbageCollectionNotificationInfo info =
                                    GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
                            long after = 0;
                            for (var e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
                                if (heapPools.contains(e.getKey())) {
                                    after += e.getValue().getUsed();
                                }
                            }
                            lastAfterGc.set(after);
                            maxAfterGc.accumulateAndGet(after, Math::max);
                        }
                    }, null, null);
                }
            }
            sampler = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "heap-sampler");
                t.setDaemon(true);
                return t;
            });
            sampler.scheduleAtFixedRate(() -> maxUsed.accumulateAndGet(MEMORY.getHeapMemoryUsage().getUsed(), Math::max),
                    0, 10, java.util.concurrent.TimeUnit.MILLISECONDS);
        }

        void reset() {
            maxUsed.set(MEMORY.getHeapMemoryUsage().getUsed());
            maxAfterGc.set(0);
        }

        long maxUsed() {
            return Math.max(maxUsed.get(), MEMORY.getHeapMemoryUsage().getUsed());
        }

        long maxAfterGc() {
            return maxAfterGc.get();
        }

        long lastAfterGc() {
            return lastAfterGc.get();
        }

        @Override
        public void close() {
            sampler.shutdownNow();
        }
    }

    // ---- rounds --------------------------------------------------------------------------------

    /** Heap at a 200k-record step: used right now, and what the last GC left. */
    record Step(long records, long usedNow, long afterLastGc) {
    }

    record Round(String kind, long records, long nanos, long cpuNanos, long checksum, long accepted, long rejected,
                 long maxUsed, long maxAfterGc, long gcCount, long gcMillis, List<Step> steps, long liveAfter) {
        double perSecond() {
            return records * 1e9 / nanos;
        }

        /** Process CPU time (all threads: workers, GC, JIT) over wall time: how many cores the round kept busy. */
        double cores() {
            return cpuNanos < 0 ? Double.NaN : cpuNanos / (double) nanos;
        }

        /** The same round with the heap measured after a full GC, once the round is over and timed. */
        Round withLiveAfter(long live) {
            return new Round(kind, records, nanos, cpuNanos, checksum, accepted, rejected, maxUsed, maxAfterGc, gcCount, gcMillis,
                    steps, live);
        }
    }

    interface Workload {
        Round run(HeapWatch heap) throws IOException;
    }

    /** Plain parse: the same decoding and Commons CSV setup as the CSV record reader, every field touched. */
    static Round plain(Path file, SourceSpec spec, HeapWatch heap) throws IOException {
        CSVFormat format = CSVFormat.RFC4180.builder()
                .setDelimiter(spec.delimiter())
                .setIgnoreEmptyLines(false)
                .setTrim(false)
                .get();
        List<Step> steps = new ArrayList<>();
        long[] gc0 = gcTotals();
        heap.reset();
        long cpu0 = processCpuNanos();
        long start = System.nanoTime();
        long records = 0;
        long checksum = 0;
        try (InputStream in = Files.newInputStream(file);
             Reader reader = new BufferedReader(new InputStreamReader(in, spec.charset().newDecoder()
                     .onMalformedInput(CodingErrorAction.REPLACE)
                     .onUnmappableCharacter(CodingErrorAction.REPLACE)), 1 << 16);
             CSVParser parser = CSVParser.builder().setReader(reader).setFormat(format).get()) {
            boolean header = true;
            for (CSVRecord record : parser) {
                int size = record.size();
                for (int i = 0; i < size; i++) {
                    checksum += record.get(i).length();
                }
                checksum += size;
                if (header) {
                    header = false;
                    continue;
                }
                if (++records % STEP == 0) {
                    steps.add(new Step(records, MEMORY.getHeapMemoryUsage().getUsed(), heap.lastAfterGc()));
                }
            }
        }
        long nanos = System.nanoTime() - start;
        long cpu = cpu0 < 0 ? -1 : processCpuNanos() - cpu0;
        long[] gc1 = gcTotals();
        return new Round(PLAIN, records, nanos, cpu, checksum, records, 0, heap.maxUsed(), heap.maxAfterGc(),
                gc1[0] - gc0[0], gc1[1] - gc0[1], steps, -1);
    }

    /**
     * Mapping: the record reader and the ordered mapping iterator, as the SFTP route uses them. With
     * one thread the iterator calls {@link RecordMapper#map} on this thread for each record.
     */
    static Round mapping(String kind, Path file, MappingDefinition definition, int threads, HeapWatch heap)
            throws IOException {
        RecordMapper mapper = new RecordMapper(definition, CLOCK);
        Provenance provenance = new Provenance(definition.department(), "sftp", file.getFileName().toString(), null,
                null, null, null, null, CLOCK.instant(), definition.id(), definition.version());
        List<Step> steps = new ArrayList<>();
        long[] gc0 = gcTotals();
        heap.reset();
        long cpu0 = processCpuNanos();
        long start = System.nanoTime();
        long records = 0;
        long accepted = 0;
        long rejected = 0;
        long checksum = 0;
        try (InputStream in = Files.newInputStream(file);
             RecordReader reader = RecordReader.open(definition.source(), in);
             MappedRecords results = MappedRecords.ordered(reader, mapper, provenance, threads)) {
            while (results.hasNext()) {
                MappingResult result = results.next();
                if (result instanceof MappingResult.Accepted a) {
                    accepted++;
                    checksum += a.record().version().hashCode();
                } else {
                    rejected++;
                    checksum += ((MappingResult.Rejected) result).first().message().length();
                }
                if (++records % STEP == 0) {
                    steps.add(new Step(records, MEMORY.getHeapMemoryUsage().getUsed(), heap.lastAfterGc()));
                }
            }
        }
        long nanos = System.nanoTime() - start;
        long cpu = cpu0 < 0 ? -1 : processCpuNanos() - cpu0;
        long[] gc1 = gcTotals();
        return new Round(kind, records, nanos, cpu, checksum, accepted, rejected, heap.maxUsed(),
                heap.maxAfterGc(), gc1[0] - gc0[0], gc1[1] - gc0[1], steps, -1);
    }

    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    private static long[] gcTotals() {
        long count = 0;
        long millis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, gc.getCollectionCount());
            millis += Math.max(0, gc.getCollectionTime());
        }
        return new long[] {count, millis};
    }

    // ---- main ----------------------------------------------------------------------------------

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        Machine machine = Machine.describe();
        System.out.println("== mapping throughput benchmark ==");
        System.out.println(machine.text());

        ScjgjCsvGenerator.Summary summary = ScjgjCsvGenerator.readSummary(o.file());
        if (summary == null || summary.records() != o.records() || summary.seed() != o.seed()
                || summary.formatVersion() != ScjgjCsvGenerator.FORMAT_VERSION) {
            System.out.printf(Locale.ROOT, "generating %s (%,d records, seed %d) ...%n", o.file(), o.records(), o.seed());
            long t = System.nanoTime();
            summary = ScjgjCsvGenerator.write(o.file(), o.records(), o.seed());
            System.out.printf(Locale.ROOT, "  done in %.1f s%n", (System.nanoTime() - t) / 1e9);
        } else {
            System.out.println("reusing " + o.file());
        }
        System.out.printf(Locale.ROOT, "input: %s, %,d records, %,d lines, %.1f MiB, %,d dirty rows, expect %,d accepted / %,d rejected%n",
                o.file(), summary.records(), summary.lines(), summary.bytes() / (double) MIB, summary.dirty(),
                summary.expectedAccepted(), summary.expectedRejected());

        MappingDefinition definition = MappingLoader.load(o.mapping());
        SourceSpec spec = definition.source();
        System.out.printf(Locale.ROOT, "full mapping: %d mapping thread(s) (MappedRecords default %d), chunks of %d records, "
                        + "at most %d chunks in flight%n", o.threads(), MappedRecords.defaultThreads(),
                MappedRecords.CHUNK_SIZE, o.threads() <= 1 ? 0 : Math.min(o.threads() * MappedRecords.CHUNKS_PER_THREAD, MappedRecords.MAX_CHUNKS_IN_FLIGHT));
        List<String> names = new ArrayList<>();
        List<Workload> workloads = new ArrayList<>();
        if (o.runs("plain")) {
            names.add("plain");
            workloads.add(h -> plain(o.file(), spec, h));
        }
        if (o.runs("mapping")) {
            names.add("mapping");
            workloads.add(h -> mapping(PARALLEL, o.file(), definition, o.threads(), h));
        }
        if (o.runs("single")) {
            names.add("single");
            workloads.add(h -> mapping(SINGLE, o.file(), definition, 1, h));
        }

        System.gc();
        long baseline = MEMORY.getHeapMemoryUsage().getUsed();
        System.out.printf(Locale.ROOT, "heap after System.gc() at start: %.1f MiB (max heap %.0f MiB)%n",
                baseline / (double) MIB, MEMORY.getHeapMemoryUsage().getMax() / (double) MIB);

        List<List<Round>> rounds = new ArrayList<>();
        for (int w = 0; w < workloads.size(); w++) {
            rounds.add(new ArrayList<>());
        }
        try (HeapWatch heap = new HeapWatch()) {
            for (int r = 0; r < o.warmup(); r++) {
                for (Workload w : workloads) {
                    print("warm-up", check(w.run(heap), summary));
                }
            }
            for (int r = 1; r <= o.rounds(); r++) {
                for (int w = 0; w < workloads.size(); w++) {
                    rounds.get(w).add(print("round " + r, check(workloads.get(w).run(heap), summary)));
                }
            }
        }
        List<Round> none = List.of();
        System.out.println();
        System.out.println("----- 8< result block (paste into docs/benchmarks.md) -----");
        System.out.println(resultBlock(o, machine, summary, baseline,
                names.contains("plain") ? rounds.get(names.indexOf("plain")) : none,
                names.contains("mapping") ? rounds.get(names.indexOf("mapping")) : none,
                names.contains("single") ? rounds.get(names.indexOf("single")) : none));
        System.out.println("----- >8 -----");
    }

    /** The mapping must produce exactly what the generator intended, or the numbers mean nothing. */
    private static Round check(Round timed, ScjgjCsvGenerator.Summary s) {
        System.gc(); // outside the timed part: what is still live once the round's garbage is gone
        Round r = timed.withLiveAfter(MEMORY.getHeapMemoryUsage().getUsed());
        if (r.records() != s.records()) {
            throw new IllegalStateException(r.kind() + " read " + r.records() + " records, the file has " + s.records());
        }
        if (!r.kind().equals(PLAIN) && (r.accepted() != s.expectedAccepted() || r.rejected() != s.expectedRejected())) {
            throw new IllegalStateException("mapping accepted " + r.accepted() + " / rejected " + r.rejected()
                    + " but the generator intended " + s.expectedAccepted() + " / " + s.expectedRejected());
        }
        return r;
    }

    private static Round print(String label, Round r) {
        System.out.printf(Locale.ROOT, "%-8s %-17s %,10.0f records/s  %6.2f s  %.2f cores  max heap %5.1f MiB  after-GC max %5.1f MiB"
                        + "  live after round %5.1f MiB  GCs %3d (%,d ms)  checksum %d%n",
                label, r.kind(), r.perSecond(), r.nanos() / 1e9, r.cores(), r.maxUsed() / (double) MIB, r.maxAfterGc() / (double) MIB,
                r.liveAfter() / (double) MIB, r.gcCount(), r.gcMillis(), r.checksum());
        return r;
    }

    private static double median(List<Round> rounds) {
        return middle(rounds.stream().mapToDouble(Round::perSecond).sorted().toArray());
    }

    /** The median of sorted values. */
    private static double middle(double[] v) {
        if (v.length == 0) {
            return Double.NaN;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static String resultBlock(Options o, Machine m, ScjgjCsvGenerator.Summary s, long baseline,
                                      List<Round> plain, List<Round> mapping, List<Round> single) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "- Date: %s%n", LocalDate.now()));
        b.append(m.markdown());
        b.append(String.format(Locale.ROOT, "- Load average (1/5/15 min) at start: %s, at end: %s%n", m.loadAverage(),
                Machine.readLoadAverage()));
        b.append(String.format(Locale.ROOT, "- Input: %,d records, %,d lines, %.1f MiB GBK, seed %d; %,d dirty rows, "
                        + "%,d rejections expected and measured in every mapping round%n",
                s.records(), s.lines(), s.bytes() / (double) MIB, s.seed(), s.dirty(), s.expectedRejected()));
        b.append(String.format(Locale.ROOT, "- Rounds: %d warm-up + %d measured of each workload, alternating; median reported%n",
                o.warmup(), o.rounds()));
        b.append(String.format(Locale.ROOT, "- Full mapping: `MappedRecords.ordered` with %d thread(s), chunks of %d records, "
                + "at most %d chunks in flight; plain parse and the 1-thread mapping run on one thread%n%n",
                o.threads(), MappedRecords.CHUNK_SIZE, o.threads() <= 1 ? 0 : Math.min(o.threads() * MappedRecords.CHUNKS_PER_THREAD, MappedRecords.MAX_CHUNKS_IN_FLIGHT)));
        b.append("| workload | records/s (median) | µs/record | each round (records/s) | MiB/s | CPU µs/record | cores busy "
                + "| max used heap | max heap after a GC | live heap after round | GCs per round |\n");
        b.append("|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|\n");
        row(b, "plain parse (decode + Commons CSV, 1 thread)", plain, s);
        row(b, "full mapping (RecordReader + MappedRecords, " + o.threads() + " thread" + (o.threads() == 1 ? "" : "s") + ")",
                mapping, s);
        row(b, "mapping, 1 thread (RecordReader + RecordMapper)", single, s);
        b.append('\n');
        if (!plain.isEmpty() && !mapping.isEmpty()) {
            b.append(String.format(Locale.ROOT, "Ratio full mapping / plain parse: **%.1f %%** (target: at least 40 %%)%n",
                    100 * median(mapping) / median(plain)));
        }
        if (!plain.isEmpty() && !single.isEmpty()) {
            b.append(String.format(Locale.ROOT, "Ratio 1-thread mapping / plain parse: **%.1f %%**%n",
                    100 * median(single) / median(plain)));
        }
        b.append(String.format(Locale.ROOT, "Heap after System.gc() before the first round: %.1f MiB%n%n", baseline / (double) MIB));
        b.append("Heap every 200,000 records in the last measured round, MiB (used at that moment / left by the latest GC):\n\n");
        b.append("| records |");
        List<Round> lasts = new ArrayList<>();
        if (!plain.isEmpty()) {
            lasts.add(plain.get(plain.size() - 1));
            b.append(" plain parse |");
        }
        if (!mapping.isEmpty()) {
            lasts.add(mapping.get(mapping.size() - 1));
            b.append(" full mapping |");
        }
        if (!single.isEmpty()) {
            lasts.add(single.get(single.size() - 1));
            b.append(" mapping, 1 thread |");
        }
        b.append("\n|---:|").append("---:|".repeat(lasts.size())).append('\n');
        int steps = lasts.stream().mapToInt(r -> r.steps().size()).max().orElse(0);
        for (int i = 0; i < steps; i++) {
            b.append(String.format(Locale.ROOT, "| %,d |", (long) (i + 1) * STEP));
            for (Round r : lasts) {
                if (i < r.steps().size()) {
                    Step st = r.steps().get(i);
                    b.append(String.format(Locale.ROOT, " %.1f / %s |", st.usedNow() / (double) MIB,
                            st.afterLastGc() < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f", st.afterLastGc() / (double) MIB)));
                } else {
                    b.append(" |");
                }
            }
            b.append('\n');
        }
        return b.toString();
    }

    private static void row(StringBuilder b, String name, List<Round> rounds, ScjgjCsvGenerator.Summary s) {
        if (rounds.isEmpty()) {
            return;
        }
        double med = median(rounds);
        StringBuilder each = new StringBuilder();
        long maxUsed = 0;
        long maxAfterGc = 0;
        long maxLive = 0;
        long gcs = 0;
        for (Round r : rounds) {
            each.append(each.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%,.0f", r.perSecond()));
            maxUsed = Math.max(maxUsed, r.maxUsed());
            maxAfterGc = Math.max(maxAfterGc, r.maxAfterGc());
            maxLive = Math.max(maxLive, r.liveAfter());
            gcs += r.gcCount();
        }
        double mibPerSecond = med * s.bytes() / s.records() / MIB;
        double[] cpuPerRecord = rounds.stream().mapToDouble(r -> r.cpuNanos() / 1e3 / r.records()).sorted().toArray();
        double[] cores = rounds.stream().mapToDouble(Round::cores).sorted().toArray();
        b.append(String.format(Locale.ROOT, "| %s | %,.0f | %.2f | %s | %.1f | %.2f | %.2f | %.1f MiB | %.1f MiB | %.1f MiB | %d |%n",
                name, med, 1e6 / med, each, mibPerSecond, middle(cpuPerRecord), middle(cores), maxUsed / (double) MIB,
                maxAfterGc / (double) MIB, maxLive / (double) MIB, gcs / rounds.size()));
    }

    // ---- machine -------------------------------------------------------------------------------

    record Machine(int cpus, String cpuModel, String ram, String java, String os, String heapArgs, String gc,
                   String loadAverage) {

        static String readLoadAverage() {
            try {
                String[] parts = Files.readString(Path.of("/proc/loadavg")).strip().split("\\s+");
                return parts[0] + " / " + parts[1] + " / " + parts[2];
            } catch (IOException | RuntimeException e) {
                return "unknown";
            }
        }

        static Machine describe() {
            String model = "unknown";
            String ram = "unknown";
            try {
                for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                    if (line.startsWith("model name")) {
                        model = line.substring(line.indexOf(':') + 1).strip();
                        break;
                    }
                }
                for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                    if (line.startsWith("MemTotal:")) {
                        long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                        ram = String.format(Locale.ROOT, "%.1f GiB", kb / 1024.0 / 1024.0);
                        break;
                    }
                }
            } catch (IOException | RuntimeException e) {
                // not Linux: leave unknown
            }
            String java = System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                    + " (" + System.getProperty("java.vendor") + ")";
            String os = System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                    + System.getProperty("os.arch");
            List<String> heap = new ArrayList<>();
            for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
                if (a.startsWith("-Xmx") || a.startsWith("-Xms") || a.startsWith("-XX:+Use") || a.startsWith("-XX:MaxHeap")) {
                    heap.add(a);
                }
            }
            List<String> gcs = new ArrayList<>();
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                gcs.add(gc.getName());
            }
            return new Machine(Runtime.getRuntime().availableProcessors(), model, ram, java, os,
                    heap.isEmpty() ? "(default)" : String.join(" ", heap), String.join(", ", gcs), readLoadAverage());
        }

        String markdown() {
            return String.format(Locale.ROOT, "- Machine: %d CPUs (`nproc`), %s, %s RAM, %s%n- JVM: %s; heap flags `%s`; GC: %s%n",
                    cpus, cpuModel, ram, os, java, heapArgs, gc);
        }

        String text() {
            return String.format(Locale.ROOT, "machine: %d CPUs (%s), %s RAM, %s%njava: %s, heap %s, GC %s",
                    cpus, cpuModel, ram, os, java, heapArgs, gc);
        }
    }
}
