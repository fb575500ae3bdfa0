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

import java.io.BufferedOutputStream;
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

/**
 * {@code mapping check --mapping <file> --input <file> [--report <file>] [--mask-ids]}: the
 * integrator's dry run. Prints every normalised record as one JSON line on stdout and writes the
 * report {@code {"accepted": N, "rejected": [{"position", "field", "rule", "message"}]}} to the
 * report file or stderr. Nothing is deduplicated or sent anywhere.
 *
 * <p>Exit codes: 0 every record passed, 1 some record was rejected, 2 the mapping or the input
 * cannot be used at all (with the reason on stderr).
 */
public final class MappingCheckCommand {

    public static final int ALL_ACCEPTED = 0;
    public static final int SOME_REJECTED = 1;
    public static final int UNUSABLE = 2;

    static final String USAGE = """
            usage: mapping check --mapping <mappings/dept-feed.yaml> --input <file> [--report <file>] [--mask-ids]
              prints the normalised records as NDJSON on stdout and the report as JSON on stderr
              (or in --report); --mask-ids masks personal ID numbers in the printed records too.
              exit 0: all records accepted, 1: some rejected, 2: mapping or input unusable""";

    private final Clock clock;

    public MappingCheckCommand(Clock clock) {
        this.clock = clock;
    }

    /** Runs the command on {@code args} (without the leading "mapping check"). */
    public int run(List<String> args, OutputStream stdout, PrintStream stderr) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            stderr.println(e.getMessage());
            stderr.println(USAGE);
            return UNUSABLE;
        }
        MappingDefinition mapping;
        try {
            mapping = MappingLoader.load(options.mapping());
        } catch (MappingFileException e) {
            stderr.println("mapping cannot be used: " + e.getMessage());
            return UNUSABLE;
        }
        try (InputStream in = Files.newInputStream(options.input());
             RecordReader reader = RecordReader.open(mapping.source(), in);
             ReportWriter report = ReportWriter.open(options.report(), stderr)) {
            return check(mapping, options, reader, stdout, report);
        } catch (NoSuchFileException e) {
            stderr.println("input cannot be used: no such file " + options.input());
            return UNUSABLE;
        } catch (InputUnusableException e) {
            stderr.println("input cannot be used as " + mapping.source().format().id() + " (rule " + e.rule().code() + ", at "
                    + e.position() + "): " + e.reason());
            return UNUSABLE;
        } catch (IOException e) {
            stderr.println("input cannot be used: " + e.getMessage());
            return UNUSABLE;
        }
    }

    private int check(MappingDefinition mapping, Options options, RecordReader reader, OutputStream stdout,
                      ReportWriter report) throws IOException {
        RecordMapper mapper = new RecordMapper(mapping, clock);
        Provenance provenance = new Provenance(mapping.department(), "dry-run", options.input().getFileName().toString(),
                null, null, null, null, null, Instant.now(clock), mapping.id(), mapping.version());
        ObjectMapper json = RecordJson.mapper();
        OutputStream out = new BufferedOutputStream(stdout, 1 << 16);
        long accepted = 0;
        try (MappedRecords results = MappedRecords.ordered(reader, mapper, provenance)) {
            while (results.hasNext()) {
                MappingResult result = results.next();
                if (result instanceof MappingResult.Accepted a) {
                    accepted++;
                    CreditRecord record = options.maskIds() ? PersonalData.masked(a.record()) : a.record();
                    json.writeValue(new NonClosing(out), record);
                    out.write('\n');
                } else {
                    MappingResult.Rejected r = (MappingResult.Rejected) result;
                    report.rejected(r.position(), r.first());
                }
            }
        }
        out.flush();
        report.finish(accepted);
        return report.rejectedCount() == 0 ? ALL_ACCEPTED : SOME_REJECTED;
    }

    record Options(Path mapping, Path input, Path report, boolean maskIds) {
        static Options parse(List<String> args) {
            Path mapping = null;
            Path input = null;
            Path report = null;
            boolean mask = false;
            List<String> rest = new ArrayList<>(args);
            while (!rest.isEmpty()) {
                String a = rest.remove(0);
                switch (a) {
                    case "--mapping" -> mapping = Path.of(value(a, rest));
                    case "--input" -> input = Path.of(value(a, rest));
                    case "--report" -> report = Path.of(value(a, rest));
                    case "--mask-ids" -> mask = true;
                    default -> throw new IllegalArgumentException("unknown argument: " + a);
                }
            }
            if (mapping == null || input == null) {
                throw new IllegalArgumentException("both --mapping and --input are needed");
            }
            return new Options(mapping, input, report, mask);
        }

        private static String value(String option, List<String> rest) {
            if (rest.isEmpty()) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return rest.remove(0);
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
                out.write("]}\n".getBytes(StandardCharsets.UTF_8));
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
