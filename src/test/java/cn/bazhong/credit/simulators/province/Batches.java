package cn.bazhong.credit.simulators.province;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds batch documents for the tests: valid by default, to be broken one field at a time. */
final class Batches {

    static final ObjectMapper JSON = new ObjectMapper();

    private Batches() {
    }

    /** A complete, valid ADMIN_PENALTY {@code data} (fictitious company). */
    static Map<String, Object> penaltyData(String decisionNo) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("CF_XDR_MC", "巴中市示例商贸有限公司");
        d.put("CF_XDR_LB", "法人及非法人组织");
        d.put("CF_XDR_SHXYM", "91110000600037341L");
        d.put("CF_FRDB", "张三");
        d.put("CF_WSH", decisionNo);
        d.put("CF_WFXW", "销售不合格产品");
        d.put("CF_SY", "经查，当事人销售不合格产品。");
        d.put("CF_YJ", "《中华人民共和国产品质量法》第四十九条");
        d.put("CF_CFLB", "罚款");
        d.put("CF_NR", "罚款人民币12万元");
        d.put("CF_NR_FK", "12");
        d.put("CF_JDRQ", "2022-01-30");
        d.put("CF_YXQ", "2025-01-29");
        d.put("CF_GSJZQ", "2025-01-29");
        d.put("CF_CFJG", "巴中市市场监督管理局");
        d.put("CF_CFJGDM", "11420000MB15291767");
        d.put("CF_SJLY", "巴中市市场监督管理局");
        d.put("CF_SJLYDM", "11420000MB15291767");
        return d;
    }

    /** A complete, valid ADMIN_LICENSE {@code data} (a 自然人 holder). */
    static Map<String, Object> licenseData(String documentNo) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("XK_XDR_MC", "李四");
        d.put("XK_XDR_LB", "自然人");
        d.put("XK_XDR_ZJLX", "身份证");
        d.put("XK_XDR_ZJHM", "110101199001011237");
        d.put("XK_XKWS", "食品经营许可决定书");
        d.put("XK_WSH", documentNo);
        d.put("XK_XKLB", "普通");
        d.put("XK_JDRQ", "2023-03-01");
        d.put("XK_YXQZ", "2023-03-01");
        d.put("XK_YXQZI", "2099-12-31");
        d.put("XK_XKJG", "巴中市行政审批局");
        d.put("XK_XKJGDM", "11420000MB15291767");
        d.put("XK_LYDW", "巴中市行政审批局");
        d.put("XK_LYDWDM", "11420000MB15291767");
        return d;
    }

    static Map<String, Object> record(String recordId, String operation, Map<String, Object> data) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("recordId", recordId);
        r.put("version", "v-" + Integer.toHexString(data.hashCode()));
        r.put("operation", operation);
        r.put("data", data);
        return r;
    }

    static Map<String, Object> penalty(String n) {
        return record("SCJGJ:ADMIN_PENALTY:" + n, "UPSERT", penaltyData("巴市监处罚〔2022〕" + n + "号"));
    }

    static Map<String, Object> batch(String batchId, String dataset, List<Map<String, Object>> records) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("batchId", batchId);
        b.put("sourceUnit", new LinkedHashMap<>(Map.of("name", "巴中市社会信用体系建设领导小组办公室", "uscc", "11420000MB15291767")));
        b.put("dataset", dataset);
        b.put("schemaVersion", "2021");
        b.put("records", new ArrayList<>(records));
        return b;
    }

    /** A valid penalty batch with records {@code 1001 .. 1000+count}. */
    static Map<String, Object> penalties(String batchId, int count) {
        List<Map<String, Object>> records = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            records.add(penalty(String.valueOf(1000 + i)));
        }
        return batch(batchId, "ADMIN_PENALTY", records);
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
