package cn.bazhong.credit.gateway.schema;

/** A public body (机关/单位) named with its unified social credit code: 处罚机关, 许可机关, 数据来源单位, 认定单位. */
public record Unit(String name, String uscc) {
}
