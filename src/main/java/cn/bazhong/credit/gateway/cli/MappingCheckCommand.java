package cn.bazhong.credit.gateway.cli;

import cn.bazhong.credit.gateway.mapping.MappedRecords;
import cn.bazhong.credit.gateway.mapping.MappingDefinition;
import cn.bazhong.credit.gateway.mapping.MappingFileException;
import cn.bazhong.credit.gateway.mapping.MappingLoader;
import cn.bazhong.credit.gateway.mapping.MappingResult;
import cn.bazhong.credit.gateway.mapping.RecordMapper;
import cn.bazhong.credit.gateway.mapping.Violation;
import cn.bazhong.credit.gateway.mapping.source.InputUnusableException;
import cn.bazhong.credit.gateway.mapping.source.RecordReader;
import cn.bazhong.credit.gateway.schema.CreditRecord;
import cn.bazhong.credit.gateway.schema.PersonalData;
import cn.bazhong.credit.gateway.schema.Provenance;
import cn.bazhong.credit.gateway.schema.RecordJson;
import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;

import cn.bazhong.credit.gateway.mapping.source.SourceFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.LongSupplier;

/**
 * {@code mapping check --mapping <file> --input <file> [--report <file>] [--mask-ids] [--progress auto|always|never]}:
 * the integrator's dry run. Prints every normalised record as one JSON line on stdout and writes the
 * report {@code {"accepted": N, "rejected": [{"position", "field", "rule", "message"}], "rejectedByRule": {rule: n}}}
 * to the report file or stderr. Nothing is deduplicated or sent anywhere.
 *
 * <p>On a large input it shows its progress on stderr every {@value #PROGRESS_EVERY_SECONDS} seconds (records,
 * position, share of the file read, records per second, rejections so far) and ends with the totals per rule.
 * By default ({@code auto}) only when the report goes to a file, so that a report on stderr stays one JSON
 * document, and only on an input that takes longer than that: a quick check prints nothing on stderr.
 *
 * <p>Exit codes: 0 every record passed, 1 some record was rejected, 2 the mapping or the input
 * cannot be used at all (with the reason on stderr).
 */
