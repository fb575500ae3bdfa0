package cn.bazhong.credit.gateway.catalog;

/** A unit the catalog names: one that lists subjects (认定单位) or applies measures (实施单位). */
public record CatalogUnit(String code, String name, String uscc) {
}
