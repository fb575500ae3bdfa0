package cn.bazhong.credit.gateway.schema;

import cn.bazhong.credit.gateway.validation.Dates;
import cn.bazhong.credit.gateway.validation.Vocabularies;
import cn.bazhong.credit.gateway.validation.Vocabulary;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * JSON Schemas (draft 2020-12) of the canonical record JSON, one per {@link RecordKind}, describing
 * exactly what {@link RecordJson#mapper()} writes for a {@link CreditRecord} of that kind.
 *
 * <p>Generated from the code, not written by hand: the properties of {@code subject} and of the
 * kind's body come from the paths of the {@link CanonicalField}s used in that kind, their types
 * from {@link FieldType}, lengths from {@link CanonicalField#maxLength()}, {@code required} from
 * {@link CanonicalField#requiredIn}, and the code lists from {@link Vocabularies} and the enums.
 * Only the envelope (record id, version, kind, business key, provenance) and
 * {@link AdminLicense#longTerm()} are described here. Every object except the free-form list-entry
 * {@code attributes} has {@code additionalProperties: false}, so a property added to the Java
 * types without a canonical field shows up as a validation failure. Conditional rules of the
 * standard (a credit code for organisations, a fine amount with 罚款, …) are not expressed.
 *
 * <p>{@link #main} writes the published copies under {@code docs/schema/}.
 */
public final class JsonSchemas {

    public static final String DIALECT = "https://json-schema.org/draft/2020-12/schema";
    public static final String BASE_URI = "https://credit.bazhong.example/schema/";

    /** GB 32100 character set, 18 characters, or the 个体工商户 placeholder. */
    static final String USCC_PATTERN = "^[0-9A-HJ-NPQRTUWXY]{18}$|^00000000000000000X$";
    /** GB 11714: 8 body characters (digits, A–Z) and a check digit or X, without hyphen. */
    static final String ORG_CODE_PATTERN = "^[0-9A-Z]{8}[0-9X]$";
    /** {@link FieldType#LIST_TYPE}: upper-case letters, digits and underscores, starting with a letter. */
    static final String LIST_TYPE_PATTERN = "^[A-Z][A-Z0-9_]*$";
    /** {@link RecordVersion}: 128 bits in lower-case hex. */
    static final String VERSION_PATTERN = "^[0-9a-f]{32}$";
    static final String DATE_PATTERN = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$";
    /** The prefix rule of {@link Vocabularies#ID_TYPE}: {@code 其他-} followed by the document's name. */
    static final String ID_TYPE_OTHER_PREFIX = "其他-";

    private static final Map<String, String> OBJECT_DESCRIPTIONS = Map.of(
            "legalRep", "法定代表人: the legal representative of an organisation or individual business.",
            "principal", "主要负责人: the principal responsible person of an organisation, when the source names one.",
            "responsible", "其他负有直接责任人员: another directly responsible person, when the source names one.",
            "acceptedBy", "受理单位: the unit that accepted the commitment, and its credit code.",
            "authority", "The deciding authority (处罚机关 / 许可机关) and its credit code.",
            "dataSource", "数据来源单位: the unit that supplied the data, and its credit code.",
            "decidedBy", "认定单位: the unit that decided the entry, and its credit code.");

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectWriter WRITER = new ObjectMapper().writer(new DefaultPrettyPrinter()
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n"))
            .withSeparators(Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER)));

    private JsonSchemas() {
    }

    /** Writes the schemas into the directory given as the only argument (default {@code docs/schema}). */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "docs/schema");
        Files.createDirectories(dir);
        for (Map.Entry<RecordKind, ObjectNode> e : generate().entrySet()) {
            Path file = dir.resolve(fileName(e.getKey()));
            Files.writeString(file, text(e.getValue()), StandardCharsets.UTF_8);
            System.out.println("wrote " + file);
        }
    }

    /** A fresh schema for every record kind, in {@link RecordKind} order. */
    public static Map<RecordKind, ObjectNode> generate() {
        Map<RecordKind, ObjectNode> out = new EnumMap<>(RecordKind.class);
        for (RecordKind kind : RecordKind.values()) {
            out.put(kind, schema(kind));
        }
        return out;
    }

    /** The published file name of a kind's schema, e.g. {@code admin-penalty.schema.json}. */
    public static String fileName(RecordKind kind) {
        return kind.name().toLowerCase(Locale.ROOT).replace('_', '-') + ".schema.json";
    }

    /** The file text of a schema: pretty-printed, two-space indent, {@code \n} line ends, trailing newline. */
    static String text(ObjectNode schema) {
        try {
            return WRITER.writeValueAsString(schema) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON Schema could not be written", e);
        }
    }

    private static ObjectNode schema(RecordKind kind) {
        String body = switch (kind) {
            case ADMIN_PENALTY -> "penalty";
            case ADMIN_LICENSE -> "licence";
            case LIST_ENTRY -> "entry";
            case COMMITMENT -> "commitment";
        };
        Obj root = new Obj(null);
        root.leaf("recordId", string(1, 0).put("pattern", "^[^:]+:" + kind.name() + ":.+$")
                .put("description", "<department>:" + kind.name() + ":<business key>; the same for every version of the record."), true);
        root.leaf("version", string(0, 0).put("pattern", VERSION_PATTERN)
                .put("description", "Hash of the normalised content (without provenance): the first 128 bits of SHA-256, in hex."), true);
        root.leaf("kind", NODES.objectNode().put("const", kind.name()), true);
        root.leaf("operation", null, true); // the canonical field fills it in, here in the envelope's order
        root.leaf("businessKey", string(1, 0)
                .put("description", "The part of the record id that the source department owns."), true);
        root.object("subject", "信用主体: the enterprise, organisation, individual business or person the record is about.").required = true;
        root.object(body, bodyDescription(kind)).required = true;
        root.leaf("provenance", provenance(), true);

        for (CanonicalField f : CanonicalField.values()) {
            if (!f.usedIn(kind)) {
                continue;
            }
            String[] parts = f.path().split("\\.");
            Obj parent = root;
            for (int i = 0; i < parts.length - 1; i++) {
                parent = parent.object(parts[i], OBJECT_DESCRIPTIONS.get(parts[i]));
            }
            parent.leaf(parts[parts.length - 1], field(f), f.requiredIn(kind));
            if (f == CanonicalField.LICENCE_VALID_TO) {
                parent.leaf("longTerm", NODES.objectNode().put("type", "boolean").put("description",
                        "True exactly when validTo is " + Dates.LONG_TERM + ", the standard's way of writing 长期."), true);
                parent.extra = longTermRule();
            }
        }
        if (kind == RecordKind.LIST_ENTRY) {
            String[] parts = CanonicalField.ENTRY_ATTRIBUTE_PREFIX.split("\\.");
            Obj parent = root;
            for (int i = 0; i < parts.length - 1; i++) {
                parent = parent.object(parts[i], null);
            }
            parent.leaf(parts[parts.length - 1], NODES.objectNode()
                    .put("type", "object")
                    .put("description", "Feed-specific facts kept with the entry (履行情况, 评价年度 …), by name.")
                    .set("additionalProperties", string(1, CanonicalField.ENTRY_ATTRIBUTE_MAX_LENGTH)), false);
        }

        ObjectNode schema = NODES.objectNode();
        schema.put("$schema", DIALECT);
        schema.put("$id", BASE_URI + fileName(kind));
        schema.put("title", title(kind));
        schema.put("description", description(kind));
        root.renderInto(schema);
        return schema;
    }

    private static ObjectNode field(CanonicalField f) {
        int max = f.maxLength();
        return switch (f.type()) {
            case TEXT, CODE, ID_NUMBER -> string(1, max);
            case USCC -> string(0, max).put("pattern", USCC_PATTERN);
            case ORG_CODE -> string(0, max).put("pattern", ORG_CODE_PATTERN);
            case LIST_TYPE -> string(0, max).put("pattern", LIST_TYPE_PATTERN);
            case ID_TYPE -> {
                ObjectNode s = NODES.objectNode().put("type", "string");
                ArrayNode anyOf = s.putArray("anyOf");
                anyOf.addObject().set("enum", values(Vocabularies.ID_TYPE));
                anyOf.addObject().put("pattern", "^" + ID_TYPE_OTHER_PREFIX + ".");
                yield s;
            }
            case DATE -> NODES.objectNode().put("type", "string").put("format", "date").put("pattern", DATE_PATTERN);
            case AMOUNT -> NODES.objectNode().put("type", "number").put("minimum", 0)
                    .put("description", "万元 (10,000 yuan).");
            case SUBJECT_CATEGORY -> enumOf(values(Vocabularies.SUBJECT_CATEGORY));
            case LICENCE_CATEGORY -> enumOf(values(Vocabularies.LICENCE_CATEGORY));
            case PENALTY_KINDS -> {
                ObjectNode s = NODES.objectNode().put("type", "array").put("minItems", 1).put("uniqueItems", true);
                s.set("items", enumOf(values(Vocabularies.PENALTY_KIND)));
                yield s;
            }
            case LIST_CATEGORY -> enumOf(names(ListCategory.values()));
            case LIST_STATUS -> enumOf(names(ListStatus.values()));
            case OPERATION -> enumOf(names(Operation.values()));
        };
    }

    /** longTerm is true exactly when validTo is {@link Dates#LONG_TERM}. */
    private static ObjectNode longTermRule() {
        ObjectNode rule = NODES.objectNode();
        ObjectNode ifLongTerm = rule.putObject("if");
        ifLongTerm.putObject("properties").putObject("longTerm").put("const", true);
        ifLongTerm.putArray("required").add("longTerm");
        rule.putObject("then").putObject("properties").putObject("validTo").put("const", Dates.LONG_TERM.toString());
        rule.putObject("else").putObject("properties").putObject("validTo").putObject("not")
                .put("const", Dates.LONG_TERM.toString());
        return rule;
    }

    private static ObjectNode provenance() {
        Obj p = new Obj("Where the record came from and how it was mapped: file + position (SFTP, dry run), "
                + "requestId + position (REST) or topic/partition/offset (Kafka). Not part of the version hash.");
        p.leaf("department", string(1, 0), true);
        p.leaf("channel", string(1, 0), true);
        p.leaf("file", string(1, 0), false);
        p.leaf("position", integer(0), false);
        p.leaf("requestId", string(1, 0), false);
        p.leaf("topic", string(1, 0), false);
        p.leaf("partition", integer(0), false);
        p.leaf("offset", integer(0), false);
        p.leaf("receivedAt", NODES.objectNode().put("type", "string").put("format", "date-time"), true);
        p.leaf("mappingId", string(1, 0), true);
        p.leaf("mappingVersion", NODES.objectNode().put("type", "integer"), true);
        ObjectNode out = NODES.objectNode();
        p.renderInto(out);
        return out;
    }

    private static String title(RecordKind kind) {
        return switch (kind) {
            case ADMIN_PENALTY -> "Administrative penalty record (行政处罚)";
            case ADMIN_LICENSE -> "Administrative licence record (行政许可)";
            case LIST_ENTRY -> "Credit list entry (信用红黑名单)";
            case COMMITMENT -> "Written commitment (信用承诺)";
        };
    }

    private static String description(RecordKind kind) {
        String what = switch (kind) {
            case ADMIN_PENALTY -> "An administrative penalty decision (行政处罚) against a credit subject, with the fields "
                    + "of the national 2021 双公示 standard. The business key is the penalising authority's credit code "
                    + "and the decision number.";
            case ADMIN_LICENSE -> "An administrative licence decision (行政许可) granted to a credit subject, with the fields "
                    + "of the national 2021 双公示 standard. The business key is the licensing authority's credit code "
                    + "and the decision number (or the licence number when there is none).";
            case LIST_ENTRY -> "An entry of a red, black or attention list (信用红黑名单) for a credit subject, such as a "
                    + "court defaulter or an A-level taxpayer. Exiting a list is a change of status, never a deletion.";
            case COMMITMENT -> "A written commitment (信用承诺, 书面承诺) a credit subject gave the unit that accepted its application, "
                    + "e.g. to hand in missing papers within a deadline under 容缺受理. The business key is the accepting unit's "
                    + "credit code and the commitment's number; later versions say whether it was kept. Not sent to the province.";
        };
        return what + " This is the gateway's canonical record as written by RecordJson: property names as below, "
                + "absent values left out, dates as yyyy-MM-dd, amounts in 万元 as plain numbers. Generated from "
                + "CanonicalField by JsonSchemas; do not edit by hand.";
    }

    private static String bodyDescription(RecordKind kind) {
        return switch (kind) {
            case ADMIN_PENALTY -> "行政处罚: the penalty decision.";
            case ADMIN_LICENSE -> "行政许可: the licence decision.";
            case LIST_ENTRY -> "The list entry: list type, deciding unit, dates, status and exit.";
            case COMMITMENT -> "信用承诺: matter, what was promised, deadline, accepting unit and whether it was kept.";
        };
    }

    private static ObjectNode string(int minLength, int maxLength) {
        ObjectNode s = NODES.objectNode().put("type", "string");
        if (minLength > 0) {
            s.put("minLength", minLength);
        }
        if (maxLength > 0) {
            s.put("maxLength", maxLength);
        }
        return s;
    }

    private static ObjectNode integer(int minimum) {
        return NODES.objectNode().put("type", "integer").put("minimum", minimum);
    }

    private static ObjectNode enumOf(ArrayNode values) {
        ObjectNode s = NODES.objectNode().put("type", "string");
        s.set("enum", values);
        return s;
    }

    private static ArrayNode values(Vocabulary vocabulary) {
        ArrayNode a = NODES.arrayNode();
        vocabulary.values().forEach(a::add);
        return a;
    }

    private static ArrayNode names(Enum<?>[] constants) {
        ArrayNode a = NODES.arrayNode();
        for (Enum<?> c : constants) {
            a.add(c.name());
        }
        return a;
    }

    /** An object schema under construction: properties in insertion order, required-ness per property. */
    private static final class Obj {
        private final String description;
        private final Map<String, Object> properties = new LinkedHashMap<>(); // ObjectNode leaf or Obj
        private final Map<String, Boolean> requiredLeaves = new LinkedHashMap<>();
        private ObjectNode extra;
        private boolean required;

        Obj(String description) {
            this.description = description;
        }

        Obj object(String name, String objectDescription) {
            Object existing = properties.get(name);
            if (existing instanceof Obj o) {
                return o;
            }
            Obj o = new Obj(objectDescription);
            properties.put(name, o);
            return o;
        }

        /** Adds or completes a leaf; a leaf already declared keeps its place and its required flag. */
        void leaf(String name, ObjectNode schema, boolean isRequired) {
            Object existing = properties.get(name);
            properties.put(name, schema == null && existing != null ? existing : schema);
            requiredLeaves.merge(name, isRequired, Boolean::logicalOr);
        }

        boolean isRequired() {
            if (required) {
                return true;
            }
            for (Map.Entry<String, Object> e : properties.entrySet()) {
                if (e.getValue() instanceof Obj o ? o.isRequired() : requiredLeaves.get(e.getKey())) {
                    return true;
                }
            }
            return false;
        }

        void renderInto(ObjectNode out) {
            out.put("type", "object");
            if (description != null) {
                out.put("description", description);
            }
            ObjectNode props = out.putObject("properties");
            ArrayNode req = NODES.arrayNode();
            for (Map.Entry<String, Object> e : properties.entrySet()) {
                String name = e.getKey();
                if (e.getValue() instanceof Obj o) {
                    o.renderInto(props.putObject(name));
                    if (o.isRequired()) {
                        req.add(name);
                    }
                } else {
                    if (e.getValue() == null) {
                        throw new IllegalStateException("property " + name + " was declared but never defined");
                    }
                    props.set(name, (ObjectNode) e.getValue());
                    if (requiredLeaves.get(name)) {
                        req.add(name);
                    }
                }
            }
            if (!req.isEmpty()) {
                out.set("required", req);
            }
            out.put("additionalProperties", false);
            if (extra != null) {
                out.setAll(extra);
            }
        }
    }
}
