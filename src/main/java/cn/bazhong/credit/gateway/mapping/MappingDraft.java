package cn.bazhong.credit.gateway.mapping;

import cn.bazhong.credit.gateway.mapping.source.SourceFormat;
import cn.bazhong.credit.gateway.mapping.source.SourceRecord;
import cn.bazhong.credit.gateway.mapping.source.SourceSpec;
import cn.bazhong.credit.gateway.schema.CanonicalField;
import cn.bazhong.credit.gateway.schema.FieldType;
import cn.bazhong.credit.gateway.schema.RecordKind;
import cn.bazhong.credit.gateway.validation.Amounts;
import cn.bazhong.credit.gateway.validation.Checked;
import cn.bazhong.credit.gateway.validation.Dates;
import cn.bazhong.credit.gateway.validation.IdNumbers;
import cn.bazhong.credit.gateway.validation.Uscc;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A first mapping file drafted from a sample of a department's input ({@code mapping draft}): the fields
 * the sample holds, what their values look like (dates and their style, credit codes, ID numbers, amounts,
 * small sets of values, text), the fields of the shared schema they match by name or synonym
 * ({@link FieldSynonyms}), and the values that would break a field's rules. Every guess is written with a
 * comment, every gap with a {@code TODO} for the integrator. A field the kind requires and the sample does not
 * give is filled with a placeholder source field {@code TODO-<field>} (the loader accepts it; every record
 * is then rejected as {@code required} until it is replaced), so the draft loads as it is written.
 *
 * <p>Sample values shown in comments never hold a full ID number, and names of persons are not shown.
 */
public final class MappingDraft {

    /** Distinct values up to which a field is shown as a set ("one of …"). */
    private static final int FEW_VALUES = 8;
    private static final Pattern ID_NUMBER = Pattern.compile("\\d{17}[\\dXx]|\\d{15}");
    private static final Pattern NUMBER = Pattern.compile("-?[\\d,]+(\\.\\d+)?\\s*(万元|元)?");
    private static final Pattern PLAIN_NAME = Pattern.compile("[\\p{L}\\p{N}_][\\p{L}\\p{N}_.\\-（）()、]*");
    private static final Pattern ATTRIBUTE = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");
    private static final Set<CanonicalField> PERSONAL_NAMES = Set.of(CanonicalField.SUBJECT_NAME, CanonicalField.LEGAL_REP_NAME);

    /** What a draft found: the file's text and the counts the command reports. */
    public record Draft(String yaml, int sourceFields, int matched, List<String> todo, long recordsRead, long unreadable) {
    }

    private MappingDraft() {
    }

    /**
     * Drafts the mapping {@code id} for the records of a sample.
     *
     * @param sourceLines the {@code source:} block's lines, as detected ({@code format: csv}, {@code encoding: GBK} …)
     * @param origin      where the sample came from, for the header comment
     */
    public static Draft draft(String id, String department, RecordKind kind, SourceSpec spec, List<String> sourceLines,
                              Iterator<SourceRecord> records, String origin) {
        Map<String, Profile> profiles = new LinkedHashMap<>();
        long read = 0;
        long unreadable = 0;
        String firstProblem = null;
        while (records.hasNext()) {
            SourceRecord r = records.next();
            read++;
            if (r.syntaxError() != null) {
                unreadable++;
                if (firstProblem == null) {
                    firstProblem = "at " + r.position() + ": " + r.syntaxError();
                }
                continue;
            }
            for (String name : r.fieldNames()) {
                profiles.computeIfAbsent(name, Profile::new).add(r.get(name));
            }
        }
        Map<CanonicalField, Profile> matches = match(profiles, kind);
        Set<Profile> used = new LinkedHashSet<>(matches.values());

        StringBuilder y = new StringBuilder();
        List<String> todo = new ArrayList<>();
        line(y, "# Draft of " + id + " written by `mapping draft` from " + clean(origin) + " (" + read + " records read"
                + (unreadable > 0 ? ", " + unreadable + " could not be read" : "") + ").");
        line(y, "# TODO: confirm every field below, fill in each TODO, then run `mapping check --mapping <this file> --input <a real file>`.");
        if (firstProblem != null) {
            line(y, "# TODO: the first record that could not be read, " + clean(IdNumbers.maskAll(firstProblem)));
        }
        line(y, "id: " + id);
        line(y, "version: 1");
        line(y, "department: " + department);
        line(y, "kind: " + kind);
        if (kind == RecordKind.LIST_ENTRY) {
            line(y, "# snapshot: true   # TODO: set it when every file is the department's complete current list (docs/mappings.md)");
        }
        line(y, "source:");
        sourceLines.forEach(l -> line(y, "  " + l));
        line(y, "fields:");
        for (CanonicalField field : FieldSynonyms.fieldsOf(kind)) {
            Profile p = matches.get(field);
            if (p != null) {
                field(y, field, p, kind, todo);
            } else if (field.requiredIn(kind)) {
                missing(y, field, kind, todo);
            }
        }
        businessKey(y, kind, matches, todo);
        List<Profile> rest = profiles.values().stream().filter(p -> !used.contains(p)).toList();
        if (!rest.isEmpty()) {
            line(y, "");
            line(y, "# Source fields not matched to a field of the shared schema (map them above, or leave them out):");
            for (Profile p : rest) {
                String hint = kind == RecordKind.LIST_ENTRY && ATTRIBUTE.matcher(p.name).matches()
                        ? "   (or keep it as entry.attributes." + p.name + ")" : "";
                line(y, "#   " + p.name + ": " + p.describe(false) + hint);
            }
        }
        return new Draft(y.toString(), profiles.size(), matches.size(), List.copyOf(todo), read, unreadable);
    }

