package cn.bazhong.credit.gateway.mapping;

import cn.bazhong.credit.gateway.mapping.source.FieldNames;
import cn.bazhong.credit.gateway.schema.CanonicalField;
import cn.bazhong.credit.gateway.schema.RecordKind;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The names under which departments' files and tables carry the fields of the shared credit schema: the
 * 中文 labels of the national 2021 双公示 standard and of department exports, the standard's field codes
 * ({@code CF_XDR_MC}, {@code XK_WSH}) and the pinyin initials databases use ({@code xdr_mc}, {@code fddbr}).
 * {@code mapping draft} matches source fields against them; a match is a guess for the integrator to confirm.
 */
final class FieldSynonyms {

    /** Canonical path → names, compared after {@link #key}. Codes are also matched with a CF_ or XK_ prefix. */
    private static final Map<String, List<String>> NAMES = new HashMap<>();

    static {
        names("subject.name", "行政相对人名称", "相对人名称", "当事人名称", "当事人", "企业名称", "单位名称", "主体名称", "被执行人名称",
                "被执行人", "纳税人名称", "xdr_mc", "bzxrmc", "nsrmc", "dsrmc", "qymc", "name");
        names("subject.category", "行政相对人类别", "相对人类别", "主体类别", "当事人类型", "被执行人类型", "xdr_lb", "bzxrlx", "ztlb", "category");
        names("subject.uscc", "统一社会信用代码", "社会信用代码", "信用代码", "xdr_shxym", "tyshxydm", "shxydm", "uscc", "nsrsbh", "纳税人识别号");
        names("subject.regNo", "工商注册号", "注册号", "xdr_gszc", "xdr_gsdj", "gszch", "regNo");
        names("subject.orgCode", "组织机构代码", "xdr_zzjg", "xdr_zdm", "zzjgdm", "orgCode");
        names("subject.taxNo", "税务登记号", "xdr_swdj", "swdjh", "taxNo");
        names("subject.institutionNo", "事业单位证书号", "xdr_sydw", "institutionNo");
        names("subject.socialOrgNo", "社会组织登记证号", "xdr_shzz", "socialOrgNo");
        names("subject.legalRep.name", "法定代表人", "法定代表人姓名", "法定代表人(负责人)", "法人代表", "负责人", "frdb", "fddbr", "fr", "legalRep");
        names("subject.legalRep.idType", "法定代表人证件类型", "fr_zjlx", "fddbr_zjlx", "fddbrzjlx");
        names("subject.legalRep.idNumber", "法定代表人证件号码", "法定代表人身份证号", "fr_zjhm", "fddbr_zjhm", "fddbrzjhm");
        names("subject.idType", "证件类型", "相对人证件类型", "xdr_zjlx", "zjlx", "idType");
        names("subject.idNumber", "证件号码", "身份证号", "身份证号码", "相对人证件号码", "xdr_zjhm", "xdr_sfz", "zjhm", "sfzh", "idNumber");

        names("penalty.decisionNo", "行政处罚决定书文号", "处罚决定书文号", "决定书文号", "处罚文书号", "文书号", "wsh", "cljd", "decisionNo");
        names("penalty.violationType", "违法行为类型", "违法类型", "案件性质", "wfxw", "ajxz", "violationType");
        names("penalty.facts", "违法事实", "主要违法事实", "sy", "wfss", "facts");
        names("penalty.basis", "处罚依据", "yj", "cfyj", "basis");
        names("penalty.kinds", "处罚类别", "处罚种类", "cflb", "cflb1", "kinds");
        names("penalty.content", "处罚内容", "处罚结果", "nr", "jg", "cf_jg", "cfnr", "content");
        names("penalty.fineWan", "罚款金额", "罚款金额(元)", "罚款金额(万元)", "罚款", "nr_fk", "fkje", "fineWan");
        names("penalty.confiscatedWan", "没收违法所得金额", "没收违法所得、没收非法财物的金额", "没收金额", "nr_wfff", "mswfsd", "confiscatedWan");
        names("penalty.suspendedLicence", "暂扣或吊销证照名称及编号", "nr_zkdx", "zkzz", "suspendedLicence");
        names("penalty.decisionDate", "处罚决定日期", "决定日期", "处罚日期", "jdrq", "cfrq", "gbrq", "decisionDate");
        names("penalty.validUntil", "处罚有效期", "有效期", "公示有效期", "yxq", "validUntil");
        names("penalty.publicityUntil", "公示截止期", "gsjzq", "publicityUntil");
        names("penalty.authority.name", "处罚机关", "执法机关", "作出处罚决定机关", "cfjg", "xzjg", "authority");
        names("penalty.authority.uscc", "处罚机关统一社会信用代码", "处罚机关代码", "cfjgdm", "xzjgdm");
        names("penalty.dataSource.name", "数据来源单位", "数据来源", "sjly", "dataSource");
        names("penalty.dataSource.uscc", "数据来源单位统一社会信用代码", "数据来源单位代码", "sjlydm");
        names("penalty.remarks", "备注", "bz", "remarks");

        names("licence.documentName", "行政许可决定文书名称", "决定文书名称", "许可文书名称", "xkws", "documentName");
        names("licence.decisionNo", "行政许可决定文书号", "决定文书号", "许可文书号", "文书号", "wsh", "decisionNo");
        names("licence.category", "许可类别", "xklb", "category");
        names("licence.certificateName", "许可证书名称", "证书名称", "xkzs", "certificateName");
        names("licence.licenceNo", "许可编号", "许可证编号", "证书编号", "xkbh", "licenceNo");
        names("licence.content", "许可内容", "nr", "xknr", "content");
        names("licence.decisionDate", "许可决定日期", "决定日期", "许可日期", "jdrq", "decisionDate");
        names("licence.validFrom", "有效期自", "有效期起", "有效期开始日期", "yxqz", "validFrom");
        names("licence.validTo", "有效期至", "有效期止", "有效期截止日期", "yxqzi", "validTo");
        names("licence.authority.name", "许可机关", "审批机关", "xkjg", "authority");
        names("licence.authority.uscc", "许可机关统一社会信用代码", "许可机关代码", "xkjgdm");
        names("licence.status", "当前状态", "许可状态", "zt", "status");
        names("licence.dataSource.name", "数据来源单位", "数据来源", "lydw", "dataSource");
        names("licence.dataSource.uscc", "数据来源单位统一社会信用代码", "数据来源单位代码", "lydwdm");
        names("licence.remarks", "备注", "bz", "remarks");

        names("entry.listType", "名单类型", "名单种类", "lx", "mdlx", "listType");
        names("entry.category", "名单类别", "红黑名单", "mdlb", "category");
        names("entry.decidedBy.name", "认定单位", "认定部门", "决定机关", "执行法院", "zxfy", "rddw", "decidedBy");
        names("entry.decidedBy.uscc", "认定单位统一社会信用代码", "认定单位代码", "rddwdm");
        names("entry.basis", "认定依据", "列入依据", "执行依据", "违法事实", "yw", "rdyj", "wfss", "basis");
        names("entry.decidedOn", "认定日期", "列入日期", "发布时间", "发布日期", "公布日期", "fbsj", "rdrq", "lrrq", "gbrq", "decidedOn");
        names("entry.validFrom", "有效期自", "有效期起", "validFrom");
        names("entry.validTo", "有效期至", "有效期止", "validTo");
        names("entry.reason", "列入原因", "失信情形", "原因", "案件性质", "sxqx", "lryy", "ajxz", "reason");
        names("entry.documentNo", "文书号", "决定书文号", "案号", "ah", "wsh", "cljd", "documentNo");
        names("entry.status", "状态", "名单状态", "zt", "status");
        names("entry.exitDate", "移出日期", "移出时间", "ycsj", "ycrq", "exitDate");
        names("entry.exitReason", "移出原因", "ycyy", "exitReason");
    }

