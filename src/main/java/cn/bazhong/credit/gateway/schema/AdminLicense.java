package cn.bazhong.credit.gateway.schema;

import java.time.LocalDate;

/**
 * 行政许可 as the national 2021 双公示 standard describes it.
 *
 * @param longTerm true when {@code validTo} is 2099-12-31, the standard's way of writing 长期
 */
public record AdminLicense(
        String documentName,
        String decisionNo,
        String category,
        String certificateName,
        String licenceNo,
        String content,
        LocalDate decisionDate,
        LocalDate validFrom,
        LocalDate validTo,
        boolean longTerm,
        Unit authority,
        String status,
        Unit dataSource,
        String remarks) {
}
