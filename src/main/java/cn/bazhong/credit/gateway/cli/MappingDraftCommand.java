package cn.bazhong.credit.gateway.cli;

import cn.bazhong.credit.gateway.mapping.MappingDraft;
import cn.bazhong.credit.gateway.mapping.MappingFileException;
import cn.bazhong.credit.gateway.mapping.MappingLoader;
import cn.bazhong.credit.gateway.mapping.source.InputUnusableException;
import cn.bazhong.credit.gateway.mapping.source.RecordReader;
import cn.bazhong.credit.gateway.mapping.source.SourceFormat;
import cn.bazhong.credit.gateway.mapping.source.SourceRecord;
import cn.bazhong.credit.gateway.mapping.source.SourceSpec;
import cn.bazhong.credit.gateway.schema.RecordKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

/**
 * {@code mapping draft --input <sample> --department <DEPT> --kind <KIND> [--output <file>]}: writes a first
 * mapping file from a sample of a department's input, for the integrator to finish ({@link MappingDraft}); or,
 * with {@code --jdbc-url <url> --table <table>} instead of {@code --input}, from the first rows of a front-end
 * database's table (format {@code rows}).
 * The format, encoding, CSV delimiter and XML record element are detected unless given; the draft is loaded
 * with the gateway's own loader before the command ends, and the command says whether it loads and what is
 * left to do.
 *
 * <p>Exit codes: 0 the draft is written and loads, 1 it is written but does not load (the reason on stderr),
 * 2 nothing written (the input cannot be read, the output exists already, or wrong arguments).
 */
@Command(name = "draft", mixinStandardHelpOptions = true, versionProvider = GatewayCommands.Version.class,
        synopsisHeading = "usage: ",
        description = {"Writes a first mapping file from a sample of a department's input, for the integrator to finish.",
                "It names the fields found, what their values look like (dates and their style, credit codes, ID numbers, amounts, "
                        + "sets of values) and the fields of the shared schema they match by name or synonym, with a TODO for everything "
                        + "left to the integrator. The draft is checked with the gateway's loader before the command ends."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the draft is written and loads", "1:the draft is written but does not load (reason on stderr)",
                "2:nothing written: the input cannot be read, the output exists, or wrong arguments"})
public final class MappingDraftCommand implements Callable<Integer> {

