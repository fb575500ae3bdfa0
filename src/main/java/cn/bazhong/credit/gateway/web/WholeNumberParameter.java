package cn.bazhong.credit.gateway.web;

/** A query parameter that must be a whole number within bounds: its value, its default when absent, or a 400 naming it. */
final class WholeNumberParameter {

    private WholeNumberParameter() {
    }

    /**
     * {@code raw} as a number from {@code min} to {@code max}; {@code otherwise} when it is absent or blank; else a 400
     * problem ({@code bad-parameter}) whose {@code field} is {@code name}.
     */
    static long of(String raw, String name, long min, long max, long otherwise) {
        if (raw == null || raw.isBlank()) {
            return otherwise;
        }
        try {
            long value = Long.parseLong(raw.strip());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new HttpProblem(400, "bad-parameter", name + " must be a whole number from " + min
                + (max == Long.MAX_VALUE ? " up" : " to " + max)).with("field", name);
    }
}
