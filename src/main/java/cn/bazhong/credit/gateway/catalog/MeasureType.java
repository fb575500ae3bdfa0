package cn.bazhong.credit.gateway.catalog;

/** 激励 (for trustworthy subjects) or 惩戒 (for seriously dishonest ones). */
public enum MeasureType {
    INCENTIVE,
    PUNISHMENT
}
