package cn.bazhong.credit.gateway.catalog;

import java.util.List;

/**
 * One catalogued measure.
 *
 * @param listedBy          the unit whose list decisions trigger it (认定单位)
 * @param triggers          the list types whose active entries trigger it
 * @param implementingUnits the units that apply it (实施单位)
 * @param matters           approval item codes it applies to; empty = every matter of those units
 * @param evidence          what the implementing unit keeps as proof (证据材料)
 * @param duration          how long it applies, in words (e.g. 列入名单期间)
 * @param legalRepresentatives whether it also applies to the legal representative of a listed organisation
 *                          (法定代表人, recorded against the person's ID number); punishment measures only
 * @param legalBases        the legal bases one by one (document and article); {@link #legalBasis()} is their text
 */
public record Measure(
        String id,
        MeasureType type,
        String listedBy,
        List<String> triggers,
        String content,
        String legalBasis,
        List<String> implementingUnits,
        List<String> matters,
        String evidence,
        String duration,
        boolean legalRepresentatives,
        List<LegalBasis> legalBases) {

    /** Whether some article of its legal basis is still to be confirmed. */
    public boolean articleToConfirm() {
        return legalBases.stream().anyMatch(LegalBasis::articleToConfirm);
    }

    public boolean appliesTo(String unit, String matter) {
        return implementingUnits.contains(unit) && (matters.isEmpty() || matter == null || matters.contains(matter));
    }
}
