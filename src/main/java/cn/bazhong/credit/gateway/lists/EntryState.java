package cn.bazhong.credit.gateway.lists;

import cn.bazhong.credit.gateway.schema.ListCategory;
import cn.bazhong.credit.gateway.schema.ListStatus;

import java.io.Serializable;
import java.time.LocalDate;

/**
 * One list entry as the check API serves it. Whether it is active on a day is derived here from
 * the status and the validity dates, never stored.
 */
public record EntryState(
        String recordId,
        String listType,
        ListCategory category,
        String decidedBy,
        String documentNo,
        LocalDate decidedOn,
        LocalDate validFrom,
        LocalDate validTo,
        ListStatus status,
        LocalDate exitDate) implements Serializable {

    public boolean activeOn(LocalDate day) {
        if (status == ListStatus.EXITED) {
            return false;
        }
        if (validFrom != null && day.isBefore(validFrom)) {
            return false;
        }
        return validTo == null || !day.isAfter(validTo);
    }
}
