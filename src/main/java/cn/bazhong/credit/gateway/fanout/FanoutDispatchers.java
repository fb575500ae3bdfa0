package cn.bazhong.credit.gateway.fanout;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Every enabled department's dispatcher, started and stopped with the gateway, and the subscriptions they run
 * with. {@link #apply} puts changed subscriptions in use while the gateway runs: a department that is new (or
 * newly enabled) gets its dispatcher, which starts at its group's committed offset (at the beginning of the list
 * changes when it never had one, as at start-up); a removed (or disabled) department's dispatcher stops after the
 * event in hand, its offsets committed and kept by Kafka, so that subscribing it again carries on from there; a
 * department whose subscription changed (channel, personal-data rights, retries) has its old dispatcher stopped
 * the same way before the new one starts from the committed offset, so that no event is lost or sent twice.
 * Departments whose subscription did not change keep running untouched.
 */
public final class FanoutDispatchers implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(FanoutDispatchers.class);

    /** Builds (does not start) the dispatcher of one subscription; throws {@link IllegalStateException} naming the problem. */
    @FunctionalInterface
    public interface Factory {
        DepartmentDispatcher build(Subscription subscription);
    }

    /** What a change of the subscriptions did: departments started, stopped, and restarted with their new subscription. */
    public record Changes(List<String> added, List<String> removed, List<String> changed) {
        public boolean none() {
            return added.isEmpty() && removed.isEmpty() && changed.isEmpty();
        }
    }

    private final Factory factory;
    private final Function<Subscriptions, List<String>> ready;
    private final Consumer<String> released;
    private volatile Subscriptions subscriptions;
    /** Replaced whole on every change: readers (health, operations) see one set. */
    private volatile Map<String, DepartmentDispatcher> dispatchers;
    private volatile boolean running;

    /**
     * @param ready    the problems that keep a set of subscriptions from running here (a {@code direct:} channel without its
     *                 route), empty when it can; asked of a changed set before anything is stopped
     * @param released called with a department whose dispatcher stopped for good (its meters go)
     */
    public FanoutDispatchers(Subscriptions subscriptions, Factory factory, Function<Subscriptions, List<String>> ready,
                             Consumer<String> released) {
        this.factory = factory;
        this.ready = ready;
        this.released = released;
        this.subscriptions = subscriptions;
        Map<String, DepartmentDispatcher> built = new LinkedHashMap<>();
        for (Subscription s : subscriptions.enabled()) {
            built.put(s.department(), factory.build(s));
        }
        this.dispatchers = java.util.Collections.unmodifiableMap(built);
    }

    /** The subscriptions in use. */
    public Subscriptions subscriptions() {
        return subscriptions;
    }

    public List<DepartmentDispatcher> all() {
        return List.copyOf(dispatchers.values());
    }

    public Optional<DepartmentDispatcher> of(String department) {
        return Optional.ofNullable(dispatchers.get(department));
    }

    /**
     * Puts {@code next} in use, touching only the departments whose enabled subscription was added, removed or
     * changed. Everything that can fail (the new channels' senders, the routes of {@code direct:} channels) is done
     * before a dispatcher is stopped: on failure the running ones stay as they were.
     *
     * @throws IllegalStateException naming the problem, when the new set cannot run here
     */
    public synchronized Changes apply(Subscriptions next) {
        Map<String, Subscription> before = enabled(subscriptions);
        Map<String, Subscription> after = enabled(next);
        List<String> added = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        after.forEach((dept, s) -> {
            if (!before.containsKey(dept)) {
                added.add(dept);
            } else if (!before.get(dept).equals(s)) {
                changed.add(dept);
            }
        });
        before.keySet().stream().filter(d -> !after.containsKey(d)).forEach(removed::add);
        Changes changes = new Changes(List.copyOf(added), List.copyOf(removed), List.copyOf(changed));
        if (changes.none()) {
            subscriptions = next; // e.g. a disabled department's channel, or only the description changed
            return changes;
        }
        List<String> problems = ready.apply(next);
        if (!problems.isEmpty()) {
            throw new IllegalStateException(String.join("; ", problems));
        }
        Map<String, DepartmentDispatcher> fresh = new LinkedHashMap<>();
        try {
            for (String dept : concat(added, changed)) {
                fresh.put(dept, factory.build(after.get(dept)));
            }
        } catch (RuntimeException e) {
            fresh.values().forEach(d -> d.sender().close());
            throw e;
        }
        List<DepartmentDispatcher> leaving = new ArrayList<>();
        concat(removed, changed).forEach(d -> leaving.add(dispatchers.get(d)));
        stopAll(leaving); // each after the event in hand, its offsets committed
        removed.forEach(released);
        Map<String, DepartmentDispatcher> now = new LinkedHashMap<>();
        for (String dept : after.keySet()) {
            now.put(dept, fresh.containsKey(dept) ? fresh.get(dept) : dispatchers.get(dept));
        }
        dispatchers = java.util.Collections.unmodifiableMap(now);
        subscriptions = next;
        if (running) {
            fresh.values().forEach(DepartmentDispatcher::start);
        }
        LOG.info("fan-out subscriptions changed: started {}, stopped {}, restarted with their new subscription {}", added, removed, changed);
        return changes;
    }

    private static Map<String, Subscription> enabled(Subscriptions s) {
        Map<String, Subscription> out = new LinkedHashMap<>();
        s.enabled().forEach(x -> out.put(x.department(), x));
        return out;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    @Override
    public synchronized void start() {
        dispatchers.values().forEach(DepartmentDispatcher::start);
        running = true;
        LOG.info("fan-out started for {} departments: {}", dispatchers.size(),
                dispatchers.values().stream().map(d -> d.department() + " (" + d.sender().describe() + ")").toList());
    }

    @Override
    public synchronized void stop() {
        running = false;
        stopAll(dispatchers.values());
    }

    /** Stopped in parallel: each waits for its thread, and one hanging endpoint must not hold the others. */
    private static void stopAll(Collection<DepartmentDispatcher> stopping) {
        List<Thread> threads = stopping.stream().map(d -> new Thread(d::stop, "stop-" + d.name())).toList();
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        stopping.forEach(d -> d.sender().close());
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
