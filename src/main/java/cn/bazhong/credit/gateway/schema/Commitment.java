package cn.bazhong.credit.gateway.schema;

import java.time.LocalDate;

/**
 * 信用承诺: a written commitment (书面承诺) a subject gave a unit, e.g. to hand in the papers still missing
 * from an application accepted under 容缺受理 (巴府办发〔2018〕68号 item 5) within a deadline. Later
 * versions of the same record (same accepting unit and number) say whether it was kept.
 *
 * @param number      承诺书编号, the accepting unit's number for the commitment
 * @param matter      the approval matter (事项) it was given for: item code or name
 * @param content     what was promised (承诺内容)
 * @param committedOn the day it was signed (承诺日期)
 * @param deadline    the last day to keep it (履约期限)
 * @param acceptedBy  the accepting unit (受理单位) and its credit code
 * @param status      {@code OPEN}, {@code FULFILLED} or {@code BROKEN} as the unit last reported; null is OPEN
 * @param closedOn    the day it was kept or found broken, when the unit reports it
 */
public record Commitment(
        String number,
        String matter,
        String content,
        LocalDate committedOn,
        LocalDate deadline,
        Unit acceptedBy,
        String status,
        LocalDate closedOn,
        String remarks) {

    public static final String OPEN = "OPEN";
    public static final String FULFILLED = "FULFILLED";
    public static final String BROKEN = "BROKEN";

    /**
     * Whether the commitment stands broken on {@code today}: reported broken; reported kept, but after the
     * deadline (the plan asks for the papers 在规定期限内); or still open after its deadline.
     */
    public boolean brokenOn(LocalDate today) {
        return brokenOn(status, deadline, closedOn, today);
    }

    public static boolean brokenOn(String status, LocalDate deadline, LocalDate closedOn, LocalDate today) {
        if (BROKEN.equals(status)) {
            return true;
        }
        if (FULFILLED.equals(status)) {
            return deadline != null && closedOn != null && closedOn.isAfter(deadline);
        }
        return deadline != null && today.isAfter(deadline);
    }

    /** The status a reader sees on {@code today}: {@code FULFILLED}, {@code BROKEN} or {@code OPEN}. */
    public static String statusOn(String status, LocalDate deadline, LocalDate closedOn, LocalDate today) {
        return brokenOn(status, deadline, closedOn, today) ? BROKEN : FULFILLED.equals(status) ? FULFILLED : OPEN;
    }
}