    /** Each canonical field gets the source field that matches it best, each source field one canonical field at most. */
    private static Map<CanonicalField, Profile> match(Map<String, Profile> profiles, RecordKind kind) {
        record Candidate(int score, int source, int target, Profile profile, CanonicalField field) {
        }
        List<Candidate> candidates = new ArrayList<>();
        int s = 0;
        for (Profile p : profiles.values()) {
            int t = 0;
            for (CanonicalField f : FieldSynonyms.fieldsOf(kind)) {
                int score = FieldSynonyms.match(p.name, f, kind);
                if (score > 0) {
                    candidates.add(new Candidate(score, s, t, p, f));
                }
                t++;
            }
            s++;
        }
        candidates.sort(Comparator.comparingInt(Candidate::score).reversed().thenComparingInt(Candidate::source).thenComparingInt(Candidate::target));
        Map<CanonicalField, Profile> out = new HashMap<>();
        Set<Profile> taken = new java.util.HashSet<>();
        for (Candidate c : candidates) {
            if (!out.containsKey(c.field()) && !taken.contains(c.profile())) {
                out.put(c.field(), c.profile());
                taken.add(c.profile());
            }
        }
        return out;
    }

    private static void field(StringBuilder y, CanonicalField field, Profile p, RecordKind kind, List<String> todo) {
        line(y, "  # " + FieldSynonyms.label(field) + " ← " + p.name + ": " + p.describe(PERSONAL_NAMES.contains(field)));
        Amounts.Unit unit = null;
        String unitWhy = null;
        if (field.type() == FieldType.AMOUNT) {
            if (p.name.contains("万元")) {
                unit = Amounts.Unit.WAN;
                unitWhy = "the name says 万元";
            } else if (p.name.contains("元")) {
                unit = Amounts.Unit.YUAN;
                unitWhy = "the name says 元";
            } else {
                unit = p.typicalAmount() >= 100 ? Amounts.Unit.YUAN : Amounts.Unit.WAN;
                unitWhy = "TODO: guessed from the size of the values; check whether the department writes 元 or 万元";
                todo.add(field.path() + ": unit");
            }
        }
        String separators = null;
        if (field.type() == FieldType.PENALTY_KINDS && p.values.stream().anyMatch(v -> v.matches(".*[；;、,，/].*"))) {
            separators = "；;、,，/";
        }
        List<String> broken = new ArrayList<>();
        long breaking = 0;
        String rule = null;
        for (String v : p.values) {
            Checked<Object> c = ValueNormaliser.normalise(field, v, separators, unit);
            if (!c.isOk()) {
                breaking += p.counts.get(v);
                rule = rule == null ? c.rule().code() : rule;
                if (broken.size() < 3) {
                    broken.add(v);
                }
            }
        }
        if (breaking > 0) {
            String hint = switch (field.type()) {
                case SUBJECT_CATEGORY, ID_TYPE, LICENCE_CATEGORY, LIST_CATEGORY, LIST_STATUS, PENALTY_KINDS ->
                        "add a table: source value → the schema's value (docs/mappings.md)";
                case DATE -> "the gateway reads yyyy-M-d, yyyy/M/d, yyyy.M.d, yyyy年M月d日 and yyyyMMdd";
                default -> "check the field, or map another one";
            };
            line(y, "  # TODO: " + breaking + " of " + p.nonEmpty + " sample values break rule " + rule + " (e.g. "
                    + examples(broken, PERSONAL_NAMES.contains(field)) + "): " + hint);
            todo.add(field.path() + ": values break " + rule);
        }
        String name = yamlScalar(p.name);
        if (unit == null && separators == null) {
            line(y, "  " + field.path() + ": " + name);
            return;
        }
        line(y, "  " + field.path() + ":");
        line(y, "    from: " + name);
        if (unit != null) {
            line(y, "    unit: " + (unit == Amounts.Unit.YUAN ? "yuan" : "wan") + "   # " + unitWhy);
        }
        if (separators != null) {
            line(y, "    split: \"" + separators + "\"   # values hold several kinds");
        }
    }

