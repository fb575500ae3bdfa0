package cn.bazhong.credit.gateway.schema;

/** Whether a list rewards (红名单, joint incentives), punishes (黑名单, joint punishment) or only flags. */
public enum ListCategory {
    RED,
    BLACK,
    ATTENTION
}
