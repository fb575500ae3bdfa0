package cn.bazhong.credit.gateway.support;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.function.Function;

/**
 * Catalog and subscription files for fan-out tests and benchmarks: departments that implement the
 * tax-list measures, some of them the court-defaulter measure too, each reached by a webhook on
 * {@link WebhookReceivers}.
 */
public final class FanoutFixtures {

    private FanoutFixtures() {
    }

    /**
     * A catalog whose tax-list measures (TAX_A, MAJOR_TAX_VIOLATION) are implemented by
     * {@code taxDepartments} and whose court-defaulter measure by {@code courtDepartments}.
     */
    public static String catalog(String version, List<String> taxDepartments, List<String> courtDepartments) {
        StringBuilder units = new StringBuilder("  SWJ: { name: 税务局 }\n  ZJFY: { name: 中级人民法院 }\n");
        taxDepartments.forEach(d -> units.append("  ").append(d).append(": { name: 部门").append(d).append(" }\n"));
        courtDepartments.stream().filter(d -> !taxDepartments.contains(d))
                .forEach(d -> units.append("  ").append(d).append(": { name: 部门").append(d).append(" }\n"));
        String tax = String.join(", ", taxDepartments);
        return """
                version: "%s"
                units:
                %s
                listTypes:
                  TAX_A: { name: 纳税信用A级纳税人, category: RED, listedBy: SWJ }
                  MAJOR_TAX_VIOLATION: { name: 重大税收违法失信主体, category: BLACK, listedBy: SWJ }
                  COURT_DEFAULTER: { name: 失信被执行人, category: BLACK, listedBy: ZJFY }
                measures:
                  TAX-GREEN:
                    { type: INCENTIVE, listedBy: SWJ, triggers: [TAX_A], content: 绿色通道和容缺受理, legalBasis: 国发〔2016〕33号,
                      implementingUnits: [%s], evidence: 评定结果, duration: 列入名单期间 }
                  TAX-STRICT:
                    { type: PUNISHMENT, listedBy: SWJ, triggers: [MAJOR_TAX_VIOLATION], content: 从严审核, legalBasis: 国发〔2016〕33号,
                      implementingUnits: [%s], evidence: 公布信息, duration: 列入名单期间 }
                  COURT-LIMIT:
                    { type: PUNISHMENT, listedBy: ZJFY, triggers: [COURT_DEFAULTER], content: 限制高消费,
                      legalBasis: 《最高人民法院关于限制被执行人高消费及有关消费的若干规定》,
                      implementingUnits: [%s], evidence: 失信决定书, duration: 列入名单期间 }
                """.formatted(version, units.toString().stripTrailing(), tax, tax, String.join(", ", courtDepartments));
    }

    /**
     * The {@code subscriptions:} entries of webhook departments, each with a fresh secret registered on
     * {@code receivers}; {@code extra} adds lines under a department (e.g. {@code fullIdNumbers: true}).
     */
    public static String webhooks(WebhookReceivers receivers, List<String> departments, Function<String, String> extra) {
        StringBuilder s = new StringBuilder();
        for (String d : departments) {
            String secret = WebhookReceivers.newSecret();
            s.append("  ").append(d).append(":\n    webhook:\n      url: ").append(receivers.add(d, secret))
                    .append("\n      secrets: [\"").append(secret).append("\"]\n").append(extra.apply(d));
        }
        return s.toString();
    }

    /** The subject of a department event's body: its unified social credit code, or (a person) its ID number as sent. */
    public static String subjectCode(JsonNode body) {
        JsonNode s = body.path("subject");
        return s.hasNonNull("uscc") ? s.path("uscc").asText() : s.path("idNumber").asText();
    }
}