@Command(name = "check", mixinStandardHelpOptions = true, versionProvider = GatewayCommands.Version.class,
        synopsisHeading = "usage: ",
        description = {"The dry run: what a mapping makes of every record of a file; nothing is deduplicated or sent.",
                "The normalised records go to stdout as NDJSON, the report {\"accepted\": N, \"rejected\": [{position, field, rule, message}], "
                        + "\"rejectedByRule\": {…}} to --report or stderr."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:all records accepted", "1:some records rejected", "2:the mapping or the input cannot be used (reason on stderr)"})
public final class MappingCheckCommand implements Callable<Integer> {

    public static final int ALL_ACCEPTED = 0;
    public static final int SOME_REJECTED = 1;
    public static final int UNUSABLE = 2;
    /** Seconds between two progress lines. */
    static final int PROGRESS_EVERY_SECONDS = 2;

    /** When progress lines and the closing totals are shown on stderr. */
    enum Progress { auto, always, never }

    @Option(names = "--mapping", required = true, paramLabel = "<mappings/dept-feed.yaml>", description = "the mapping file")
    Path mapping;
    @Option(names = "--input", required = true, paramLabel = "<file>", description = "a file as the department sends it")
    Path input;
    @Option(names = "--report", paramLabel = "<file>", description = "write the report here instead of stderr")
    Path report;
    @Option(names = "--mask-ids", description = "mask personal ID numbers in the printed records too (the report never shows them)")
    boolean maskIds;
    @Option(names = "--progress", paramLabel = "auto|always|never", defaultValue = "auto",
            description = {"progress lines every " + PROGRESS_EVERY_SECONDS + " s and the totals per rule at the end, on stderr;",
                    "auto (default): with --report, once the input takes longer than that; always: also for a quick check"})
    Progress progress;

    private final Clock clock;
    private final LongSupplier nanoTime;
    private OutputStream stdout = System.out;
    private PrintStream stderr = System.err;

    public MappingCheckCommand(Clock clock) {
        this(clock, System::nanoTime);
    }

    /** With the ticker progress lines are timed by (nanoseconds, as {@link System#nanoTime()}). */
    MappingCheckCommand(Clock clock, LongSupplier nanoTime) {
        this.clock = clock;
        this.nanoTime = nanoTime;
    }

    MappingCheckCommand streams(OutputStream out, PrintStream err) {
        this.stdout = out;
        this.stderr = err;
        return this;
    }

    /** Runs the command on {@code args} (without the leading "mapping check"). */
    public int run(List<String> args, OutputStream stdout, PrintStream stderr) {
        streams(stdout, stderr);
        List<String> all = new ArrayList<>(List.of("check"));
        all.addAll(args);
        return GatewayCommands.execute(GatewayCommands.group("mapping", "Mapping files.", this), all, stdout, stderr);
    }

    @Override
    public Integer call() {
        MappingDefinition definition;
        try {
            definition = MappingLoader.load(mapping);
        } catch (MappingFileException e) {
            stderr.println("mapping cannot be used: " + e.getMessage());
            return UNUSABLE;
        }
        boolean showProgress = progress == Progress.always || (progress == Progress.auto && report != null);
        try (CountingStream in = new CountingStream(Files.newInputStream(input));
             RecordReader reader = RecordReader.open(definition.source(), in);
             ReportWriter writer = ReportWriter.open(report, stderr)) {
            ProgressLine line = showProgress ? new ProgressLine(stderr, definition, in, sizeOf(input), nanoTime) : null;
            return check(definition, reader, writer, line);
        } catch (NoSuchFileException e) {
            stderr.println("input cannot be used: no such file " + input);
            return UNUSABLE;
        } catch (InputUnusableException e) {
            stderr.println("input cannot be used as " + definition.source().format().id() + " (rule " + e.rule().code() + ", at "
                    + e.position() + "): " + e.reason());
            return UNUSABLE;
        } catch (IOException e) {
            stderr.println("input cannot be used: " + e.getMessage());
            return UNUSABLE;
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }

    private int check(MappingDefinition definition, RecordReader reader, ReportWriter writer, ProgressLine progressLine) throws IOException {
        RecordMapper mapper = new RecordMapper(definition, clock);
        Provenance provenance = new Provenance(definition.department(), "dry-run", input.getFileName().toString(),
                null, null, null, null, null, Instant.now(clock), definition.id(), definition.version());
        ObjectMapper json = RecordJson.mapper();
        OutputStream out = new BufferedOutputStream(stdout, 1 << 16);
        long accepted = 0;
        try (MappedRecords results = MappedRecords.ordered(reader, mapper, provenance)) {
            while (results.hasNext()) {
                MappingResult result = results.next();
                if (result instanceof MappingResult.Accepted a) {
                    accepted++;
                    CreditRecord record = maskIds ? PersonalData.masked(a.record()) : a.record();
                    json.writeValue(new NonClosing(out), record);
                    out.write('\n');
                } else {
                    MappingResult.Rejected r = (MappingResult.Rejected) result;
                    writer.rejected(r.position(), r.first());
                }
                if (progressLine != null) {
                    progressLine.record(result.position(), accepted + writer.rejectedCount(), writer.rejectedCount());
                }
            }
        }
        out.flush();
        writer.finish(accepted);
        if (progressLine != null && (progressLine.shown || progress == Progress.always)) {
            progressLine.totals(accepted, writer.rejectedCount(), writer.byRule());
        }
        return writer.rejectedCount() == 0 ? ALL_ACCEPTED : SOME_REJECTED;
    }

    /** Counts the bytes read from the input, for the share of the file a progress line shows. */
    static final class CountingStream extends FilterInputStream {
        private volatile long count;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count += skipped;
            return skipped;
        }

        long count() {
            return count;
        }
    }

    /**
     * The progress lines on stderr: at most one every {@value #PROGRESS_EVERY_SECONDS} seconds while the input is read,
     * e.g. {@code mapping check: 120,000 records, at line 120,431, 45.2 of 210.0 MB read (21 %), 38,500 records/s, 12 rejected},
     * then the totals per rule.
     */
    static final class ProgressLine {
        private final PrintStream err;
        private final String positionWord;
        private final CountingStream in;
        private final long size;
        private final LongSupplier nanoTime;
        private final long started;
        private long lastShown;
        private boolean shown;

        ProgressLine(PrintStream err, MappingDefinition definition, CountingStream in, long size, LongSupplier nanoTime) {
            this.err = err;
            SourceFormat format = definition.source().format();
            this.positionWord = format == SourceFormat.CSV || format == SourceFormat.NDJSON ? "at line" : "at record";
            this.in = in;
            this.size = size;
            this.nanoTime = nanoTime;
            this.started = nanoTime.getAsLong();
            this.lastShown = started;
        }

        void record(long position, long records, long rejected) {
            long now = nanoTime.getAsLong();
            if (now - lastShown < PROGRESS_EVERY_SECONDS * 1_000_000_000L) {
                return;
            }
            lastShown = now;
            shown = true;
            StringBuilder s = new StringBuilder("mapping check: ").append(String.format(Locale.ROOT, "%,d", records)).append(" records, ")
                    .append(positionWord).append(' ').append(String.format(Locale.ROOT, "%,d", position));
            if (size > 0) {
                long read = Math.min(in.count(), size);
                s.append(String.format(Locale.ROOT, ", %.1f of %.1f MB read (%d %%)", read / 1e6, size / 1e6, read * 100 / size));
            }
            s.append(String.format(Locale.ROOT, ", %,d records/s, %,d rejected", perSecond(records, now), rejected));
            err.println(s);
        }

        private long perSecond(long records, long now) {
            long elapsed = Math.max(1, now - started);
            return records * 1_000_000_000L / elapsed;
        }

        void totals(long accepted, long rejected, Map<String, Long> byRule) {
            long now = nanoTime.getAsLong();
            StringBuilder s = new StringBuilder("mapping check: ")
                    .append(String.format(Locale.ROOT, "%,d records, %,d accepted, %,d rejected", accepted + rejected, accepted, rejected));
            if (shown) {
                s.append(String.format(Locale.ROOT, " in %.1f s (%,d records/s)", (now - started) / 1e9, perSecond(accepted + rejected, now)));
            }
            err.println(s);
            byRule.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                    .forEach(e -> err.printf(Locale.ROOT, "  %-20s %,d%n", e.getKey(), e.getValue()));
        }
    }

    /** Keeps Jackson from closing stdout after each record. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() {
            // the stream belongs to the caller
        }
    }

    /**
     * Streams the report: rejections are written as they are found (to a spool file), so that a
     * million rejected records do not sit in memory; the accepted count heads the final document.
     */
    static final class ReportWriter implements AutoCloseable {
        private final Path target;
        private final PrintStream stderr;
        private final Path spool;
        private final JsonGenerator spoolJson;
        private long rejected;
        private final Map<String, Long> byRule = new TreeMap<>();

        private ReportWriter(Path target, PrintStream stderr) throws IOException {
            this.target = target;
            this.stderr = stderr;
            this.spool = Files.createTempFile("mapping-check-", ".json");
            this.spoolJson = RecordJson.mapper().getFactory().createGenerator(spool.toFile(), JsonEncoding.UTF8);
        }

        static ReportWriter open(Path target, PrintStream stderr) throws IOException {
            return new ReportWriter(target, stderr);
        }

        void rejected(long position, Violation v) throws IOException {
            if (rejected > 0) {
                spoolJson.writeRaw(',');
            }
            spoolJson.writeStartObject();
            spoolJson.writeNumberField("position", position);
            spoolJson.writeStringField("field", v.field());
            spoolJson.writeStringField("rule", v.rule().code());
            spoolJson.writeStringField("message", v.message());
            spoolJson.writeEndObject();
            rejected++;
            byRule.merge(v.rule().code(), 1L, Long::sum);
        }

        Map<String, Long> byRule() {
            return byRule;
        }

        long rejectedCount() {
            return rejected;
        }

        void finish(long accepted) throws IOException {
            spoolJson.flush();
            OutputStream out = target == null ? stderr : Files.newOutputStream(target);
            try {
                out.write(("{\"accepted\":" + accepted + ",\"rejected\":[").getBytes(StandardCharsets.UTF_8));
                Files.copy(spool, out);
                out.write(("],\"rejectedByRule\":" + RecordJson.mapper().writeValueAsString(byRule) + "}\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            } finally {
                if (target != null) {
                    out.close();
                }
            }
        }

        @Override
        public void close() throws IOException {
            spoolJson.close();
            Files.deleteIfExists(spool);
        }
    }
}
