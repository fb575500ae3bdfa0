package cn.bazhong.credit.gateway.schema;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

class NationalCodesTest {

    private static final String SCJGJ = "scjgj-penalties.yaml";

    @Test
    void a_fine_of_120000_yuan_is_rendered_as_12_wan() {
        Map<String, String> data = NationalCodes.render(SampleFeeds.record(SCJGJ, "巴市监处罚〔2022〕1001号"));

        assertThat(data).containsEntry("CF_NR_FK", "12");
    }

    @Test
    void several_penalty_kinds_are_joined_with_a_semicolon() {
        Map<String, String> data = NationalCodes.render(SampleFeeds.record(SCJGJ, "巴市监处罚〔2022〕1001号"));

        assertThat(data).containsEntry("CF_CFLB", "罚款;责令停产停业");
    }

    @Test
    void a_confiscated_amount_in_yuan_is_rendered_as_a_plain_decimal_in_wan() {
        Map<String, String> data = NationalCodes.render(SampleFeeds.record(SCJGJ, "巴市监处罚〔2022〕1002号"));

        assertThat(data).containsEntry("CF_NR_WFFF", "0.62").doesNotContainKey("CF_NR_FK");
    }

    @Test
    void amounts_never_use_scientific_notation_or_trailing_zeros() {
        AdminPenalty p = FullRecords.penalty();
        AdminPenalty hundred = new AdminPenalty(p.decisionNo(), p.violationType(), p.facts(), p.basis(), p.kinds(),
                p.content(), new BigDecimal("1E+2"), new BigDecimal("0.50"), p.suspendedLicence(), p.decisionDate(),
                p.validUntil(), p.publicityUntil(), p.authority(), p.dataSource(), p.remarks());

        Map<String, String> data = NationalCodes.render(FullRecords.stamp(RecordKind.ADMIN_PENALTY, "k",
                FullRecords.company(), hundred, null, null));

        assertThat(data).containsEntry("CF_NR_FK", "100").containsEntry("CF_NR_WFFF", "0.5");
    }

    @Test
    void penalty_dates_are_written_yyyy_MM_dd() {
        Map<String, String> data = NationalCodes.render(SampleFeeds.record(SCJGJ, "巴市监处罚〔2022〕1001号"));

        assertThat(data).contains(
                entry("CF_JDRQ", "2022-01-30"),
                entry("CF_YXQ", "2025-01-29"),
                entry("CF_GSJZQ", "2025-01-29"));
    }

    @Test
    void a_persons_full_id_number_is_rendered_for_upstream() {
        Map<String, String> data = NationalCodes.render(SampleFeeds.record(SCJGJ, "巴市监处罚〔2022〕1000号"));

        assertThat(data).contains(
                entry("CF_XDR_MC", "赖涛"),
                entry("CF_XDR_LB", "自然人"),
                entry("CF_XDR_ZJLX", "身份证"),
                entry("CF_XDR_ZJHM", "511922196007307802"));
    }

    @Test
    void absent_fields_are_left_out_rather_than_written_empty() {
        Map<String, String> data = NationalCodes.render(SampleFeeds.record(SCJGJ, "巴市监处罚〔2022〕1000号"));

        assertThat(data).doesNotContainKeys("CF_XDR_SHXYM", "CF_XDR_GSZC", "CF_XDR_ZZJG", "CF_FRDB", "CF_FR_ZJLX",
                "CF_FR_ZJHM", "CF_NR_FK", "CF_NR_WFFF", "CF_NR_ZKDX", "BZ");
        assertThat(data.values()).allSatisfy(v -> assertThat(v).isNotBlank());
    }

    @Test
    void a_real_penalty_carries_its_authority_data_source_and_legal_representative() {
        Map<String, String> data = NationalCodes.render(SampleFeeds.record(SCJGJ, "巴市监处罚〔2022〕1001号"));

        assertThat(data).containsExactly(
                entry("CF_XDR_MC", "巴中市兴达华信环保科技有限公司"),
                entry("CF_XDR_LB", "法人及非法人组织"),
                entry("CF_XDR_SHXYM", "91511923E8PR7JY32Q"),
                entry("CF_FRDB", "刘芳"),
                entry("CF_FR_ZJLX", "身份证"),
                entry("CF_FR_ZJHM", "511902199807299626"),
                entry("CF_WSH", "巴市监处罚〔2022〕1001号"),
                entry("CF_WFXW", "无照经营"),
                entry("CF_SY", "当事人未依法取得营业执照从事经营活动，经查证属实。"),
                entry("CF_YJ", "《无证无照经营查处办法》第十三条"),
                entry("CF_CFLB", "罚款;责令停产停业"),
                entry("CF_NR", "罚款人民币120000元、责令停产停业"),
                entry("CF_NR_FK", "12"),
                entry("CF_JDRQ", "2022-01-30"),
                entry("CF_YXQ", "2025-01-29"),
                entry("CF_GSJZQ", "2025-01-29"),
                entry("CF_CFJG", "巴中市市场监督管理局"),
                entry("CF_CFJGDM", "11511900MB1510010D"),
                entry("CF_SJLY", "巴中市市场监督管理局"),
                entry("CF_SJLYDM", "11511900MB1510010D"));
    }

