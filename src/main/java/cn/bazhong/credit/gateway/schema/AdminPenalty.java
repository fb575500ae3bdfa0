package cn.bazhong.credit.gateway.schema;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/** 行政处罚 as the national 2021 双公示 standard describes it. Amounts are in 万元. */
public record AdminPenalty(
        String decisionNo,
        String violationType,
        String facts,
        String basis,
        List<String> kinds,
        String content,
        BigDecimal fineWan,
        BigDecimal confiscatedWan,
        String suspendedLicence,
        LocalDate decisionDate,
        LocalDate validUntil,
        LocalDate publicityUntil,
        Unit authority,
        Unit dataSource,
        String remarks) {
}
