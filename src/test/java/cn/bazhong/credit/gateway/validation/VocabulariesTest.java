package cn.bazhong.credit.gateway.validation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VocabulariesTest {

    @Test
    void subject_category_lists_the_three_kinds_of_party() {
        assertThat(Vocabularies.SUBJECT_CATEGORY.name()).isEqualTo("行政相对人类别");
        assertThat(Vocabularies.SUBJECT_CATEGORY.values()).containsExactly("法人及非法人组织", "自然人", "个体工商户");
    }

    @Test
    void id_type_lists_the_documents_and_allows_other_with_a_name() {
        assertThat(Vocabularies.ID_TYPE.name()).isEqualTo("证件类型");
        assertThat(Vocabularies.ID_TYPE.values()).containsExactly(
                "身份证", "护照号", "港澳居民来往内地通行证", "台湾居民来往大陆通行证", "外国人永久居留身份证");
        assertThat(Vocabularies.ID_TYPE.check("其他-军官证")).isEqualTo(Checked.ok("其他-军官证"));
        assertThat(Vocabularies.ID_TYPE.check("其他-").rule()).isEqualTo(Rule.ENUM);
    }

    @Test
    void penalty_kind_lists_the_fourteen_kinds_in_order() {
        assertThat(Vocabularies.PENALTY_KIND.name()).isEqualTo("处罚类别");
        assertThat(Vocabularies.PENALTY_KIND.values()).containsExactly(
                "警告", "通报批评", "罚款", "没收违法所得", "没收非法财物", "暂扣许可证件", "降低资质等级",
                "吊销许可证件", "限制开展生产经营活动", "责令停产停业", "责令关闭", "限制从业", "行政拘留", "其他");
    }

    @Test
    void licence_category_lists_the_six_kinds() {
        assertThat(Vocabularies.LICENCE_CATEGORY.name()).isEqualTo("许可类别");
        assertThat(Vocabularies.LICENCE_CATEGORY.values()).containsExactly("普通", "特许", "认可", "核准", "登记", "其他");
    }

    @Test
    void the_national_lists_carry_no_synonyms() {
        assertThat(Vocabularies.SUBJECT_CATEGORY.check("企业法人").message())
                .isEqualTo("'企业法人' is not one of 法人及非法人组织, 自然人, 个体工商户");
        assertThat(Vocabularies.ID_TYPE.check("居民身份证").rule()).isEqualTo(Rule.ENUM);
        assertThat(Vocabularies.PENALTY_KIND.check("罚金").rule()).isEqualTo(Rule.ENUM);
        assertThat(Vocabularies.LICENCE_CATEGORY.check("一般").rule()).isEqualTo(Rule.ENUM);
    }

    @Test
    void several_penalty_kinds_in_one_field_are_checked_as_a_list() {
        assertThat(Vocabularies.PENALTY_KIND.checkList("警告；罚款；没收违法所得", "；;、,，"))
                .isEqualTo(Checked.ok(java.util.List.of("警告", "罚款", "没收违法所得")));
    }
}
