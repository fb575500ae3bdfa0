package cn.bazhong.credit.gateway.schema;

/** What the source asks for: keep this version of the record, or withdraw the record (撤销). */
public enum Operation {
    UPSERT,
    WITHDRAW
}
