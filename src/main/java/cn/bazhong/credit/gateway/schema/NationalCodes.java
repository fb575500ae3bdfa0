package cn.bazhong.credit.gateway.schema;

import cn.bazhong.credit.gateway.validation.Dates;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders a credit record's {@code data} object for the upstream wire format
 * (provincial-exchange.md), which uses the national 2021 双公示 field codes for administrative
 * penalties and licences.
 *
 * <p>Mapping (canonical → code), in the standard's order:
 * <ul>
 *   <li>subject, for both kinds with prefix {@code CF_} or {@code XK_}: name → XDR_MC, category → XDR_LB,
 *       uscc → XDR_SHXYM, regNo → XDR_GSZC, orgCode → XDR_ZZJG, taxNo → XDR_SWDJ,
 *       institutionNo → XDR_SYDW, socialOrgNo → XDR_SHZZ, legalRep.name / idType / idNumber →
 *       FRDB / FR_ZJLX / FR_ZJHM, idType / idNumber → XDR_ZJLX / XDR_ZJHM;</li>
 *   <li>penalty: decisionNo → CF_WSH, violationType → CF_WFXW, facts → CF_SY, basis → CF_YJ,
 *       kinds → CF_CFLB (joined with {@code ;}), content → CF_NR, fineWan → CF_NR_FK,
 *       confiscatedWan → CF_NR_WFFF, suspendedLicence → CF_NR_ZKDX, decisionDate → CF_JDRQ,
 *       validUntil → CF_YXQ, publicityUntil → CF_GSJZQ, authority → CF_CFJG / CF_CFJGDM,
 *       dataSource → CF_SJLY / CF_SJLYDM, remarks → BZ;</li>
 *   <li>licence: documentName → XK_XKWS, decisionNo → XK_WSH, category → XK_XKLB,
 *       certificateName → XK_XKZS, licenceNo → XK_XKBH, content → XK_NR, decisionDate → XK_JDRQ,
 *       validFrom → XK_YXQZ, validTo → XK_YXQZI (2099-12-31 for 长期), authority → XK_XKJG / XK_XKJGDM,
 *       status → XK_ZT, dataSource → XK_LYDW / XK_LYDWDM, remarks → BZ.</li>
 * </ul>
 * Dates are {@code yyyy-MM-dd}; amounts are 万元 as plain decimals without separators or
 * trailing zeros. Absent values are left out, never written as empty strings. ID numbers are
 * written in full: the upstream platform is entitled to them (credit-schema.md, Personal data).
 *
 * <p>List entries have no national code set; {@link #data} renders them in canonical names in
 * the shape of the {@code entry} of a provincial list update.
 */
public final class NationalCodes {

    private NationalCodes() {
    }

    /**
     * The national-code fields of an administrative penalty or licence, in the standard's order.
     *
     * @return an unmodifiable, insertion-ordered map from code to value
     * @throws IllegalArgumentException for a list entry (it has no national codes) or a record
     *     whose body does not match its kind
     */
    public static Map<String, String> render(CreditRecord r) {
        Map<String, String> out = new LinkedHashMap<>();
        switch (r.kind()) {
            case ADMIN_PENALTY -> {
                AdminPenalty p = body(r, r.penalty());
                subject(out, "CF_", r.subject());
                put(out, "CF_WSH", p.decisionNo());
                put(out, "CF_WFXW", p.violationType());
                put(out, "CF_SY", p.facts());
                put(out, "CF_YJ", p.basis());
                put(out, "CF_CFLB", p.kinds() == null || p.kinds().isEmpty() ? null : String.join(";", p.kinds()));
                put(out, "CF_NR", p.content());
                put(out, "CF_NR_FK", amount(p.fineWan()));
                put(out, "CF_NR_WFFF", amount(p.confiscatedWan()));
                put(out, "CF_NR_ZKDX", p.suspendedLicence());
                put(out, "CF_JDRQ", date(p.decisionDate()));
                put(out, "CF_YXQ", date(p.validUntil()));
                put(out, "CF_GSJZQ", date(p.publicityUntil()));
                unit(out, "CF_CFJG", "CF_CFJGDM", p.authority());
                unit(out, "CF_SJLY", "CF_SJLYDM", p.dataSource());
                put(out, "BZ", p.remarks());
            }
            case ADMIN_LICENSE -> {
                AdminLicense l = body(r, r.licence());
                subject(out, "XK_", r.subject());
                put(out, "XK_XKWS", l.documentName());
                put(out, "XK_WSH", l.decisionNo());
                put(out, "XK_XKLB", l.category());
                put(out, "XK_XKZS", l.certificateName());
                put(out, "XK_XKBH", l.licenceNo());
                put(out, "XK_NR", l.content());
                put(out, "XK_JDRQ", date(l.decisionDate()));
                put(out, "XK_YXQZ", date(l.validFrom()));
                put(out, "XK_YXQZI", date(l.validTo() == null && l.longTerm() ? Dates.LONG_TERM : l.validTo()));
                unit(out, "XK_XKJG", "XK_XKJGDM", l.authority());
                put(out, "XK_ZT", l.status());
                unit(out, "XK_LYDW", "XK_LYDWDM", l.dataSource());
                put(out, "BZ", l.remarks());
            }
            case LIST_ENTRY -> throw new IllegalArgumentException(
                    "a list entry has no national field codes; use NationalCodes.data: " + r.recordId());
            case COMMITMENT -> throw new IllegalArgumentException(
                    "a commitment has no national field codes and no provincial dataset: it is kept locally: " + r.recordId());
        }
        return Collections.unmodifiableMap(out);
    }

    /**
     * The upstream {@code data} of any record: {@link #render} for penalties and licences; for a
     * list entry an insertion-ordered map {@code listType, category, subject, decidedBy, basis,
     * decidedOn, validFrom, validTo, reason, documentNo, status, exitDate, exitReason, attributes}
     * with dates as {@code yyyy-MM-dd}, enums by name, {@code subject} and {@code decidedBy} as
     * maps in canonical names and {@code attributes} sorted by name. Absent values are left out.
     */
    public static Map<String, Object> data(CreditRecord r) {
        if (r.kind() != RecordKind.LIST_ENTRY) {
            return Collections.unmodifiableMap(render(r));
        }
        ListEntry e = body(r, r.entry());
        Map<String, Object> out = new LinkedHashMap<>();
        put(out, "listType", e.listType());
        put(out, "category", e.category() == null ? null : e.category().name());
        put(out, "subject", subjectMap(r.subject()));
        put(out, "decidedBy", unitMap(e.decidedBy()));
        put(out, "basis", e.basis());
        put(out, "decidedOn", date(e.decidedOn()));
        put(out, "validFrom", date(e.validFrom()));
        put(out, "validTo", date(e.validTo()));
        put(out, "reason", e.reason());
        put(out, "documentNo", e.documentNo());
        put(out, "status", e.status() == null ? null : e.status().name());
        put(out, "exitDate", date(e.exitDate()));
        put(out, "exitReason", e.exitReason());
        put(out, "attributes", e.attributes() == null || e.attributes().isEmpty()
                ? null : Collections.unmodifiableMap(new TreeMap<>(e.attributes())));
        return Collections.unmodifiableMap(out);
    }

    private static <T> T body(CreditRecord r, T body) {
        if (body == null) {
            throw new IllegalArgumentException("record " + r.recordId() + " of kind " + r.kind()
                    + " has no " + r.kind() + " body");
        }
        return body;
    }

    private static void subject(Map<String, String> out, String prefix, Subject s) {
        if (s == null) {
            return;
        }
        put(out, prefix + "XDR_MC", s.name());
        put(out, prefix + "XDR_LB", s.category());
        put(out, prefix + "XDR_SHXYM", s.uscc());
        put(out, prefix + "XDR_GSZC", s.regNo());
        put(out, prefix + "XDR_ZZJG", s.orgCode());
        put(out, prefix + "XDR_SWDJ", s.taxNo());
        put(out, prefix + "XDR_SYDW", s.institutionNo());
        put(out, prefix + "XDR_SHZZ", s.socialOrgNo());
        Party rep = s.legalRep();
        if (rep != null) {
            put(out, prefix + "FRDB", rep.name());
            put(out, prefix + "FR_ZJLX", rep.idType());
            put(out, prefix + "FR_ZJHM", rep.idNumber());
        }
        put(out, prefix + "XDR_ZJLX", s.idType());
        put(out, prefix + "XDR_ZJHM", s.idNumber());
    }

    private static void unit(Map<String, String> out, String nameCode, String usccCode, Unit u) {
        if (u != null) {
            put(out, nameCode, u.name());
            put(out, usccCode, u.uscc());
        }
    }

    private static Map<String, Object> subjectMap(Subject s) {
        if (s == null) {
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        put(out, "category", s.category());
        put(out, "name", s.name());
        put(out, "uscc", s.uscc());
        put(out, "regNo", s.regNo());
        put(out, "orgCode", s.orgCode());
        put(out, "taxNo", s.taxNo());
        put(out, "institutionNo", s.institutionNo());
        put(out, "socialOrgNo", s.socialOrgNo());
        Party rep = s.legalRep();
        if (rep != null) {
            Map<String, Object> legalRep = new LinkedHashMap<>();
            put(legalRep, "name", rep.name());
            put(legalRep, "idType", rep.idType());
            put(legalRep, "idNumber", rep.idNumber());
            put(out, "legalRep", legalRep.isEmpty() ? null : Collections.unmodifiableMap(legalRep));
        }
        put(out, "idType", s.idType());
        put(out, "idNumber", s.idNumber());
        return out.isEmpty() ? null : Collections.unmodifiableMap(out);
    }

    private static Map<String, Object> unitMap(Unit u) {
        if (u == null) {
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        put(out, "name", u.name());
        put(out, "uscc", u.uscc());
        return out.isEmpty() ? null : Collections.unmodifiableMap(out);
    }

    /** Leaves absent (null or empty) values out. */
    private static <V> void put(Map<String, V> out, String key, V value) {
        if (value != null && !(value instanceof String text && text.isEmpty())) {
            out.put(key, value);
        }
    }

    private static String date(LocalDate d) {
        return d == null ? null : d.toString();
    }

    private static String amount(BigDecimal wan) {
        return wan == null ? null : wan.stripTrailingZeros().toPlainString();
    }
}
