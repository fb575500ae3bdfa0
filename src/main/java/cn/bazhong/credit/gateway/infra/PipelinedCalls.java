package cn.bazhong.credit.gateway.infra;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * One asynchronous Hazelcast call per key, up to {@link #DEPTH} in flight, instead of one
 * multi-key call.
 *
 * <p>{@code IMap.executeOnKeys} and {@code IMap.getAll} give the whole key set to the operation of
 * every partition involved, and each of those operations looks through every key for its own: with
 * a few hundred keys spread over the 271 partitions, a probe measured about 28 µs per key for
 * {@code executeOnKeys} and 4 to 8 µs for {@code getAll}, against about 2 µs per key for
 * single-key calls in flight together on the same member (docs/benchmarks.md).
 *
 * <p>The answers are awaited with {@code join}, never with completion callbacks: Hazelcast runs
 * callbacks on the common fork-join pool, which on a machine with two cores means one new thread
 * per callback.
 */
public final class PipelinedCalls {

    /** Calls in flight at most; beyond that the caller waits for the oldest. */
    public static final int DEPTH = 256;

    private PipelinedCalls() {
    }

    /** Starts {@code call} for every key and returns each key's answer (null answers are left out). */
    public static <K, R> Map<K, R> each(Collection<K> keys, Function<K, CompletionStage<R>> call) {
        Map<K, R> answers = new HashMap<>(keys.size() * 2);
        Deque<Map.Entry<K, CompletableFuture<R>>> inFlight = new ArrayDeque<>(DEPTH);
        try {
            for (K key : keys) {
                if (inFlight.size() == DEPTH) {
                    collect(inFlight.poll(), answers);
                }
                inFlight.add(Map.entry(key, call.apply(key).toCompletableFuture()));
            }
            while (!inFlight.isEmpty()) {
                collect(inFlight.poll(), answers);
            }
            return answers;
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("a Hazelcast call failed: " + e.getCause(), e.getCause());
        }
    }

    private static <K, R> void collect(Map.Entry<K, CompletableFuture<R>> call, Map<K, R> answers) {
        R answer = call.getValue().join();
        if (answer != null) {
            answers.put(call.getKey(), answer);
        }
    }
}