    private static void names(String path, String... names) {
        if (CanonicalField.byPath(path) == null) {
            throw new IllegalStateException("not a field of the schema: " + path);
        }
        NAMES.put(path, List.of(names));
    }

    private FieldSynonyms() {
    }

    /** A field name as compared: normalised, lower case, without separators and brackets. */
    static String key(String name) {
        return FieldNames.normalise(name).toLowerCase(Locale.ROOT).replaceAll("[\\s_\\-.()\\[\\]]", "");
    }

    /**
     * How well a source field's name matches a canonical field of the kind: 3 the same name, 2 the same code
     * after the CF_/XK_ prefix of the national codes, 1 the name contains a 中文 label of four or more
     * characters; 0 no match.
     */
    static int match(String sourceName, CanonicalField field, RecordKind kind) {
        if (!field.usedIn(kind)) {
            return 0;
        }
        String k = key(sourceName);
        String stripped = k.startsWith("cf") || k.startsWith("xk") ? k.substring(2) : k;
        int best = 0;
        for (String n : NAMES.getOrDefault(field.path(), List.of())) {
            String nk = key(n);
            if (k.equals(nk) || k.equals(key(field.path()))) {
                return 3;
            }
            if (!stripped.equals(k) && stripped.equals(nk)) {
                best = Math.max(best, 2);
            } else if (nk.length() >= 4 && !nk.chars().allMatch(c -> c < 128) && k.contains(nk)) {
                best = Math.max(best, 1);
            }
        }
        return best;
    }

    /** The fields of the kind, in schema order. */
    static List<CanonicalField> fieldsOf(RecordKind kind) {
        List<CanonicalField> out = new ArrayList<>();
        for (CanonicalField f : CanonicalField.values()) {
            if (f.usedIn(kind)) {
                out.add(f);
            }
        }
        return out;
    }

    /** The 中文 label of a field (the first name listed), for comments. */
    static String label(CanonicalField field) {
        List<String> names = NAMES.get(field.path());
        return names == null || names.isEmpty() ? field.path() : names.get(0);
    }
}
