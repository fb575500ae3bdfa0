package cn.bazhong.credit.gateway.validation;

import java.util.List;

/**
 * The national code lists used by 双公示 (administrative licensing and penalty) records.
 *
 * <p>They carry no synonyms: each department's own spellings are mapped to these values in that
 * department's mapping file, so that one department's habit never silently changes another's
 * data.
 */
public final class Vocabularies {

    /** 行政相对人类别: the kind of party a decision concerns. */
    public static final Vocabulary SUBJECT_CATEGORY = Vocabulary.of("行政相对人类别",
            List.of("法人及非法人组织", "自然人", "个体工商户"));

    /**
     * 证件类型: the kind of identity document of a natural person. Any value starting with
     * {@code 其他-} and naming the document (e.g. {@code 其他-军官证}) is also allowed.
     */
    public static final Vocabulary ID_TYPE = Vocabulary.of("证件类型",
            List.of("身份证", "护照号", "港澳居民来往内地通行证", "台湾居民来往大陆通行证", "外国人永久居留身份证"))
            .withPrefixRule("其他-");

    /** 处罚类别: the kind of administrative penalty; a record may list several. */
    public static final Vocabulary PENALTY_KIND = Vocabulary.of("处罚类别",
            List.of("警告", "通报批评", "罚款", "没收违法所得", "没收非法财物", "暂扣许可证件", "降低资质等级",
                    "吊销许可证件", "限制开展生产经营活动", "责令停产停业", "责令关闭", "限制从业", "行政拘留", "其他"));

    /** 许可类别: the kind of administrative licence. */
    public static final Vocabulary LICENCE_CATEGORY = Vocabulary.of("许可类别",
            List.of("普通", "特许", "认可", "核准", "登记", "其他"));

    private Vocabularies() {
    }
}