    private static void missing(StringBuilder y, CanonicalField field, RecordKind kind, List<String> todo) {
        if (field == CanonicalField.SUBJECT_CATEGORY) {
            line(y, "  # TODO: no source field for 行政相对人类别; derived from the identifiers until you name one");
            line(y, "  subject.category:");
            line(y, "    derive: category-from-identifiers");
            todo.add(field.path() + ": derived");
            return;
        }
        String hint = switch (field) {
            case PENALTY_SOURCE_NAME, PENALTY_SOURCE_USCC, LICENCE_SOURCE_NAME, LICENCE_SOURCE_USCC ->
                    "usually the department itself: replace the line with `value: <its name or credit code>`";
            case ENTRY_LIST_TYPE -> "the catalog's list type, e.g. `value: COURT_DEFAULTER` (config/catalog.yaml)";
            case ENTRY_CATEGORY -> "`value: BLACK`, `RED` or `ATTENTION`";
            default -> "name the source field, or give `value: <a constant>`";
        };
        line(y, "  # TODO: " + FieldSynonyms.label(field) + " is required in every " + kind + " record and no source field matched: " + hint);
        line(y, "  " + field.path() + ": TODO-" + field.path());
        todo.add(field.path() + ": no source field");
    }

    private static void businessKey(StringBuilder y, RecordKind kind, Map<CanonicalField, Profile> matches, List<String> todo) {
        if (kind != RecordKind.LIST_ENTRY) {
            line(y, "# business key: the schema's default for " + kind + " ("
                    + (kind == RecordKind.ADMIN_PENALTY ? "{penalty.authority.uscc}:{penalty.decisionNo}" : "{licence.authority.uscc}:{licence.decisionNo}") + ")");
            return;
        }
        if (matches.containsKey(CanonicalField.ENTRY_DOCUMENT_NO)) {
            line(y, "# TODO: the business key must tell two entries of the list apart; the document number usually does");
        } else {
            line(y, "# TODO: the business key must tell two entries of the list apart: no document number was found, choose the fields");
        }
        todo.add("businessKey");
        line(y, "businessKey: \"{entry.listType}:{entry.documentNo}\"");
    }

    /** What a sample says about one source field. */
    private static final class Profile {
        final String name;
        final Map<String, Long> counts = new LinkedHashMap<>();
        final Set<String> values = counts.keySet();
        long nonEmpty;
        long dates;
        final Map<String, Long> dateStyles = new LinkedHashMap<>();
        long usccs;
        long idNumbers;
        long numbers;
        final List<BigDecimal> amounts = new ArrayList<>();
        int maxLength;

        Profile(String name) {
            this.name = name;
        }

        void add(String raw) {
            if (raw == null || raw.isBlank()) {
                return;
            }
            String v = raw.strip();
            nonEmpty++;
            maxLength = Math.max(maxLength, v.length());
            if (counts.size() < 1000 || counts.containsKey(v)) {
                counts.merge(v, 1L, Long::sum);
            }
            if (Dates.parse(v).isOk()) {
                dates++;
                dateStyles.merge(dateStyle(v), 1L, Long::sum);
            }
            if (v.length() == 18 && Uscc.check(v).isOk()) {
                usccs++;
            }
            if (ID_NUMBER.matcher(v).matches()) {
                idNumbers++;
            }
            if (NUMBER.matcher(v).matches()) {
                numbers++;
                try {
                    amounts.add(new BigDecimal(v.replaceAll("[,\\s万元]", "")));
                } catch (NumberFormatException ignored) {
                    // counted as a number, not as an amount
                }
            }
        }

        double typicalAmount() {
            if (amounts.isEmpty()) {
                return 0;
            }
            List<BigDecimal> sorted = amounts.stream().sorted().toList();
            return sorted.get(sorted.size() / 2).doubleValue();
        }

