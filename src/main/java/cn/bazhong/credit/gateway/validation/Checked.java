package cn.bazhong.credit.gateway.validation;

import java.util.Objects;
import java.util.function.Function;

/**
 * The outcome of checking one field: either {@link Ok} with the normalised value, or {@link
 * Failed} with the {@link Rule} that was broken and a human-readable message.
 *
 * <p>Messages describe the problem, not the field: callers prefix the field name and record
 * position when they report. Messages never contain a full citizen identity number.
 *
 * @param <T> type of the normalised value
 */
public sealed interface Checked<T> permits Checked.Ok, Checked.Failed {

    /**
     * A passed check.
     *
     * @param value the normalised value, never null
     */
    record Ok<T>(T value) implements Checked<T> {
        /** Rejects a null value: a passed check always has a value. */
        public Ok {
            Objects.requireNonNull(value, "value");
        }

        /** Always {@code null}: a passed check broke no rule. */
        @Override
        public Rule rule() {
            return null;
        }

        /** Always {@code null}: a passed check has no message. */
        @Override
        public String message() {
            return null;
        }

        @Override
        public <R> Checked<R> map(Function<? super T, ? extends R> mapper) {
            return new Ok<>(mapper.apply(value));
        }
    }

    /**
     * A failed check.
     *
     * @param rule the rule that was broken, never null
     * @param message what is wrong, never null
     */
    record Failed<T>(Rule rule, String message) implements Checked<T> {
        /** Rejects a null rule or message. */
        public Failed {
            Objects.requireNonNull(rule, "rule");
            Objects.requireNonNull(message, "message");
        }

        /** Always throws: a failed check has no value. */
        @Override
        public T value() {
            throw new IllegalStateException(
                    "no value: check failed (" + rule.code() + "): " + message);
        }

        /** Returns this same failure, retyped; the mapper is not called. */
        @Override
        @SuppressWarnings("unchecked")
        public <R> Checked<R> map(Function<? super T, ? extends R> mapper) {
            return (Checked<R>) (Checked<?>) this;
        }
    }

    /** Returns a passed check holding {@code value} (must not be null). */
    static <T> Checked<T> ok(T value) {
        return new Ok<>(value);
    }

    /** Returns a failed check for {@code rule} with {@code message} (both must not be null). */
    static <T> Checked<T> fail(Rule rule, String message) {
        return new Failed<>(rule, message);
    }

    /** Returns true for {@link Ok}, false for {@link Failed}. */
    default boolean isOk() {
        return this instanceof Ok;
    }

    /**
     * Returns the normalised value.
     *
     * @throws IllegalStateException if this check failed
     */
    T value();

    /** Returns the broken rule, or {@code null} if the check passed. */
    Rule rule();

    /** Returns the failure message, or {@code null} if the check passed. */
    String message();

    /**
     * Transforms the value of a passed check; a failed check is returned unchanged (retyped) and
     * the mapper is not called. The mapper must not return null.
     */
    <R> Checked<R> map(Function<? super T, ? extends R> mapper);
}
