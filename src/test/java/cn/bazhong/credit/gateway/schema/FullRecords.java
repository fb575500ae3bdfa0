package cn.bazhong.credit.gateway.schema;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/** Hand-built records with every property set, one per kind. */
final class FullRecords {

    static final String COMPANY_USCC = "91110000600037341L";
    static final String AUTHORITY_USCC = "11420000MB15291767";
    static final String SOURCE_USCC = "91230500MA1B3N1N2M";
    static final String REP_ID = "110101199001011237";
    static final String PERSON_ID = "11010519491231002X";

    private FullRecords() {
    }

    static Subject company() {
        return new Subject(Subject.ORGANISATION, "巴中市测试科技有限公司", COMPANY_USCC, "511900000012345",
                "600037341", "511900600037341", "事证第151190000001号", "51511900MJQ000001X",
                new Party("张三", "身份证", REP_ID), "护照号", "E12345678");
    }

    static Subject person() {
        return new Subject(Subject.PERSON, "李四", null, null, null, null, null, null, null, "身份证", PERSON_ID);
    }

    static Provenance provenance() {
        return new Provenance("SCJGJ", "sftp", "XZCF_20250310_001.csv", 3L, "req-1", "swj.credit", 0, 42L,
                Instant.parse("2025-03-10T08:00:00Z"), "scjgj-penalties", 1);
    }

    static AdminPenalty penalty() {
        return new AdminPenalty("巴市监处罚〔2024〕1号", "无照经营", "当事人未依法取得营业执照从事经营活动。",
                "《无证无照经营查处办法》第十三条", List.of("罚款", "责令停产停业"), "罚款人民币120000元、责令停产停业",
                new BigDecimal("12.000000"), new BigDecimal("0.62"), "食品经营许可证 JY1511900001",
                LocalDate.of(2024, 1, 30), LocalDate.of(2027, 1, 29), LocalDate.of(2025, 1, 29),
                new Unit("巴中市市场监督管理局", AUTHORITY_USCC), new Unit("巴中市数据来源局", SOURCE_USCC), "备注");
    }

    static AdminLicense licence(LocalDate validTo) {
        return new AdminLicense("关于准予测试公司道路运输经营许可证的决定", "巴审批许〔2023〕2005号", "普通",
                "道路运输经营许可证", "JY202307421390", "道路普通货物运输", LocalDate.of(2023, 4, 15),
                LocalDate.of(2023, 4, 15), validTo, validTo.equals(LocalDate.of(2099, 12, 31)),
                new Unit("巴中市行政审批局", AUTHORITY_USCC), "有效", new Unit("巴中市数据来源局", SOURCE_USCC), "备注");
    }

    static ListEntry entry() {
        return new ListEntry("COURT_DEFAULTER", ListCategory.BLACK, new Unit("四川省巴中市中级人民法院", AUTHORITY_USCC),
                "被执行人于判决生效后十日内支付货款3万元", LocalDate.of(2022, 3, 8), LocalDate.of(2022, 3, 8),
                LocalDate.of(2025, 3, 7), "违反财产报告制度", "（2022）川19执101号", ListStatus.EXITED,
                LocalDate.of(2022, 9, 24), "法院决定移出失信被执行人名单",
                Map.of("performance", "部分未履行", "basisUnit", "巴中仲裁委员会"));
    }

    static CreditRecord of(RecordKind kind) {
        return switch (kind) {
            case ADMIN_PENALTY -> stamp(kind, "11420000MB15291767:巴市监处罚〔2024〕1号", company(), penalty(), null, null);
            case ADMIN_LICENSE -> stamp(kind, "11420000MB15291767:巴审批许〔2023〕2005号", company(),
                    null, licence(LocalDate.of(2099, 12, 31)), null);
            case LIST_ENTRY -> stamp(kind, "（2022）川19执101号", company(), null, null, entry());
            case COMMITMENT -> RecordVersion.stamp(new CreditRecord(CreditRecord.recordId("TEST", kind, "11420000MB15291767:N-1"), null,
                    kind, Operation.UPSERT, "11420000MB15291767:N-1", companyWithPersons(), null, null, null, provenance(), commitment()));
        };
    }

    /**
     * A record of the kind with every property set, its subject also naming a principal and another
     * responsible person ({@link #of} keeps the subject the version pins of RecordVersionTest were taken with).
     */
    static CreditRecord full(RecordKind kind) {
        CreditRecord r = of(kind);
        return RecordVersion.stamp(r.withSubject(r.recordId(), r.businessKey(), companyWithPersons()));
    }

    /** The company with a 主要负责人 and another directly responsible person besides its legal representative. */
    static Subject companyWithPersons() {
        Subject c = company();
        return new Subject(c.category(), c.name(), c.uscc(), c.regNo(), c.orgCode(), c.taxNo(), c.institutionNo(), c.socialOrgNo(),
                c.legalRep(), c.idType(), c.idNumber(), new Party("王五", "身份证", PERSON_ID), new Party("赵六", "护照号", "E7654321"));
    }

    static Commitment commitment() {
        return new Commitment("巴审批容缺〔2026〕1号", "5119-XK-0001", "补交车辆技术等级评定报告", LocalDate.of(2026, 3, 2),
                LocalDate.of(2026, 3, 30), new Unit("巴中市行政审批局", AUTHORITY_USCC), "FULFILLED", LocalDate.of(2026, 3, 20), "备注");
    }

    static CreditRecord stamp(RecordKind kind, String businessKey, Subject subject, AdminPenalty penalty,
                              AdminLicense licence, ListEntry entry) {
        return RecordVersion.stamp(new CreditRecord(CreditRecord.recordId("TEST", kind, businessKey), null, kind,
                Operation.UPSERT, businessKey, subject, penalty, licence, entry, provenance()));
    }
}