        /** E.g. {@code dates written yyyy/MM/dd (in 40 of 40 records)}, {@code text up to 38 characters, e.g. 'a', 'b'}. */
        String describe(boolean personal) {
            if (nonEmpty == 0) {
                return "empty in every sample record";
            }
            String share = " (" + nonEmpty + " non-empty)";
            if (dates == nonEmpty) {
                return "dates written " + String.join(" or ", dateStyles.keySet()) + share;
            }
            if (usccs == nonEmpty) {
                return "统一社会信用代码" + share;
            }
            if (idNumbers == nonEmpty) {
                return "ID numbers (not shown)" + share;
            }
            if (usccs * 10 >= nonEmpty * 8) {
                return "统一社会信用代码 (" + usccs + " pass the GB 32100 check)" + share;
            }
            if (usccs + idNumbers == nonEmpty) {
                return "统一社会信用代码 or ID numbers (" + usccs + " codes, " + idNumbers + " ID numbers)" + share;
            }
            if (numbers == nonEmpty) {
                return "numbers, e.g. " + examples(values.stream().limit(3).toList(), false) + share;
            }
            if (dates > 0) {
                return "mostly dates (" + dates + " of " + nonEmpty + "), others e.g. "
                        + examples(values.stream().filter(v -> !Dates.parse(v).isOk()).limit(3).toList(), personal) + share;
            }
            if (counts.size() <= FEW_VALUES && nonEmpty > counts.size() && maxLength <= 20) {
                return "one of " + examples(List.copyOf(values), personal) + share;
            }
            return "text up to " + maxLength + " characters" + (personal ? "" : ", e.g. " + examples(values.stream().limit(2).toList(), false)) + share;
        }
    }

    private static String dateStyle(String v) {
        String d = v.strip();
        String time = "";
        Pattern withTime = Pattern.compile("(.*?)[ T](\\d{1,2}:\\d{2}(:\\d{2})?).*");
        var m = withTime.matcher(d);
        if (m.matches()) {
            d = m.group(1);
            time = m.group(3) != null ? " HH:mm:ss" : " HH:mm";
        }
        String style;
        if (d.matches("\\d{8}")) {
            style = "yyyyMMdd";
        } else if (d.contains("年")) {
            style = "yyyy年M月d日";
        } else {
            char sep = d.length() > 4 ? d.charAt(4) : '-';
            boolean padded = d.matches("\\d{4}.\\d{2}.\\d{2}");
            style = padded ? "yyyy" + sep + "MM" + sep + "dd" : "yyyy" + sep + "M" + sep + "d";
        }
        return style + time;
    }

    private static String examples(List<String> values, boolean personal) {
        if (personal) {
            return "names not shown";
        }
        List<String> shown = new ArrayList<>();
        for (String v : values) {
            String masked = IdNumbers.maskAll(v);
            shown.add("'" + clean(masked.length() > 40 ? masked.substring(0, 40) + "…" : masked) + "'");
        }
        return String.join(", ", shown);
    }

    /** Text that can stand in a comment: one line. */
    private static String clean(String s) {
        return s.replaceAll("[\\r\\n\\t]+", " ");
    }

    /** A source field name as a YAML scalar: plain when it can be, else double-quoted. */
    static String yamlScalar(String name) {
        if (PLAIN_NAME.matcher(name).matches() && !name.matches("(?i)true|false|yes|no|on|off|null|~|-?\\d.*")) {
            return name;
        }
        return "\"" + name.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static void line(StringBuilder y, String text) {
        y.append(text).append('\n');
    }

    /** The {@code source:} lines for a spec, as a mapping file writes them. */
    public static List<String> sourceLines(SourceSpec spec) {
        List<String> out = new ArrayList<>();
        out.add("format: " + spec.format().id());
        if (spec.format() != SourceFormat.ROWS) {
            out.add("encoding: " + (spec.charset().equals(StandardCharsets.UTF_8) ? "UTF-8" : spec.charset().name()));
        }
        if (spec.format() == SourceFormat.CSV) {
            out.add("delimiter: \"" + (spec.delimiter() == '\t' ? "\\t" : String.valueOf(spec.delimiter())) + "\"");
            out.add("header: true");
        }
        if (spec.format() == SourceFormat.XML) {
            out.add("recordElement: " + yamlScalar(spec.recordElement()));
            if (spec.namespace() != null && !spec.namespace().isEmpty()) {
                out.add("namespace: \"" + spec.namespace() + "\"");
            }
        }
        if (spec.flatten()) {
            out.add("flatten: true   # nested objects are read as dotted names");
        }
        return out;
    }
}
