package cn.bazhong.credit.gateway.mapping;

import cn.bazhong.credit.gateway.mapping.source.SourceRecord;
import cn.bazhong.credit.gateway.schema.CanonicalField;
import cn.bazhong.credit.gateway.schema.CreditRecord;
import cn.bazhong.credit.gateway.schema.FieldType;
import cn.bazhong.credit.gateway.schema.Provenance;
import cn.bazhong.credit.gateway.schema.Subject;
import cn.bazhong.credit.gateway.validation.Checked;
import cn.bazhong.credit.gateway.validation.Rule;
import cn.bazhong.credit.gateway.validation.Text;

import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;

import static cn.bazhong.credit.gateway.mapping.RecordDraft.RECORD_PROBLEM;
import static cn.bazhong.credit.gateway.mapping.RecordDraft.VALUE_PROBLEM;

/**
 * Applies one mapping to source records. Each record is handled on its own: a broken record
 * becomes a {@link MappingResult.Rejected} naming the field (as the source calls it) and the rule,
 * and never affects the records around it. Thread-safe: one mapper can serve many threads.
 */
public final class RecordMapper {

    private static final String RECORD = "(record)";

    private final MappingDefinition mapping;
    private final Clock clock;

    public RecordMapper(MappingDefinition mapping, Clock clock) {
        this.mapping = mapping;
        this.clock = clock;
    }

    public MappingDefinition mapping() {
        return mapping;
    }

    /**
     * Maps one record.
     *
     * @param provenance where the record came from; its position is replaced by the record's own
     */
    public MappingResult map(SourceRecord source, Provenance provenance) {
        long position = source.position();
        if (source.syntaxError() != null) {
            return new MappingResult.Rejected(position, List.of(new Violation(RECORD, Rule.SYNTAX, source.syntaxError())));
        }
        RecordDraft draft = new RecordDraft();
        List<Deferred> derived = null;
        for (FieldMapping field : mapping.fields()) {
            FieldSource chosen = choose(field, source);
            if (field.field() != null) {
                draft.declare(field.field(), field.reportedName(), field.order());
            }
            if (chosen == null) {
                continue;
            }
            if (chosen.derive() != null) {
                if (derived == null) {
                    derived = new ArrayList<>(2);
                }
                derived.add(new Deferred(field, chosen));
            } else {
                read(field, chosen, source, draft);
            }
        }
        if (derived != null) {
            for (Deferred d : derived) {
                derive(d.field(), d.source(), draft);
            }
        }
        LocalDate today = LocalDate.now(clock);
        RecordRules.check(draft, mapping.kind(), today);
        String businessKey = draft.hasProblems() ? null : businessKey(source, draft);
        if (draft.hasProblems()) {
            String key = identity(source, draft);
            return new MappingResult.Rejected(position, draft.violations(),
                    key == null ? null : CreditRecord.recordId(mapping.department(), mapping.kind(), key));
        }
        CreditRecord record = RecordAssembler.assemble(mapping.department(), mapping.kind(), businessKey, draft,
                provenance.withPosition(position));
        return new MappingResult.Accepted(position, record);
    }

    private record Deferred(FieldMapping field, FieldSource source) {
    }

    private static FieldSource choose(FieldMapping field, SourceRecord source) {
        for (FieldSource s : field.alternatives()) {
            if (s.when() == null || s.when().holds(source)) {
                return s;
            }
        }
        return null;
    }

    private void read(FieldMapping field, FieldSource s, SourceRecord source, RecordDraft draft) {
        String raw = null;
        String sourceName = null;
        if (s.constant() != null) {
            raw = s.constant();
        } else if (field.field() != null && field.field().type() == FieldType.PENALTY_KINDS && s.from().size() > 1) {
            raw = joinAll(s.from(), source, s.separators());
            sourceName = s.labels().get(0);
        } else {
            List<String> names = s.from();
            for (int i = 0; i < names.size(); i++) {
                String v = source.get(names.get(i));
                if (!Text.isBlank(v)) { // ValueNormaliser cleans the value; here only test that something is left
                    raw = v;
                    sourceName = s.labels().get(i);
                    break;
                }
            }
        }
        if (raw == null) {
            raw = s.fallback();
        }
        if (raw == null) {
            return;
        }
        CanonicalField target = field.field();
        String reported = sourceName != null ? sourceName : field.path();
        if (target != null && sourceName != null) {
            draft.usedSource(target, sourceName);
        }
        if (Text.hasReplacementChar(raw)) {
            fail(draft, field, reported, Rule.ENCODING,
                    "holds bytes that are not valid " + mapping.source().charset().name() + " text");
            return;
        }
        int control = Text.controlCharIndex(raw);
        if (control >= 0) {
            fail(draft, field, reported, Rule.CONTROL_CHAR, "holds the control character " + Text.codePoint(raw.charAt(control))
                    + " at character " + (control + 1) + "; only tab, line feed and carriage return are allowed in a value");
            return;
        }
        if (s.extract() != null) {
            Matcher m = s.extract().matcher(raw);
            if (!m.find() || Text.isBlank(m.group(1))) {
                return; // nothing to extract: the field stays empty and the required rules speak
            }
            raw = m.group(1);
        }
        if (s.table() != null) {
            String key = Text.halfWidth(Text.clean(raw));
            String mapped = s.table().lookup(key);
            if (mapped != null) {
                raw = mapped;
            } else if (s.strict()) {
                fail(draft, field, reported, Rule.ENUM,
                        "'" + key + "' is not one of " + String.join(", ", s.table().entries().keySet()));
                return;
            }
        }
        Checked<Object> checked = target == null
                ? ValueNormaliser.attribute(raw)
                : ValueNormaliser.normalise(target, raw, s.separators(), s.unit());
        if (!checked.isOk()) {
            fail(draft, field, reported, checked.rule(), checked.message());
        } else if (target == null) {
            draft.putAttribute(field.attribute(), (String) checked.value());
        } else {
            draft.put(target, checked.value());
        }
    }

