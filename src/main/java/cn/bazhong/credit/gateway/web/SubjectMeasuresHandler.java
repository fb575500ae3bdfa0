package cn.bazhong.credit.gateway.web;

import cn.bazhong.credit.gateway.catalog.Catalog;
import cn.bazhong.credit.gateway.catalog.Measure;
import cn.bazhong.credit.gateway.lists.EntryState;
import cn.bazhong.credit.gateway.lists.ListView;
import cn.bazhong.credit.gateway.lists.SubjectKeys;

import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code GET /api/v1/subjects/{code}/measures?matter=<item code>}: the check an approval clerk's
 * system makes while handling an application. Answers the subject's active list entries and the
 * catalog measures the asking department applies for that matter, each with its legal basis, from
 * the local view (no network hop on the hot path). An unknown subject gets an empty answer; a code
 * that is neither a valid credit code nor a valid ID number gets 400 naming the rule. Served by
 * {@link CheckApiController}.
 */
public class SubjectMeasuresHandler {

    private final ListView view;
    private final SubjectKeys keys;
    private final Catalog catalog;
    private final Clock clock;

    public SubjectMeasuresHandler(ListView view, SubjectKeys keys, Catalog catalog, Clock clock) {
        this.view = view;
        this.keys = keys;
        this.catalog = catalog;
        this.clock = clock;
    }

    /**
     * The answer to one check, or an {@link HttpProblem} (400 for a code that breaks its rule). Knows
     * nothing of the HTTP server in front of it.
     *
     * @param department the asking department, whose measures are answered; null for none (entries only)
     * @param raw        the subject code from the path, decoded
     */
    public Map<String, Object> check(String department, String raw, String matter) {
        SubjectCode code = SubjectCode.parse(raw, keys, LocalDate.now(clock));
        String subjectKey = code.key();
        String shown = code.shown();
        LocalDate today = LocalDate.now(clock);
        List<EntryState> active = view.entriesOf(subjectKey).stream().filter(e -> e.activeOn(today)).toList();
        Set<String> listTypes = new TreeSet<>();
        Set<String> linkedListTypes = new TreeSet<>();
        active.forEach(e -> (e.linkedToOrganisation() == null ? listTypes : linkedListTypes).add(e.listType()));
        List<Map<String, Object>> measures = new ArrayList<>();
        for (Measure m : department == null ? List.<Measure>of() : catalog.applicable(listTypes, linkedListTypes, department, matter)) {
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
        body.put("subject", shown);
        body.put("department", department);
        body.put("matter", matter);
        body.put("catalogVersion", catalog.version());
        body.put("entries", active.stream().map(e -> e.publicView(false)).toList());
        body.put("measures", measures);
        return body;
    }
}
