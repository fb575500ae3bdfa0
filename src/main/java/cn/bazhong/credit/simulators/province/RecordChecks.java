package cn.bazhong.credit.simulators.province;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The province's own checks of one record's {@code data} (national 2021 codes, see credit-schema.md).
 * Only {@code UPSERT} records of {@code ADMIN_PENALTY} and {@code ADMIN_LICENSE} are checked; withdrawals
 * and the other datasets are taken as they come.
 *
 * <ul>
 *   <li>{@value #MISSING_FIELD}: a required field is absent, null or blank; the message names every such field.</li>
 *   <li>{@value #BAD_FORMAT}: a date is not {@code yyyy-MM-dd} (a real calendar date), {@code CF_NR_FK} is not a
 *       plain non-negative decimal ({@code 12}, {@code 0.5}; no separators, units or exponent), or
 *       {@code XK_YXQZI} precedes {@code XK_YXQZ}; the message names every such field.</li>
 * </ul>
 * Missing fields are reported before bad formats.
 */
public final class RecordChecks {

    /** Code of a rejection for an absent required field. */
    public static final String MISSING_FIELD = "MISSING_FIELD";
    /** Code of a rejection for a field in the wrong format. */
    public static final String BAD_FORMAT = "BAD_FORMAT";

    /** Required fields of an ADMIN_PENALTY upsert. */
    public static final List<String> PENALTY_REQUIRED = List.of("CF_XDR_MC", "CF_XDR_LB", "CF_WSH", "CF_WFXW", "CF_SY",
            "CF_YJ", "CF_CFLB", "CF_NR", "CF_JDRQ", "CF_YXQ", "CF_CFJG", "CF_CFJGDM", "CF_SJLY", "CF_SJLYDM");
    /** Date fields of an ADMIN_PENALTY record ({@code CF_GSJZQ} is optional). */
    public static final List<String> PENALTY_DATES = List.of("CF_JDRQ", "CF_YXQ", "CF_GSJZQ");

    /** Required fields of an ADMIN_LICENSE upsert. */
    public static final List<String> LICENSE_REQUIRED = List.of("XK_XDR_MC", "XK_XDR_LB", "XK_XKWS", "XK_WSH", "XK_XKLB",
            "XK_JDRQ", "XK_YXQZ", "XK_YXQZI", "XK_XKJG", "XK_XKJGDM", "XK_LYDW", "XK_LYDWDM");
    /** Date fields of an ADMIN_LICENSE record. */
    public static final List<String> LICENSE_DATES = List.of("XK_JDRQ", "XK_YXQZ", "XK_YXQZI");

    private static final DateTimeFormatter WIRE_DATE = DateTimeFormatter.ofPattern("uuuu-MM-dd")
            .withResolverStyle(ResolverStyle.STRICT);
    private static final Pattern PLAIN_DECIMAL = Pattern.compile("\\d+(\\.\\d+)?");

    private RecordChecks() {
    }

    /**
     * Why the province refuses a record, or empty when it has nothing against it.
     *
     * @param dataset   the batch's dataset
     * @param operation {@code UPSERT} or {@code WITHDRAW}
     * @param data      the record's fields
     */
    public static Optional<Rejection> check(String dataset, String operation, Map<String, ?> data) {
        if (!"UPSERT".equals(operation)) {
            return Optional.empty();
        }
        return switch (dataset) {
            case "ADMIN_PENALTY" -> check(data, PENALTY_REQUIRED, PENALTY_DATES, List.of("CF_NR_FK"), null);
            case "ADMIN_LICENSE" -> check(data, LICENSE_REQUIRED, LICENSE_DATES, List.of(), new String[] {"XK_YXQZ", "XK_YXQZI"});
            default -> Optional.empty();
        };
    }

    private static Optional<Rejection> check(Map<String, ?> data, List<String> required, List<String> dates,
                                             List<String> decimals, String[] fromTo) {
        List<String> missing = required.stream().filter(code -> isBlank(data.get(code))).toList();
        if (!missing.isEmpty()) {
            return Optional.of(new Rejection(MISSING_FIELD, (missing.size() == 1 ? "missing required field " : "missing required fields ")
                    + String.join(", ", missing)));
        }
        List<String> bad = new ArrayList<>();
        for (String code : dates) {
            Object value = data.get(code);
            if (!isBlank(value) && date(value) == null) {
                bad.add(code + " is not a yyyy-MM-dd date");
            }
        }
        for (String code : decimals) {
            Object value = data.get(code);
            if (!isBlank(value) && !isPlainDecimal(value)) {
                bad.add(code + " is not a plain decimal");
            }
        }
        if (fromTo != null && bad.isEmpty()) {
            LocalDate from = date(data.get(fromTo[0]));
            LocalDate to = date(data.get(fromTo[1]));
            if (from != null && to != null && to.isBefore(from)) {
                bad.add(fromTo[1] + " precedes " + fromTo[0]);
            }
        }
        return bad.isEmpty() ? Optional.empty() : Optional.of(new Rejection(BAD_FORMAT, String.join("; ", bad)));
    }

    private static boolean isBlank(Object value) {
        return value == null || value instanceof String s && s.isBlank();
    }

    private static LocalDate date(Object value) {
        if (!(value instanceof String s)) {
            return null;
        }
        try {
            return LocalDate.parse(s, WIRE_DATE);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static boolean isPlainDecimal(Object value) {
        if (value instanceof String s) {
            return PLAIN_DECIMAL.matcher(s).matches();
        }
        if (value instanceof Number n) {
            try {
                return new BigDecimal(n.toString()).signum() >= 0;
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return false;
    }

    /**
     * A record's REJECTED outcome, as it appears in the batch answer.
     *
     * @param code    machine-readable reason, e.g. {@value #MISSING_FIELD}
     * @param message human-readable reason naming the field
     */
    public record Rejection(String code, String message) {
    }
}