    /** A list field fed by several source fields (处罚类别1, 处罚类别2) takes the values of all of them. */
    private static String joinAll(List<String> names, SourceRecord source, String separators) {
        String separator = String.valueOf((separators == null ? ValueNormaliser.DEFAULT_SEPARATORS : separators).charAt(0));
        StringBuilder all = new StringBuilder();
        for (String name : names) {
            String v = Text.clean(source.get(name));
            if (v != null) {
                if (all.length() > 0) {
                    all.append(separator);
                }
                all.append(v);
            }
        }
        return all.length() == 0 ? null : all.toString();
    }

    private static void fail(RecordDraft draft, FieldMapping field, String reported, Rule rule, String message) {
        if (field.field() != null) {
            draft.problem(field.field(), VALUE_PROBLEM, rule, message);
        } else {
            draft.problem(reported, VALUE_PROBLEM, field.order(), rule, message);
        }
    }

    private static void derive(FieldMapping field, FieldSource s, RecordDraft draft) {
        CanonicalField target = field.field();
        if (s.derive() instanceof Derivation.DateOffset o) {
            LocalDate from = draft.date(o.from());
            if (from != null) {
                draft.put(target, from.plus(o.period()));
            } else if (draft.isFailed(o.from())) {
                draft.problem(target, RECORD_PROBLEM, Rule.REQUIRED, "cannot be derived because " + draft.nameOf(o.from()) + " is invalid");
            }
            return;
        }
        // CategoryFromIdentifiers
        if (draft.isFailed(CanonicalField.SUBJECT_USCC) || draft.isFailed(CanonicalField.SUBJECT_ID_NUMBER)) {
            draft.unknowable(target); // the invalid identifier is reported already
            return;
        }
        String uscc = draft.string(CanonicalField.SUBJECT_USCC);
        if (uscc != null) {
            draft.put(target, uscc.startsWith("92") ? Subject.INDIVIDUAL_BUSINESS : Subject.ORGANISATION);
        } else if (draft.has(CanonicalField.SUBJECT_ID_NUMBER)) {
            draft.put(target, Subject.PERSON);
        }
    }

    private String businessKey(SourceRecord source, RecordDraft draft) {
        KeyTemplate t = applicableKey(source);
        if (t == null) {
            draft.problem(RECORD, RECORD_PROBLEM, Integer.MAX_VALUE, Rule.REQUIRED, "no businessKey template of the mapping applies to this record");
            return null;
        }
        return keyOf(t, p -> {
            String value = reference(p.reference(), draft);
            if (value == null) {
                missingKeyPart(p.reference(), t, draft);
            }
            return value;
        });
    }

    /**
     * The business key of a rejected record when every value it is made of was read without a problem,
     * else null. Reports nothing: the record's problems are known already.
     */
    private String identity(SourceRecord source, RecordDraft draft) {
        KeyTemplate t = applicableKey(source);
        return t == null ? null : keyOf(t, p -> {
            CanonicalField f = CanonicalField.byPath(p.reference());
            String value = reference(p.reference(), draft);
            return value == null || value.isBlank() || (f != null && draft.isFailed(f)) ? null : value;
        });
    }

    /** The first business-key template whose condition the record meets, or null. */
    private KeyTemplate applicableKey(SourceRecord source) {
        for (KeyTemplate t : mapping.businessKey()) {
            if (t.when() == null || t.when().holds(source)) {
                return t;
            }
        }
        return null;
    }

    /** The key {@code t} makes, each referenced part from {@code value}; null as soon as a part is null. */
    private static String keyOf(KeyTemplate t, java.util.function.Function<KeyTemplate.Part, String> value) {
        StringBuilder key = new StringBuilder();
        for (KeyTemplate.Part p : t.parts()) {
            String part = p.literal() != null ? p.literal() : value.apply(p);
            if (part == null) {
                return null;
            }
            key.append(part);
        }
        return key.toString();
    }

    private static String reference(String path, RecordDraft draft) {
        if (path.startsWith(CanonicalField.ENTRY_ATTRIBUTE_PREFIX)) {
            return draft.attributes().get(path.substring(CanonicalField.ENTRY_ATTRIBUTE_PREFIX.length()));
        }
        return draft.string(CanonicalField.byPath(path));
    }

    private void missingKeyPart(String path, KeyTemplate t, RecordDraft draft) {
        String message = "is required: the business key " + t.text() + " needs it";
        CanonicalField f = CanonicalField.byPath(path);
        if (f != null) {
            draft.problem(f, RECORD_PROBLEM, Rule.REQUIRED, message);
            return;
        }
        for (FieldMapping fm : mapping.fields()) {
            if (fm.path().equals(path)) {
                draft.problem(fm.reportedName(), RECORD_PROBLEM, fm.order(), Rule.REQUIRED, message);
                return;
            }
        }
        draft.problem(path, RECORD_PROBLEM, Integer.MAX_VALUE, Rule.REQUIRED, message);
    }
}
