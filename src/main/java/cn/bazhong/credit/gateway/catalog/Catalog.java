package cn.bazhong.credit.gateway.catalog;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A loaded, checked catalog. Immutable; a new version replaces it as a whole. */
public record Catalog(
        String version,
        Map<String, CatalogUnit> units,
        Map<String, ListTypeDefinition> listTypes,
        Map<String, Measure> measures) {

    /** The measures that entries of this list type trigger. */
    public List<Measure> triggeredBy(String listType) {
        return measures.values().stream().filter(m -> m.triggers().contains(listType)).toList();
    }

    /** The measures this unit applies, for this matter (null = any), to a subject on these list types. */
    public List<Measure> applicable(Collection<String> activeListTypes, String unit, String matter) {
        return applicable(activeListTypes, List.of(), unit, matter);
    }

    /**
     * The same, for a subject that is also on {@code linkedListTypes} as the legal representative of a
     * listed organisation: those trigger only the measures that reach legal representatives.
     */
    public List<Measure> applicable(Collection<String> activeListTypes, Collection<String> linkedListTypes, String unit, String matter) {
        return measures.values().stream()
                .filter(m -> m.triggers().stream().anyMatch(activeListTypes::contains)
                        || m.legalRepresentatives() && m.triggers().stream().anyMatch(linkedListTypes::contains))
                .filter(m -> m.appliesTo(unit, matter))
                .toList();
    }

    /** The list types whose changes a unit must learn about: those triggering a measure it applies. */
    public Set<String> listTypesWatchedBy(String unit) {
        return measures.values().stream().filter(m -> m.implementingUnits().contains(unit))
                .flatMap(m -> m.triggers().stream()).collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new));
    }

    public Measure measure(String id) {
        return measures.get(id);
    }
}