    @Test
    void every_penalty_code_comes_in_the_standards_order() {
        Map<String, String> data = NationalCodes.render(FullRecords.of(RecordKind.ADMIN_PENALTY));

        assertThat(data.keySet()).containsExactly("CF_XDR_MC", "CF_XDR_LB", "CF_XDR_SHXYM", "CF_XDR_GSZC",
                "CF_XDR_ZZJG", "CF_XDR_SWDJ", "CF_XDR_SYDW", "CF_XDR_SHZZ", "CF_FRDB", "CF_FR_ZJLX", "CF_FR_ZJHM",
                "CF_XDR_ZJLX", "CF_XDR_ZJHM", "CF_WSH", "CF_WFXW", "CF_SY", "CF_YJ", "CF_CFLB", "CF_NR", "CF_NR_FK",
                "CF_NR_WFFF", "CF_NR_ZKDX", "CF_JDRQ", "CF_YXQ", "CF_GSJZQ", "CF_CFJG", "CF_CFJGDM", "CF_SJLY",
                "CF_SJLYDM", "BZ");
        assertThat(data).contains(
                entry("CF_XDR_GSZC", "511900000012345"),
                entry("CF_XDR_ZZJG", "600037341"),
                entry("CF_XDR_SWDJ", "511900600037341"),
                entry("CF_XDR_SYDW", "事证第151190000001号"),
                entry("CF_XDR_SHZZ", "51511900MJQ000001X"),
                entry("CF_FR_ZJHM", FullRecords.REP_ID),
                entry("CF_XDR_ZJLX", "护照号"),
                entry("CF_XDR_ZJHM", "E12345678"),
                entry("CF_NR_FK", "12"),
                entry("CF_NR_ZKDX", "食品经营许可证 JY1511900001"),
                entry("CF_SJLY", "巴中市数据来源局"),
                entry("CF_SJLYDM", FullRecords.SOURCE_USCC),
                entry("BZ", "备注"));
    }

    @Test
    void every_licence_code_comes_in_the_standards_order() {
        Map<String, String> data = NationalCodes.render(FullRecords.of(RecordKind.ADMIN_LICENSE));

        assertThat(data.keySet()).containsExactly("XK_XDR_MC", "XK_XDR_LB", "XK_XDR_SHXYM", "XK_XDR_GSZC",
                "XK_XDR_ZZJG", "XK_XDR_SWDJ", "XK_XDR_SYDW", "XK_XDR_SHZZ", "XK_FRDB", "XK_FR_ZJLX", "XK_FR_ZJHM",
                "XK_XDR_ZJLX", "XK_XDR_ZJHM", "XK_XKWS", "XK_WSH", "XK_XKLB", "XK_XKZS", "XK_XKBH", "XK_NR", "XK_JDRQ",
                "XK_YXQZ", "XK_YXQZI", "XK_XKJG", "XK_XKJGDM", "XK_ZT", "XK_LYDW", "XK_LYDWDM", "BZ");
        assertThat(data).contains(
                entry("XK_XKWS", "关于准予测试公司道路运输经营许可证的决定"),
                entry("XK_WSH", "巴审批许〔2023〕2005号"),
                entry("XK_XKLB", "普通"),
                entry("XK_XKBH", "JY202307421390"),
                entry("XK_JDRQ", "2023-04-15"),
                entry("XK_YXQZ", "2023-04-15"),
                entry("XK_ZT", "有效"),
                entry("XK_LYDWDM", FullRecords.SOURCE_USCC));
    }

