package cn.bazhong.credit.gateway.web;

import cn.bazhong.credit.gateway.catalog.Catalog;
import cn.bazhong.credit.gateway.catalog.Measure;
import cn.bazhong.credit.gateway.lists.EntryState;
import cn.bazhong.credit.gateway.lists.ListView;
import cn.bazhong.credit.gateway.lists.SubjectKeys;
import cn.bazhong.credit.gateway.lists.SubjectRecord;
import cn.bazhong.credit.gateway.lists.SubjectRecords;
import cn.bazhong.credit.gateway.measures.CheckLog;
import cn.bazhong.credit.gateway.privacy.PersonalFields;
import cn.bazhong.credit.gateway.schema.Commitment;
import cn.bazhong.credit.gateway.schema.ListCategory;
import cn.bazhong.credit.gateway.schema.Party;
import cn.bazhong.credit.gateway.schema.PersonalData;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The checks an approval clerk's system makes while handling an application, from the local views (no
 * network hop on the hot path):
 * <ul>
 *   <li>{@code GET /api/v1/subjects/{code}/measures?matter=}: the subject's active list entries and the
 *       catalog measures the asking department applies for that matter, each with its legal basis;</li>
 *   <li>{@code GET /api/v1/subjects/{code}/credit?matter=}: the same, and the subject's penalties and
 *       licences of the last years (双公示 records, with source and date), and whether it has any adverse
 *       record in that time (for the green channel's 连续三年无不良信用记录);</li>
 *   <li>{@code POST /api/v1/subjects/check}: the credit answer for many codes, in their order.</li>
 * </ul>
 * An unknown subject gets an empty answer; a code that is neither a valid credit code nor a valid ID
 * number gets 400 naming the rule (in a batch: that line's answer says so). Every check a department
 * makes is recorded in the {@link CheckLog} for the supervision report; an operator's look, even on a
 * department's behalf ({@code ?department=}), is not a check at a counter and is not counted. Served by {@link CheckApiController}.
 */
public class SubjectMeasuresHandler {

    private final ListView view;
    private final SubjectKeys keys;
    /** The catalog in use; each answer takes it once, so its measures, version and regions come from one version. */
    private final Supplier<Catalog> catalogs;
    private final Clock clock;
    private final SubjectRecords records;
    private final CheckLog checks;
    private final PersonalFields personal;

    public SubjectMeasuresHandler(ListView view, SubjectKeys keys, Catalog catalog, Clock clock, SubjectRecords records, CheckLog checks) {
        this(view, keys, () -> catalog, clock, records, checks, PersonalFields.CLEAR);
    }

    /** @param personal opens the sealed names and numbers of the persons behind an organisation, to show them (numbers masked) */
    public SubjectMeasuresHandler(ListView view, SubjectKeys keys, Supplier<Catalog> catalogs, Clock clock, SubjectRecords records,
                                  CheckLog checks, PersonalFields personal) {
        this.personal = personal;
        this.view = view;
        this.keys = keys;
        this.catalogs = catalogs;
        this.clock = clock;
        this.records = records;
        this.checks = checks;
    }

    public SubjectMeasuresHandler(ListView view, SubjectKeys keys, Catalog catalog, Clock clock) {
        this(view, keys, catalog, clock, null, null);
    }

    /**
     * The answer to one check, or an {@link HttpProblem} (400 for a code that breaks its rule). Knows
     * nothing of the HTTP server in front of it.
     *
     * @param department the asking department, whose measures are answered; null for none (entries only)
     * @param raw        the subject code from the path, decoded
     */
    public Map<String, Object> check(String department, String raw, String matter) {
        return check(department, raw, matter, department != null);
    }

    /** @param counted whether this is a department's check at its counter (recorded), not an operator's look */
    public Map<String, Object> check(String department, String raw, String matter, boolean counted) {
        Answer a = answer(department, SubjectCode.parse(raw, keys, LocalDate.now(clock)), matter, false);
        record(counted, List.of(a.check(null)));
        return a.body();
    }

    /** {@code /credit}: the check's answer with the subject's penalties and licences of the kept years. */
    public Map<String, Object> credit(String department, String raw, String matter, boolean counted) {
        Answer a = answer(department, SubjectCode.parse(raw, keys, LocalDate.now(clock)), matter, true);
        record(counted, List.of(a.check(null)));
        return a.body();
    }

    /**
     * The credit answers for {@code codes}, handed to {@code each} in the order of the codes as they are
     * computed (the caller streams them); a code that breaks its rule gets a line saying so. The checks
     * are recorded together, as one batch, once all are answered.
     */
    public void creditMany(String department, List<String> codes, String matter, boolean counted, Consumer<Map<String, Object>> each) {
        LocalDate today = LocalDate.now(clock);
        String batch = java.util.UUID.randomUUID().toString();
        List<CheckLog.Check> done = new ArrayList<>(codes.size());
        try {
            for (int i = 0; i < codes.size(); i++) {
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("line", i + 1);
                try {
                    Answer a = answer(department, SubjectCode.parse(codes.get(i), keys, today), matter, true);
                    done.add(a.check(batch));
                    line.putAll(a.body());
                } catch (HttpProblem p) {
                    Map<String, Object> error = new LinkedHashMap<>();
                    error.put("status", p.status());
                    error.put("type", p.kind());
                    error.put("detail", p.getMessage());
                    error.putAll(p.details());
                    line.put("error", error);
                }
                each.accept(line);
            }
        } finally {
            record(counted, done);
        }
    }

    private void record(boolean counted, List<CheckLog.Check> done) {
        if (counted && checks != null && !done.isEmpty()) {
            checks.record(done);
        }
    }

    /** One subject's answer, and the check it makes. */
    private record Answer(Map<String, Object> body, Instant at, String department, String matter, String subject, boolean hit,
                          List<String> listTypes, List<String> measures) {
        CheckLog.Check check(String batch) {
            return new CheckLog.Check(at, department, matter, subject, hit, listTypes, measures, batch);
        }
    }

    private Answer answer(String department, SubjectCode code, String matter, boolean withRecords) {
        Catalog catalog = catalogs.get();
        LocalDate today = LocalDate.now(clock);
        List<EntryState> all = new ArrayList<>();
        for (String key : code.keys()) { // an ID number that reads as a credit code too: the entries of either
            all.addAll(view.entriesOf(key));
        }
        List<EntryState> active = all.stream().filter(e -> e.activeOn(today)).toList();
        Set<String> listTypes = new TreeSet<>();
        Set<String> linkedListTypes = new TreeSet<>();
        active.forEach(e -> (e.linkedToOrganisation() == null ? listTypes : linkedListTypes).add(e.listType()));
        List<Map<String, Object>> measures = new ArrayList<>();
        List<Measure> applicable = department == null ? List.of() : catalog.applicable(listTypes, linkedListTypes, department, matter);
        for (Measure m : applicable) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("measureId", m.id());
            d.put("type", m.type().name());
            d.put("content", m.content());
            d.put("legalBasis", m.legalBasis());
            d.put("listedBy", m.listedBy());
            d.put("triggeredBy", m.triggers().stream().filter(t -> listTypes.contains(t) || linkedListTypes.contains(t)).toList());
            d.put("evidence", m.evidence());
            d.put("duration", m.duration());
            measures.add(d);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("subject", code.shown());
        body.put("department", department);
        body.put("matter", matter);
        body.put("catalogVersion", catalog.version());
        body.put("entries", active.stream().map(e -> entryView(e, catalog)).toList());
        body.put("measures", measures);
        if (withRecords && records != null) {
            records(body, code.keys(), all, today, catalog);
        }
        Set<String> hitTypes = new TreeSet<>(listTypes);
        hitTypes.addAll(linkedListTypes);
        return new Answer(body, Instant.now(clock), department, matter, code.shown(), !active.isEmpty(), List.copyOf(hitTypes),
                applicable.stream().map(Measure::id).toList());
    }

    /** An active entry as answers show it: with its region and, for an organisation's black-list entry, the persons behind it. */
    private Map<String, Object> entryView(EntryState e, Catalog catalog) {
        Map<String, Object> v = new LinkedHashMap<>(e.publicView(false));
        v.put("region", catalog.regionOfDecision(e.decidedByUscc(), e.listType())); // 行政区划代码 of the deciding unit
        List<Map<String, Object>> persons = persons(e);
        if (!persons.isEmpty()) {
            v.put("persons", persons);
        }
        return v;
    }

    /**
     * The persons behind an organisation's black-list entry (plan item 15), as the source named them: role,
     * name, and the ID number masked with the id of the entry kept against that person; or {@code nameOnly:
     * true} when the source gave a name alone (the court's 法定代表人): such a person is answered only with
     * the organisation, never found by the name.
     */
    private List<Map<String, Object>> persons(EntryState e) {
        if (e.category() != ListCategory.BLACK || e.linkedToOrganisation() != null || e.subject() == null || e.subject().isPerson()) {
            return List.of();
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map.Entry<String, Party> p : e.subject().persons().entrySet()) {
            Party person = p.getValue();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("role", p.getKey());
            m.put("name", personal.open(PersonalFields.NAME, person.name()));
            if (person.hasIdNumber()) {
                m.put("idNumber", PersonalData.mask(personal.open(PersonalFields.ID_NUMBER, person.idNumber())));
                m.put("linkedEntry", e.recordId() + "#" + p.getKey());
            } else {
                m.put("nameOnly", true);
            }
            m.values().removeIf(java.util.Objects::isNull);
            out.add(m);
        }
        return out;
    }

    /**
     * {@code GET /api/v1/subjects/{code}/persons?name=}: whether a person of that name is named behind the
     * organisation {@code code}'s active black-list entries, as which, and the measures the asking department
     * applies to such persons (those the catalog extends to legal representatives). The organisation's code is
     * what finds the entries; the name only picks among the persons they name, so a person is never matched by
     * a name alone. A name-only link is answered {@code nameOnly: true}: the clerk confirms who the person is.
     */
    public Map<String, Object> persons(String department, String raw, String name, String matter) {
        if (name == null || name.isBlank()) {
            throw new HttpProblem(400, "bad-query", "name is required: the persons behind an organisation are looked up by "
                    + "the organisation's code and the person's name together").with("field", "name").with("rule", "required");
        }
        LocalDate today = LocalDate.now(clock);
        SubjectCode code = SubjectCode.parse(raw, keys, today);
        String organisation = code.organisationKey();
        if (organisation == null) {
            throw new HttpProblem(400, "bad-subject-code", "the persons behind a subject are asked of an organisation: give its "
                    + "unified social credit code").with("field", "code").with("rule", "uscc");
        }
        String wanted = normalisedName(name);
        Catalog catalog = catalogs.get();
        List<Map<String, Object>> matches = new ArrayList<>();
        Set<String> linkedListTypes = new TreeSet<>();
        for (EntryState e : view.entriesOf(organisation)) {
            if (!e.activeOn(today)) {
                continue;
            }
            for (Map<String, Object> p : persons(e)) {
                if (wanted.equals(normalisedName((String) p.get("name")))) {
                    Map<String, Object> m = new LinkedHashMap<>(p);
                    m.put("entry", entryView(e, catalog));
                    matches.add(m);
                    linkedListTypes.add(e.listType());
                }
            }
        }
        List<Map<String, Object>> measures = new ArrayList<>();
        if (department != null) {
            for (Measure m : catalog.applicable(List.of(), linkedListTypes, department, matter)) {
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("measureId", m.id());
                d.put("type", m.type().name());
                d.put("content", m.content());
                d.put("legalBasis", m.legalBasis());
                d.put("triggeredBy", m.triggers().stream().filter(linkedListTypes::contains).toList());
                measures.add(d);
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("organisation", code.shown());
        body.put("name", name.strip());
        body.put("department", department);
        body.put("matter", matter);
        body.put("matches", matches);
        body.put("measures", measures);
        body.values().removeIf(java.util.Objects::isNull);
        return body;
    }

    /** A name compared: without any white space (also the full-width space), full-width letters made half-width. */
    static String normalisedName(String name) {
        if (name == null) {
            return "";
        }
        String text = cn.bazhong.credit.gateway.validation.Text.clean(name);
        return (text == null ? name : text).replaceAll("[\\s\u3000]+", "");
    }

    /**
     * The subject's penalties and licences decided in the kept years, newest first, each with its source
     * (authority, delivering department, channel) and dates; and whether it has an adverse record in that
     * time: a penalty, or a black-list entry active then.
     */
    private void records(Map<String, Object> body, List<String> subjectKeys, List<EntryState> entries, LocalDate today, Catalog catalog) {
        List<SubjectRecord> history = new ArrayList<>();
        boolean truncated = false;
        for (String key : subjectKeys) {
            SubjectRecords.History h = records.of(key, today);
            history.addAll(h.records());
            truncated |= h.truncated();
        }
        LocalDate since = today.minusYears(records.years());
        List<Map<String, Object>> penalties = new ArrayList<>();
        List<Map<String, Object>> licences = new ArrayList<>();
        List<Map<String, Object>> commitments = new ArrayList<>();
        boolean brokenCommitment = false;
        for (SubjectRecord r : history) {
            if ("COMMITMENT".equals(r.kind())) {
                Map<String, Object> c = commitment(r, today, catalog);
                brokenCommitment |= Commitment.BROKEN.equals(c.get("status"));
                commitments.add(c);
                continue;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("recordId", r.recordId());
            m.put("decisionNo", r.decisionNo());
            m.put("decisionDate", r.decisionDate());
            m.put("PENALTY".equals(kind(r)) ? "publicityUntil" : "validTo", r.until());
            m.put("summary", r.summary());
            m.put("source", source(r, "authority", catalog));
            m.values().removeIf(java.util.Objects::isNull);
            ("PENALTY".equals(kind(r)) ? penalties : licences).add(m);
        }
        boolean blackInWindow = entries.stream().anyMatch(e -> e.category() == ListCategory.BLACK && e.linkedToOrganisation() == null
                && (e.exitDate() == null || !e.exitDate().isBefore(since)));
        Map<String, Object> window = new LinkedHashMap<>();
        window.put("years", records.years());
        window.put("since", since);
        window.put("adverseRecord", !penalties.isEmpty() || blackInWindow || brokenCommitment);
        // a subject with more records than the view keeps: older penalties may be missing, so "no adverse record" is not asserted
        window.put("complete", !truncated);
        body.put("records", window);
        body.put("penalties", penalties);
        body.put("licences", licences);
        body.put("commitments", commitments);
    }

    /**
     * A written commitment as the check shows it: the matter and promise, signed and due, its status today
     * (a commitment still open after its deadline is broken), the day it was broken, and its source.
     */
    private Map<String, Object> commitment(SubjectRecord r, LocalDate today, Catalog catalog) {
        String status = Commitment.statusOn(r.status(), r.until(), r.closedOn(), today);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("recordId", r.recordId());
        m.put("number", r.decisionNo());
        m.put("summary", r.summary());
        m.put("committedOn", r.decisionDate());
        m.put("deadline", r.until());
        m.put("status", status);
        if (Commitment.BROKEN.equals(status)) {
            m.put("adverse", true);
            // reported broken or kept late: the day reported; still open: the day after the deadline
            boolean reported = Commitment.BROKEN.equals(r.status()) || Commitment.FULFILLED.equals(r.status());
            m.put("brokenOn", reported ? r.closedOn() : r.until().plusDays(1));
        }
        m.put("closedOn", r.closedOn());
        m.put("source", source(r, "acceptedBy", catalog));
        m.values().removeIf(java.util.Objects::isNull);
        return m;
    }

    /**
     * Where a record came from: the deciding (or, for a commitment, accepting) unit under {@code unitName} and
     * {@code unitName + "Uscc"}, its region, the department, channel and time it reached the gateway.
     */
    private Map<String, Object> source(SubjectRecord r, String unitName, Catalog catalog) {
        Map<String, Object> source = new LinkedHashMap<>();
        source.put(unitName, r.authority());
        source.put(unitName + "Uscc", r.authorityUscc());
        source.put("region", catalog.regionOfDecision(r.authorityUscc(), null));
        source.put("department", r.department());
        source.put("channel", r.channel());
        source.put("receivedAt", r.receivedAt());
        source.values().removeIf(java.util.Objects::isNull);
        return source;
    }

    private static String kind(SubjectRecord r) {
        return "ADMIN_PENALTY".equals(r.kind()) ? "PENALTY" : "LICENCE";
    }
}
