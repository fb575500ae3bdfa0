package cn.bazhong.credit.gateway.schema;

/** What a credit record describes. The name is part of the record id and of the upstream dataset name. */
public enum RecordKind {
    /** 行政处罚: business key = 处罚机关 code + 决定书文号. */
    ADMIN_PENALTY,
    /** 行政许可: business key = 许可机关 code + 决定文书号 (or 许可编号 when there is none). */
    ADMIN_LICENSE,
    /** Red, black or attention list entry (信用红黑名单). */
    LIST_ENTRY,
    /**
     * 信用承诺: a written commitment accepted by a unit (e.g. the missing papers of a 容缺受理 application,
     * promised within a deadline); business key = 受理单位 code + 承诺书编号. Kept locally: the provincial
     * exchange has no dataset for it.
     */
    COMMITMENT
}
