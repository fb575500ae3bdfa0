package cn.bazhong.credit.gateway.mapping;

import cn.bazhong.credit.gateway.mapping.source.FieldNames;
import cn.bazhong.credit.gateway.yaml.ConfigFileException;
import cn.bazhong.credit.gateway.yaml.YamlDocument;
import cn.bazhong.credit.gateway.mapping.source.SourceFormat;
import cn.bazhong.credit.gateway.mapping.source.SourceSpec;
import cn.bazhong.credit.gateway.schema.CanonicalField;
import cn.bazhong.credit.gateway.schema.FieldType;
import cn.bazhong.credit.gateway.schema.RecordKind;
import cn.bazhong.credit.gateway.validation.Amounts;
import cn.bazhong.credit.gateway.validation.Checked;
import cn.bazhong.credit.gateway.validation.Text;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Period;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Loads a mapping file and checks it completely before any record is mapped: unknown keys, unknown
 * canonical fields, fields of another record kind, constants that fail their own field's rules,
 * missing required fields, broken regular expressions and dangling table names are all reported
 * with the file, the line and the key. The file format is described in {@code docs/mappings.md}.
 */
public final class MappingLoader {

    private static final Set<String> TOP_KEYS = YamlDocument.keys(
            "id", "version", "department", "kind", "description", "source", "tables", "fields", "businessKey", "snapshot");
    private static final Set<String> SOURCE_KEYS = YamlDocument.keys(
            "format", "encoding", "delimiter", "header", "columns", "recordElement", "namespace", "flatten");
    private static final Set<String> FIELD_KEYS = YamlDocument.keys(
            "from", "default", "value", "derive", "when", "extract", "table", "strict", "split", "unit", "description");
    private static final Set<String> WHEN_KEYS = YamlDocument.keys("field", "equals", "in", "present");
    private static final Set<String> KEY_KEYS = YamlDocument.keys("when", "template");
    private static final Set<String> DATE_DERIVE_KEYS = YamlDocument.keys("date", "plus");
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]*");
    private static final Pattern DEPARTMENT = Pattern.compile("[A-Z][A-Z0-9]*");
    private static final Pattern ATTRIBUTE = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");
    private static final Pattern REFERENCE = Pattern.compile("\\{([^{}]+)}");

    /** Business keys the schema prescribes, for kinds where the mapping may leave them out. */
    private static final Map<RecordKind, String> DEFAULT_KEYS = Map.of(
            RecordKind.ADMIN_PENALTY, "{penalty.authority.uscc}:{penalty.decisionNo}",
            RecordKind.ADMIN_LICENSE, "{licence.authority.uscc}:{licence.decisionNo}",
            RecordKind.COMMITMENT, "{commitment.acceptedBy.uscc}:{commitment.number}");

    private MappingLoader() {
    }

    public static MappingDefinition load(Path file) {
        String name = file.toString();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return load(name, reader);
        } catch (IOException e) {
            throw new MappingFileException(name, 0, "", "cannot be read: " + e.getMessage());
        }
    }

    public static MappingDefinition load(String fileName, Reader reader) {
        try {
            return new Parse(fileName).definition(reader);
        } catch (MappingFileException e) {
            throw e;
        } catch (ConfigFileException e) {
            throw new MappingFileException(e);
        }
    }

    /** One parse of one file; holds the file name for messages and the tables for references. */
    private static final class Parse {
        private final String file;
        private final YamlDocument yaml;
        private final Map<String, ValueTable> tables = new HashMap<>();

        Parse(String file) {
            this.file = file;
            this.yaml = new YamlDocument(file);
        }

        MappingDefinition definition(Reader reader) {
            Node root = yaml.parse(reader);
            Map<String, Node> top = yaml.mapping(root, "", TOP_KEYS);

            String id = yaml.requiredScalar(top, root, "id", "");
            if (!ID.matcher(id).matches()) {
                throw yaml.fail(top.get("id"), "id", "'" + id + "' must be lower-case letters, digits and hyphens, e.g. scjgj-penalties");
            }
            String base = Path.of(file).getFileName().toString();
            if (base.endsWith(".yaml") && !base.equals(id + ".yaml")) {
                throw yaml.fail(top.get("id"), "id", "'" + id + "' does not match the file name " + base + " (mappings/<id>.yaml)");
            }
            int version = positiveInt(top.get("version"), root, "version");
            String department = yaml.requiredScalar(top, root, "department", "");
            if (!DEPARTMENT.matcher(department).matches()) {
                throw yaml.fail(top.get("department"), "department", "'" + department + "' must be an upper-case department code such as SCJGJ");
            }
            RecordKind kind = kind(top.get("kind"), root);
            SourceSpec source = source(top.get("source"), root);
            if (top.containsKey("tables")) {
                tables(top.get("tables"));
            }
            Node fieldsNode = top.get("fields");
            if (fieldsNode == null) {
                throw yaml.fail(root, "fields", "is required");
            }
            List<FieldMapping> fields = fields(fieldsNode, kind);
            requireCompleteness(fields, kind, fieldsNode);
            List<KeyTemplate> keys = businessKey(top.get("businessKey"), kind, root);
            boolean snapshot = top.containsKey("snapshot") && yaml.bool(top.get("snapshot"), "snapshot");
            if (snapshot && kind != RecordKind.LIST_ENTRY) {
                throw yaml.fail(top.get("snapshot"), "snapshot", "only list feeds can be full snapshots");
            }
            return new MappingDefinition(id, version, department, kind, source, List.copyOf(fields), List.copyOf(keys), file, snapshot);
        }

        private int positiveInt(Node node, Node parent, String key) {
            if (node == null) {
                throw yaml.fail(parent, key, "is required");
            }
            String v = yaml.scalar(node, key);
            try {
                int n = Integer.parseInt(v);
                if (n >= 1) {
                    return n;
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
            throw yaml.fail(node, key, "must be a whole number of 1 or more, found '" + v + "'");
        }

        private RecordKind kind(Node node, Node root) {
            if (node == null) {
                throw yaml.fail(root, "kind", "is required (one of ADMIN_PENALTY, ADMIN_LICENSE, LIST_ENTRY)");
            }
            String v = yaml.scalar(node, "kind");
            try {
                return RecordKind.valueOf(v);
            } catch (IllegalArgumentException e) {
                throw yaml.fail(node, "kind", "'" + v + "' is not one of ADMIN_PENALTY, ADMIN_LICENSE, LIST_ENTRY");
            }
        }

        private SourceSpec source(Node node, Node root) {
            if (node == null) {
                throw yaml.fail(root, "source", "is required");
            }
            Map<String, Node> m = yaml.mapping(node, "source", SOURCE_KEYS);
            String formatName = yaml.requiredScalar(m, node, "format", "source");
            SourceFormat format = SourceFormat.byId(formatName);
            if (format == null) {
                throw yaml.fail(m.get("format"), "source.format", "'" + formatName + "' is not one of csv, json-array, ndjson, xml, rows");
            }
            if (format == SourceFormat.ROWS && m.containsKey("encoding")) {
                throw yaml.fail(m.get("encoding"), "source.encoding", "does not apply to rows (a database feed): the driver decodes the text");
            }
            Charset charset = StandardCharsets.UTF_8;
            if (m.containsKey("encoding")) {
                String enc = yaml.scalar(m.get("encoding"), "source.encoding");
                try {
                    charset = Charset.forName(enc);
                } catch (RuntimeException e) {
                    throw yaml.fail(m.get("encoding"), "source.encoding", "'" + enc + "' is not an encoding this JVM knows (e.g. UTF-8, GBK, GB18030)");
                }
            }
            char delimiter = ',';
            boolean header = true;
            List<String> columns = List.of();
            String recordElement = null;
            String namespace = null;
            if (format == SourceFormat.CSV) {
                if (m.containsKey("delimiter")) {
                    String d = yaml.scalar(m.get("delimiter"), "source.delimiter");
                    if (d.length() != 1) {
                        throw yaml.fail(m.get("delimiter"), "source.delimiter", "must be a single character, found '" + d + "'");
                    }
                    delimiter = d.charAt(0);
                }
                if (m.containsKey("header")) {
                    header = yaml.bool(m.get("header"), "source.header");
                }
                if (m.containsKey("columns")) {
                    columns = yaml.scalars(m.get("columns"), "source.columns");
                }
                if (!header && columns.isEmpty()) {
                    throw yaml.fail(node, "source.columns", "is required when header is false: name the columns in order");
                }
                if (header && !columns.isEmpty()) {
                    throw yaml.fail(m.get("columns"), "source.columns", "cannot be combined with header: true (the header names the columns)");
                }
            } else {
                for (String csvOnly : List.of("delimiter", "header", "columns")) {
                    if (m.containsKey(csvOnly)) {
                        throw yaml.fail(m.get(csvOnly), "source." + csvOnly, "only applies to csv sources");
                    }
                }
            }
            if (format == SourceFormat.XML) {
                recordElement = yaml.requiredScalar(m, node, "recordElement", "source");
                if (m.containsKey("namespace")) {
                    namespace = yaml.scalar(m.get("namespace"), "source.namespace");
                }
            } else {
                for (String xmlOnly : List.of("recordElement", "namespace")) {
                    if (m.containsKey(xmlOnly)) {
                        throw yaml.fail(m.get(xmlOnly), "source." + xmlOnly, "only applies to xml sources");
                    }
                }
            }
            boolean flatten = false;
            if (m.containsKey("flatten")) {
                if (format != SourceFormat.JSON_ARRAY && format != SourceFormat.NDJSON) {
                    throw yaml.fail(m.get("flatten"), "source.flatten", "only applies to json-array and ndjson sources");
                }
                flatten = yaml.bool(m.get("flatten"), "source.flatten");
            }
            return new SourceSpec(format, charset, delimiter, header, columns, recordElement, namespace, flatten);
        }

        private void tables(Node node) {
            for (Map.Entry<String, Node> t : yaml.mapping(node, "tables").entrySet()) {
                tables.put(t.getKey(), table(t.getKey(), t.getValue(), "tables." + t.getKey()));
            }
        }

        private ValueTable table(String name, Node node, String key) {
            Map<String, String> entries = new LinkedHashMap<>();
            for (Map.Entry<String, Node> e : yaml.mapping(node, key).entrySet()) {
                String from = Text.halfWidth(Text.clean(e.getKey()));
                entries.put(from, yaml.scalar(e.getValue(), key + "." + e.getKey()));
            }
            if (entries.isEmpty()) {
                throw yaml.fail(node, key, "a value table needs at least one entry");
            }
            return new ValueTable(name, java.util.Collections.unmodifiableMap(entries)); // file order, for stable messages
        }

        private List<FieldMapping> fields(Node node, RecordKind kind) {
            List<FieldMapping> out = new ArrayList<>();
            int order = 0;
            for (Map.Entry<String, Node> e : yaml.mapping(node, "fields").entrySet()) {
                String path = e.getKey();
                String key = "fields." + path;
                CanonicalField field = CanonicalField.byPath(path);
                String attribute = null;
                if (field == null) {
                    if (kind == RecordKind.LIST_ENTRY && path.startsWith(CanonicalField.ENTRY_ATTRIBUTE_PREFIX)) {
                        attribute = path.substring(CanonicalField.ENTRY_ATTRIBUTE_PREFIX.length());
                        if (!ATTRIBUTE.matcher(attribute).matches()) {
                            throw yaml.fail(e.getValue(), key, "attribute names are letters, digits and _, starting with a letter");
                        }
                    } else {
                        throw yaml.fail(e.getValue(), key, "is not a field of the shared credit schema (see docs/mappings.md for the list)");
                    }
                } else if (!field.usedIn(kind)) {
                    throw yaml.fail(e.getValue(), key, "is not a field of " + kind + " records");
                }
                List<FieldSource> alternatives = new ArrayList<>();
                Node value = e.getValue();
                if (value instanceof SequenceNode seq) {
                    for (Node item : seq.getValue()) {
                        alternatives.add(fieldSource(field, item, key));
                    }
                    if (alternatives.isEmpty()) {
                        throw yaml.fail(value, key, "must not be an empty list");
                    }
                } else {
                    alternatives.add(fieldSource(field, value, key));
                }
                out.add(new FieldMapping(path, field, attribute, List.copyOf(alternatives), order++));
            }
            return out;
        }

        private FieldSource fieldSource(CanonicalField field, Node node, String key) {
            int line = YamlDocument.line(node);
            if (!(node instanceof MappingNode)) {
                // short form: the source field name
                String name = yaml.scalar(node, key);
                return new FieldSource(null, List.of(FieldNames.normalise(name)), List.of(name), null, null, null, null, null,
                        false, null, null, line);
            }
            Map<String, Node> m = yaml.mapping(node, key, FIELD_KEYS);
            int ways = (m.containsKey("from") ? 1 : 0) + (m.containsKey("value") ? 1 : 0) + (m.containsKey("derive") ? 1 : 0);
            if (ways != 1) {
                throw yaml.fail(node, key, "give exactly one of from (source fields), value (a constant) or derive");
            }
            FieldType type = field == null ? FieldType.TEXT : field.type();
            Condition when = m.containsKey("when") ? condition(m.get("when"), key + ".when") : null;
            List<String> labels = m.containsKey("from") ? yaml.scalars(m.get("from"), key + ".from") : null;
            List<String> from = labels == null ? null : labels.stream().map(FieldNames::normalise).toList();
            String fallback = m.containsKey("default") ? yaml.scalar(m.get("default"), key + ".default") : null;
            if (fallback != null && from == null) {
                throw yaml.fail(m.get("default"), key + ".default", "only goes with from: it is used when the source fields are empty");
            }
            Pattern extract = null;
            if (m.containsKey("extract")) {
                extract = regex(m.get("extract"), key + ".extract");
            }
            ValueTable table = null;
            if (m.containsKey("table")) {
                Node t = m.get("table");
                if (t instanceof MappingNode) {
                    table = table(key + ".table", t, key + ".table");
                } else {
                    String name = yaml.scalar(t, key + ".table");
                    table = tables.get(name);
                    if (table == null) {
                        throw yaml.fail(t, key + ".table", "no table named '" + name + "' under tables:");
                    }
                }
            }
            boolean strict = m.containsKey("strict") && yaml.bool(m.get("strict"), key + ".strict");
            if (strict && table == null) {
                throw yaml.fail(m.get("strict"), key + ".strict", "only makes sense with a table");
            }
            String separators = null;
            if (m.containsKey("split")) {
                if (type != FieldType.PENALTY_KINDS) {
                    throw yaml.fail(m.get("split"), key + ".split", "only list fields (penalty.kinds) can be split");
                }
                separators = yaml.scalar(m.get("split"), key + ".split");
            }
            Amounts.Unit unit = null;
            if (m.containsKey("unit")) {
                if (type != FieldType.AMOUNT) {
                    throw yaml.fail(m.get("unit"), key + ".unit", "only amount fields have a unit");
                }
                String u = yaml.scalar(m.get("unit"), key + ".unit");
                unit = switch (u) {
                    case "yuan" -> Amounts.Unit.YUAN;
                    case "wan" -> Amounts.Unit.WAN;
                    default -> throw yaml.fail(m.get("unit"), key + ".unit", "'" + u + "' is not yuan (元) or wan (万元)");
                };
            }
            String constant = m.containsKey("value") ? yaml.scalar(m.get("value"), key + ".value") : null;
            checkConstant(field, constant, table, separators, unit, m.get("value"), key + ".value");
            checkConstant(field, fallback, table, separators, unit, m.get("default"), key + ".default");
            Derivation derive = m.containsKey("derive") ? derivation(field, m.get("derive"), key + ".derive") : null;
            if (derive != null && (extract != null || table != null)) {
                throw yaml.fail(node, key, "a derived value cannot also have extract or table");
            }
            return new FieldSource(when, from, labels, fallback, constant, derive, extract, table, strict, separators, unit, line);
        }

        /** A constant in a mapping file must itself pass its field's rules, or the file is refused. */
        private void checkConstant(CanonicalField field, String constant, ValueTable table, String separators,
                                   Amounts.Unit unit, Node node, String key) {
            if (field == null || constant == null) {
                return;
            }
            String tableValue = table == null ? null : table.lookup(Text.halfWidth(Text.clean(constant)));
            Checked<Object> checked = ValueNormaliser.normalise(field, tableValue != null ? tableValue : constant, separators, unit);
            if (!checked.isOk()) {
                throw yaml.fail(node, key, "'" + constant + "' breaks rule " + checked.rule().code() + ": " + checked.message());
            }
        }

        private Pattern regex(Node node, String key) {
            String text = yaml.scalar(node, key);
            try {
                Pattern p = Pattern.compile(text);
                if (p.matcher("").groupCount() < 1) {
                    throw yaml.fail(node, key, "the pattern needs one capturing group ( … ) around the part to keep");
                }
                return p;
            } catch (PatternSyntaxException e) {
                throw yaml.fail(node, key, "not a valid regular expression: " + e.getDescription());
            }
        }

        private Condition condition(Node node, String key) {
            Map<String, Node> m = yaml.mapping(node, key, WHEN_KEYS);
            String field = FieldNames.normalise(yaml.requiredScalar(m, node, "field", key));
            int tests = (m.containsKey("equals") ? 1 : 0) + (m.containsKey("in") ? 1 : 0) + (m.containsKey("present") ? 1 : 0);
            if (tests != 1) {
                throw yaml.fail(node, key, "give exactly one of equals, in or present");
            }
            if (m.containsKey("present")) {
                return new Condition(field, Set.of(), yaml.bool(m.get("present"), key + ".present"));
            }
            Node values = m.containsKey("equals") ? m.get("equals") : m.get("in");
            Set<String> anyOf = new HashSet<>();
            for (String v : yaml.scalars(values, key)) {
                anyOf.add(Text.halfWidth(Text.clean(v)));
            }
            return new Condition(field, Set.copyOf(anyOf), null);
        }

        private Derivation derivation(CanonicalField field, Node node, String key) {
            if (!(node instanceof MappingNode)) {
                String name = yaml.scalar(node, key);
                if (!"category-from-identifiers".equals(name)) {
                    throw yaml.fail(node, key, "unknown derivation '" + name + "' (known: category-from-identifiers, or {date, plus})");
                }
                if (field != CanonicalField.SUBJECT_CATEGORY) {
                    throw yaml.fail(node, key, "category-from-identifiers only fills subject.category");
                }
                return new Derivation.CategoryFromIdentifiers();
            }
            Map<String, Node> m = yaml.mapping(node, key, DATE_DERIVE_KEYS);
            String fromPath = yaml.requiredScalar(m, node, "date", key);
            CanonicalField from = CanonicalField.byPath(fromPath);
            if (from == null || from.type() != FieldType.DATE) {
                throw yaml.fail(m.get("date"), key + ".date", "'" + fromPath + "' is not a date field of the schema");
            }
            if (field == null || field.type() != FieldType.DATE) {
                throw yaml.fail(node, key, "a date offset can only fill a date field");
            }
            String plus = yaml.requiredScalar(m, node, "plus", key);
            try {
                return new Derivation.DateOffset(from, Period.parse(plus));
            } catch (DateTimeParseException e) {
                throw yaml.fail(m.get("plus"), key + ".plus", "'" + plus + "' is not an ISO-8601 period such as P3Y or P3Y-1D");
            }
        }

        private void requireCompleteness(List<FieldMapping> fields, RecordKind kind, Node fieldsNode) {
            Set<CanonicalField> mapped = new HashSet<>();
            for (FieldMapping f : fields) {
                if (f.field() != null) {
                    mapped.add(f.field());
                }
            }
            for (CanonicalField f : CanonicalField.values()) {
                if (f.requiredIn(kind) && !mapped.contains(f)) {
                    throw yaml.fail(fieldsNode, "fields", "gives no value for " + f.path() + ", which every " + kind + " record needs");
                }
            }
        }

        private List<KeyTemplate> businessKey(Node node, RecordKind kind, Node root) {
            if (node == null) {
                String def = DEFAULT_KEYS.get(kind);
                if (def == null) {
                    throw yaml.fail(root, "businessKey", "is required for " + kind + " mappings");
                }
                return List.of(template(null, def, root, "businessKey"));
            }
            List<KeyTemplate> out = new ArrayList<>();
            if (node instanceof SequenceNode seq) {
                for (Node item : seq.getValue()) {
                    Map<String, Node> m = yaml.mapping(item, "businessKey", KEY_KEYS);
                    Condition when = m.containsKey("when") ? condition(m.get("when"), "businessKey.when") : null;
                    out.add(template(when, yaml.requiredScalar(m, item, "template", "businessKey"), m.get("template"), "businessKey.template"));
                }
            } else {
                out.add(template(null, yaml.scalar(node, "businessKey"), node, "businessKey"));
            }
            return out;
        }

        private KeyTemplate template(Condition when, String text, Node node, String key) {
            List<KeyTemplate.Part> parts = new ArrayList<>();
            Matcher m = REFERENCE.matcher(text);
            int last = 0;
            while (m.find()) {
                if (m.start() > last) {
                    parts.add(new KeyTemplate.Part(text.substring(last, m.start()), null));
                }
                String ref = m.group(1).strip();
                boolean attribute = ref.startsWith(CanonicalField.ENTRY_ATTRIBUTE_PREFIX);
                if (!attribute && CanonicalField.byPath(ref) == null) {
                    throw yaml.fail(node, key, "{" + ref + "} is not a field of the shared credit schema");
                }
                if (!attribute && CanonicalField.byPath(ref).type() == cn.bazhong.credit.gateway.schema.FieldType.ID_NUMBER) {
                    // the business key becomes the record id: a Kafka key, a map key, a trace id, all in the clear
                    throw yaml.fail(node, key, "{" + ref + "} is a person's ID number, which a business key may not hold"
                            + " (record ids are kept and shown in the clear): use the decision number or another document number");
                }
                parts.add(new KeyTemplate.Part(null, ref));
                last = m.end();
            }
            if (last < text.length()) {
                parts.add(new KeyTemplate.Part(text.substring(last), null));
            }
            if (parts.stream().noneMatch(p -> p.reference() != null)) {
                throw yaml.fail(node, key, "a business key must refer to at least one field, e.g. {penalty.decisionNo}");
            }
            return new KeyTemplate(when, List.copyOf(parts), text);
        }
    }
}