    public static final int LOADS = 0;
    public static final int DOES_NOT_LOAD = 1;
    public static final int NOTHING_WRITTEN = 2;
    private static final Pattern DEPARTMENT = Pattern.compile("[A-Z][A-Z0-9]*");
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]*");
    /** A table name, optionally schema-qualified: nothing a statement could be smuggled in with. */
    private static final Pattern TABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?");

    @Option(names = "--input", paramLabel = "<file>", description = "a sample as the department sends it (or --jdbc-url and --table)")
    Path input;
    @Option(names = "--jdbc-url", paramLabel = "<url>", description = "a department's front-end database (前置机), e.g. "
            + "jdbc:postgresql://host:5432/front; its driver must be on the class path (docs/feeds-jdbc.md)")
    String jdbcUrl;
    @Option(names = "--table", paramLabel = "<table>", description = "the table the department fills, e.g. xzcf_front or front.xzcf_front")
    String table;
    @Option(names = "--user", paramLabel = "<user>", description = "the database user (read access to the table is enough)")
    String user;
    @Option(names = "--password-env", paramLabel = "<VARIABLE>", defaultValue = "GATEWAY_DRAFT_DB_PASSWORD",
            description = "the environment variable holding the user's password (default ${DEFAULT-VALUE}); never given on the command line")
    String passwordEnv;
    @Option(names = "--department", required = true, paramLabel = "<DEPT>", description = "the department's code, e.g. SCJGJ")
    String department;
    @Option(names = "--kind", required = true, paramLabel = "ADMIN_PENALTY|ADMIN_LICENSE|LIST_ENTRY", description = "the kind of records")
    RecordKind kind;
    @Option(names = "--output", paramLabel = "<mappings/dept-feed.yaml>", description = "write the draft here (never over an existing file); else stdout")
    Path output;
    @Option(names = "--id", paramLabel = "<dept-feed>", description = "the mapping's id (default: the output's file name, else <dept>-<penalties|licences|lists>)")
    String id;
    @Option(names = "--format", paramLabel = "csv|json-array|ndjson|xml", description = "the input's format (default: detected)")
    String format;
    @Option(names = "--encoding", paramLabel = "<charset>", description = "the input's encoding (default: UTF-8 when it decodes as UTF-8, else GBK)")
    String encoding;
    @Option(names = "--records", paramLabel = "<n>", defaultValue = "1000", description = "records of the sample to read (default ${DEFAULT-VALUE})")
    int records;

    private final java.time.Clock clock;
    private OutputStream stdout = System.out;
    private PrintStream stderr = System.err;

    public MappingDraftCommand(java.time.Clock clock) {
        this.clock = clock;
    }

    MappingDraftCommand streams(OutputStream out, PrintStream err) {
        this.stdout = out;
        this.stderr = err;
        return this;
    }

    /** Runs the command on {@code args} (without the leading "mapping draft"). */
    public int run(List<String> args, OutputStream stdout, PrintStream stderr) {
        streams(stdout, stderr);
        List<String> all = new ArrayList<>(List.of("draft"));
        all.addAll(args);
        return GatewayCommands.execute(GatewayCommands.group("mapping", "Mapping files.", this), all, stdout, stderr);
    }

    @Override
    public Integer call() throws IOException {
        if (!DEPARTMENT.matcher(department).matches()) {
            throw new IllegalArgumentException("--department '" + department + "' must be an upper-case department code such as SCJGJ");
        }
        if ((input == null) == (jdbcUrl == null)) {
            throw new IllegalArgumentException("give either --input <file> or --jdbc-url <url> with --table <table>");
        }
        String mappingId = mappingId();
        if (output != null && Files.exists(output)) {
            stderr.println("nothing written: " + output + " exists already; a draft never overwrites a file");
            return NOTHING_WRITTEN;
        }
        if (jdbcUrl != null) {
            return fromTable(mappingId);
        }
        byte[] head;
        try (InputStream in = Files.newInputStream(input)) {
            head = in.readNBytes(1 << 16);
        } catch (NoSuchFileException e) {
            stderr.println("nothing written: no such file " + input);
            return NOTHING_WRITTEN;
        }
        Charset charset = encoding != null ? Charset.forName(encoding) : detectEncoding(head);
        SourceFormat sourceFormat = format != null ? parseFormat(format) : detectFormat(input, head, charset);
        SourceSpec spec;
        try {
            spec = spec(sourceFormat, charset, head, false);
        } catch (XMLStreamException e) {
            stderr.println("nothing written: the input is not an XML document the draft can read: " + e.getMessage());
            return NOTHING_WRITTEN;
        }
        MappingDraft.Draft draft;
        try {
            draft = read(spec, mappingId);
            if (needsFlatten(spec, draft)) {
                spec = new SourceSpec(spec.format(), spec.charset(), spec.delimiter(), spec.header(), spec.columns(), spec.recordElement(),
                        spec.namespace(), true);
                draft = read(spec, mappingId);
            }
        } catch (InputUnusableException e) {
            stderr.println("nothing written: the input cannot be read as " + spec.format().id() + " (rule " + e.rule().code() + ", at "
                    + e.position() + "): " + e.reason());
            return NOTHING_WRITTEN;
        }
        if (draft.sourceFields() == 0) {
            stderr.println("nothing written: no record of " + input + " could be read as " + spec.format().id()
                    + (draft.recordsRead() > 0 ? " (" + draft.unreadable() + " unreadable records)" : " (no records)"));
            return NOTHING_WRITTEN;
        }
        return write(draft, mappingId, spec, "mapping check --mapping " + (output != null ? output : "<the draft>") + " --input " + input);
    }

    /** Writes the draft where it goes, says what it holds, and checks that it loads. */
    private int write(MappingDraft.Draft draft, String mappingId, SourceSpec spec, String next) throws IOException {
        if (output != null) {
            Files.writeString(output, draft.yaml(), StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
        } else {
            stdout.write(draft.yaml().getBytes(StandardCharsets.UTF_8));
            stdout.flush();
        }
        String where = output != null ? output.toString() : "stdout";
        stderr.printf("draft %s (%s, %s) written to %s: %d of %d source fields matched to fields of the shared schema, %d TODO%s%n",
                mappingId, spec.format().id(), spec.charset().name(), where, draft.matched(), draft.sourceFields(), draft.todo().size(),
                draft.todo().isEmpty() ? "" : " (" + String.join("; ", draft.todo()) + ")");
        try {
            MappingLoader.load(output != null ? output.toString() : mappingId + ".yaml", new StringReader(draft.yaml()));
        } catch (MappingFileException e) {
            stderr.println("the draft does not load yet: " + e.getMessage());
            return DOES_NOT_LOAD;
        }
        stderr.println("the draft loads; next: fill in the TODOs, then " + next);
        return LOADS;
    }

    /** The draft of a database feed: the first {@code records} rows of the department's table. */
    private int fromTable(String mappingId) throws IOException {
        if (table == null || !TABLE.matcher(table).matches()) {
            throw new IllegalArgumentException("--table must name a table, e.g. xzcf_front or front.xzcf_front (letters, digits, _), not "
                    + (table == null ? "nothing" : "'" + table + "'"));
        }
        String password = passwordEnv == null ? null : System.getenv(passwordEnv);
        List<java.util.Map<String, Object>> rows;
        try {
            rows = TableSample.read(jdbcUrl, user, password, table, records);
        } catch (java.sql.SQLException e) {
            stderr.println("nothing written: the table " + table + " could not be read at " + TableSample.withoutSecrets(jdbcUrl)
                    + ": " + e.getMessage());
            return NOTHING_WRITTEN;
        }
        if (rows.isEmpty()) {
            stderr.println("nothing written: the table " + table + " has no rows to draft from (fill in a few first)");
            return NOTHING_WRITTEN;
        }
        // a binary column would make every row unreadable: drafted without it, and named for the route's select list
        java.util.Set<String> binary = new java.util.TreeSet<>();
        rows.forEach(row -> row.forEach((column, value) -> {
            if (value instanceof byte[] || value instanceof java.sql.Blob) {
                binary.add(column);
            }
        }));
        if (!binary.isEmpty()) {
            rows = rows.stream().map(row -> {
                java.util.Map<String, Object> kept = new java.util.LinkedHashMap<>(row);
                kept.keySet().removeAll(binary);
                return kept;
            }).toList();
        }
        SourceSpec spec = new SourceSpec(SourceFormat.ROWS, StandardCharsets.UTF_8, ',', true, List.of(), null, null, false);
        MappingDraft.Draft draft;
        try (RecordReader reader = RecordReader.rows(cn.bazhong.credit.gateway.feeds.JdbcRows.plain(rows))) {
            draft = MappingDraft.draft(mappingId, department, kind, spec, MappingDraft.sourceLines(spec), reader,
                    "table " + table + " at " + TableSample.withoutSecrets(jdbcUrl) + " on " + java.time.LocalDate.now(clock));
        }
        if (draft.sourceFields() == 0) {
            stderr.println("nothing written: none of the " + rows.size() + " rows of " + table + " could be read"
                    + (binary.isEmpty() ? "" : " without its binary columns " + binary));
            return NOTHING_WRITTEN;
        }
        if (!binary.isEmpty()) {
            String todo = "columns " + String.join(", ", binary) + " hold binary content, which a mapping cannot read: leave them out of"
                    + " the jdbc-feed route's columns (its select list)";
            int at = draft.yaml().indexOf("\nid: ") + 1;
            List<String> todos = new java.util.ArrayList<>(draft.todo());
            todos.add(todo);
            draft = new MappingDraft.Draft(draft.yaml().substring(0, at) + "# TODO: " + todo + "\n" + draft.yaml().substring(at),
                    draft.sourceFields(), draft.matched(), List.copyOf(todos), draft.recordsRead(), draft.unreadable());
        }
        return write(draft, mappingId, spec, "configure gateway.feeds." + department.toLowerCase(Locale.ROOT)
                + ".jdbc.* and the jdbc-feed route (docs/feeds-jdbc.md), then mapping check on a page of rows");
    }

    private MappingDraft.Draft read(SourceSpec spec, String mappingId) throws IOException {
        try (InputStream in = Files.newInputStream(input); RecordReader reader = RecordReader.open(spec, in)) {
            Iterator<SourceRecord> limited = new Iterator<>() {
                private int n;

                @Override
                public boolean hasNext() {
                    return n < records && reader.hasNext();
                }

                @Override
                public SourceRecord next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    n++;
                    return reader.next();
                }
            };
            return MappingDraft.draft(mappingId, department, kind, spec, MappingDraft.sourceLines(spec), limited, input + " on " + java.time.LocalDate.now(clock));
        }
    }

    /** JSON records with nested objects are read again with {@code flatten: true}. */
    private static boolean needsFlatten(SourceSpec spec, MappingDraft.Draft draft) {
        return (spec.format() == SourceFormat.JSON_ARRAY || spec.format() == SourceFormat.NDJSON) && !spec.flatten()
                && draft.unreadable() > 0 && draft.yaml().contains("holds a nested object");
    }

    private String mappingId() {
        if (id != null) {
            if (!ID.matcher(id).matches()) {
                throw new IllegalArgumentException("--id '" + id + "' must be lower-case letters, digits and hyphens, e.g. scjgj-penalties");
            }
            return id;
        }
        if (output != null) {
            String name = output.getFileName().toString();
            if (name.endsWith(".yaml") && ID.matcher(name.substring(0, name.length() - 5)).matches()) {
                return name.substring(0, name.length() - 5);
            }
            throw new IllegalArgumentException("--output must be named <id>.yaml with a lower-case id such as scjgj-penalties.yaml"
                    + " (a mapping's id is its file name), or give --id");
        }
        String feed = switch (kind) {
            case ADMIN_PENALTY -> "penalties";
            case ADMIN_LICENSE -> "licences";
            case LIST_ENTRY -> "lists";
            case COMMITMENT -> "commitments";
        };
        return department.toLowerCase(Locale.ROOT) + "-" + feed;
    }

    private static SourceFormat parseFormat(String name) {
        SourceFormat f = SourceFormat.byId(name);
        if (f == null || f == SourceFormat.ROWS) {
            throw new IllegalArgumentException("--format must be csv, json-array, ndjson or xml, not " + name
                    + " (a database feed's mapping is written by hand: source.format rows, see docs/feeds-jdbc.md)");
        }
        return f;
    }

    /** UTF-8 when the first 64 KiB decode as UTF-8 (a character cut at the end aside), else GBK. */
    static Charset detectEncoding(byte[] head) {
        int end = head.length;
        int back = 0;
        while (back < 3 && end - back - 1 >= 0 && (head[end - back - 1] & 0xC0) == 0x80) {
            back++;
        }
        if (end - back - 1 >= 0 && (head[end - back - 1] & 0xC0) == 0xC0) {
            end = end - back - 1;
        }
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(head, 0, end));
            return StandardCharsets.UTF_8;
        } catch (CharacterCodingException e) {
            return Charset.forName("GBK");
        }
    }

    /** By the file's extension, else by its first character: {@code <} XML, {@code [} a JSON array, <code>{</code> NDJSON, else CSV. */
    static SourceFormat detectFormat(Path file, byte[] head, Charset charset) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        String text = new String(head, charset).replace("\uFEFF", "").stripLeading();
        char first = text.isEmpty() ? ' ' : text.charAt(0);
        if (name.endsWith(".xml") || first == '<') {
            return SourceFormat.XML;
        }
        if (name.endsWith(".ndjson") || name.endsWith(".jsonl") || first == '{') {
            return SourceFormat.NDJSON;
        }
        if (name.endsWith(".json") || first == '[') {
            return SourceFormat.JSON_ARRAY;
        }
        return SourceFormat.CSV;
    }

    private static SourceSpec spec(SourceFormat format, Charset charset, byte[] head, boolean flatten) throws XMLStreamException {
        return switch (format) {
            case CSV -> new SourceSpec(format, charset, delimiter(new String(head, charset)), true, List.of(), null, null, false);
            case XML -> {
                String[] record = recordElement(head);
                yield new SourceSpec(format, charset, ',', true, List.of(), record[0], record[1], false);
            }
            default -> new SourceSpec(format, charset, ',', true, List.of(), null, null, flatten);
        };
    }

    /** The most frequent of , ; tab | in the header line. */
    static char delimiter(String text) {
        String first = text.lines().findFirst().orElse("");
        char best = ',';
        long bestCount = 0;
        for (char c : new char[]{',', '\t', ';', '|'}) {
            long n = first.chars().filter(x -> x == c).count();
            if (n > bestCount) {
                best = c;
                bestCount = n;
            }
        }
        return best;
    }

    /** The local name and namespace of the root's first child element: the element that holds one record. */
    static String[] recordElement(byte[] head) throws XMLStreamException {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        XMLStreamReader xml = factory.createXMLStreamReader(new ByteArrayInputStream(head));
        int depth = 0;
        try {
            while (xml.hasNext()) {
                int event = xml.next();
                if (event == XMLStreamReader.START_ELEMENT) {
                    depth++;
                    if (depth == 2) {
                        return new String[]{xml.getLocalName(), xml.getNamespaceURI()};
                    }
                } else if (event == XMLStreamReader.END_ELEMENT) {
                    depth--;
                }
            }
        } finally {
            xml.close();
        }
        throw new XMLStreamException("no element inside the root element in the first 64 KiB");
    }
}
