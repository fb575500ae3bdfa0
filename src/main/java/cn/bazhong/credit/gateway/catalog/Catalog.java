package cn.bazhong.credit.gateway.catalog;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A loaded, checked catalog. Immutable; a new version replaces it as a whole. */
public record Catalog(
        String version,
        String region,
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

    /**
     * The region (行政区划代码) of a list decision: that of its deciding unit, found by the unit's credit
     * code among the catalog's units, else read from an organ's credit code ({@link Regions#ofOrgan}),
     * else that of the unit the catalog says decides the list type, else the city's.
     */
    public String regionOfDecision(String decidedByUscc, String listType) {
        if (decidedByUscc != null) {
            for (CatalogUnit u : units.values()) {
                if (decidedByUscc.equals(u.uscc()) && u.region() != null) {
                    return u.region();
                }
            }
            String organ = Regions.ofOrgan(decidedByUscc);
            if (organ != null) {
                return organ;
            }
        }
        ListTypeDefinition lt = listType == null ? null : listTypes.get(listType);
        CatalogUnit decider = lt == null ? null : units.get(lt.listedBy());
        return decider != null && decider.region() != null ? decider.region() : region;
    }

    /** The region of a unit (the city's for a unit the catalog does not know). */
    public String regionOf(String unit) {
        CatalogUnit u = units.get(unit);
        return u == null || u.region() == null ? region : u.region();
    }

    /**
     * Whether a unit is to hear of a decision taken in {@code decisionRegion}: a unit of the city (or
     * above) hears of every decision; a county-level unit hears of its own county's and of those taken
     * for everyone by the city or the province, and of no other county's.
     */
    public boolean reaches(String unit, String decisionRegion) {
        String own = regionOf(unit);
        if (Regions.contains(own, region) || !Regions.contains(region, own)) {
            return true; // the city's own units (and anyone not below the city) hear of everything
        }
        return decisionRegion == null || Regions.contains(decisionRegion, own);
    }
}