    @Test
    void a_long_term_licence_is_valid_until_2099_12_31() {
        CreditRecord record = SampleFeeds.record("xzspj-licences.yaml", "巴审批许〔2023〕2005号");

        Map<String, String> data = NationalCodes.render(record);

        assertThat(record.licence().longTerm()).isTrue();
        assertThat(data).contains(
                entry("XK_XDR_MC", "巴中市平昌瑞丰建筑工程股份有限公司"),
                entry("XK_FR_ZJHM", "511902199506027395"),
                entry("XK_JDRQ", "2023-04-15"),
                entry("XK_YXQZ", "2023-04-15"),
                entry("XK_YXQZI", "2099-12-31"),
                entry("XK_XKJGDM", "11511900MB1530038P"));
    }

    @Test
    void a_licence_flagged_long_term_without_an_end_date_ends_on_2099_12_31() {
        AdminLicense l = FullRecords.licence(LocalDate.of(2099, 12, 31));
        AdminLicense noEnd = new AdminLicense(l.documentName(), l.decisionNo(), l.category(), l.certificateName(),
                l.licenceNo(), l.content(), l.decisionDate(), l.validFrom(), null, true, l.authority(), l.status(),
                l.dataSource(), l.remarks());

        Map<String, String> data = NationalCodes.render(FullRecords.stamp(RecordKind.ADMIN_LICENSE, "k",
                FullRecords.company(), null, noEnd, null));

        assertThat(data).containsEntry("XK_YXQZI", "2099-12-31");
    }

    @Test
    void a_list_entry_has_no_national_codes() {
        CreditRecord entry = FullRecords.of(RecordKind.LIST_ENTRY);

        assertThatThrownBy(() -> NationalCodes.render(entry))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NationalCodes.data");
    }

    @Test
    void the_data_of_a_penalty_or_licence_is_its_national_code_map() {
        for (RecordKind kind : List.of(RecordKind.ADMIN_PENALTY, RecordKind.ADMIN_LICENSE)) {
            CreditRecord r = FullRecords.of(kind);
            assertThat(NationalCodes.data(r)).isEqualTo(NationalCodes.render(r));
        }
    }

    @Test
    void the_data_of_a_list_entry_has_the_shape_of_a_provincial_list_update_entry() {
        Map<String, Object> data = NationalCodes.data(FullRecords.of(RecordKind.LIST_ENTRY));

        assertThat(data.keySet()).containsExactly("listType", "category", "subject", "decidedBy", "basis",
                "decidedOn", "validFrom", "validTo", "reason", "documentNo", "status", "exitDate", "exitReason",
                "attributes");
        assertThat(data).contains(
                entry("listType", "COURT_DEFAULTER"),
                entry("category", "BLACK"),
                entry("decidedBy", Map.of("name", "四川省巴中市中级人民法院", "uscc", FullRecords.AUTHORITY_USCC)),
                entry("decidedOn", "2022-03-08"),
                entry("validFrom", "2022-03-08"),
                entry("validTo", "2025-03-07"),
                entry("documentNo", "（2022）川19执101号"),
                entry("status", "EXITED"),
                entry("exitDate", "2022-09-24"),
                entry("exitReason", "法院决定移出失信被执行人名单"));
        assertThat(map(data.get("attributes"))).containsExactly(
                entry("basisUnit", "巴中仲裁委员会"), entry("performance", "部分未履行"));
        Map<String, Object> subject = map(data.get("subject"));
        assertThat(subject.keySet()).containsExactly("category", "name", "uscc", "regNo", "orgCode", "taxNo",
                "institutionNo", "socialOrgNo", "legalRep", "idType", "idNumber");
        assertThat(map(subject.get("legalRep"))).containsExactly(
                entry("name", "张三"), entry("idType", "身份证"), entry("idNumber", FullRecords.REP_ID));
    }

    @Test
    void the_data_of_a_real_list_entry_leaves_absent_values_out_and_keeps_the_full_id_number() {
        CreditRecord exited = SampleFeeds.record("zjfy-defaulters.yaml", "（2022）川19执101号");

        Map<String, Object> data = NationalCodes.data(exited);

        assertThat(data).doesNotContainKey("validTo").containsEntry("status", "EXITED")
                .containsEntry("exitDate", "2022-09-24")
                .containsEntry("subject", Map.of("category", "自然人", "name", "邹静华", "idType", "身份证",
                        "idNumber", "511903198012265897"));
        assertThat(data.values()).doesNotContainNull();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        assertThat(value).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    @Test
    void a_record_whose_body_does_not_match_its_kind_is_refused() {
        CreditRecord mismatched = FullRecords.stamp(RecordKind.ADMIN_LICENSE, "k", FullRecords.company(),
                FullRecords.penalty(), null, null);

        assertThatThrownBy(() -> NationalCodes.render(mismatched)).isInstanceOf(IllegalArgumentException.class);
    }
}
