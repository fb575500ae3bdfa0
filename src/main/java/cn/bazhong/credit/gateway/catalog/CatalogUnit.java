package cn.bazhong.credit.gateway.catalog;

/**
 * A unit the catalog names: one that lists subjects (认定单位) or applies measures (实施单位).
 *
 * @param region the 行政区划代码 (GB/T 2260) of the unit's level of government: the city's code for
 *               city departments, a county's for a county-level government and its departments
 * @param note   what the catalog says about the unit besides its name (a former name, a code to confirm); may be null
 */
public record CatalogUnit(String code, String name, String uscc, String region, String note) {

    public CatalogUnit(String code, String name, String uscc) {
        this(code, name, uscc, null, null);
    }
}
