package cn.bazhong.credit.gateway.schema;

import java.time.LocalDate;
import java.util.Map;

/**
 * A red, black or attention list entry. Whether it is active on a given day is derived from
 * {@code status} and the validity dates when it is read, never stored.
 *
 * @param listType   catalog list type, e.g. {@code TAX_A}, {@code COURT_DEFAULTER}, {@code MAJOR_TAX_VIOLATION}
 * @param attributes feed-specific facts kept with the entry (履行情况, 评价年度 …), by name
 */
public record ListEntry(
        String listType,
        ListCategory category,
        Unit decidedBy,
        String basis,
        LocalDate decidedOn,
        LocalDate validFrom,
        LocalDate validTo,
        String reason,
        String documentNo,
        ListStatus status,
        LocalDate exitDate,
        String exitReason,
        Map<String, String> attributes) {
}
