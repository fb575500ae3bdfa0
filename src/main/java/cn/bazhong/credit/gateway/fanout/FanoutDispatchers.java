package cn.bazhong.credit.gateway.fanout;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.util.List;
import java.util.Optional;

/** Every enabled department's dispatcher, started and stopped with the gateway. */
public final class FanoutDispatchers implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(FanoutDispatchers.class);

    private final List<DepartmentDispatcher> dispatchers;
    private volatile boolean running;

    public FanoutDispatchers(List<DepartmentDispatcher> dispatchers) {
        this.dispatchers = List.copyOf(dispatchers);
    }

    public List<DepartmentDispatcher> all() {
        return dispatchers;
    }

    public Optional<DepartmentDispatcher> of(String department) {
        return dispatchers.stream().filter(d -> d.department().equals(department)).findFirst();
    }

    @Override
    public void start() {
        dispatchers.forEach(DepartmentDispatcher::start);
        running = true;
        LOG.info("fan-out started for {} departments: {}", dispatchers.size(),
                dispatchers.stream().map(d -> d.department() + " (" + d.sender().describe() + ")").toList());
    }

    @Override
    public void stop() {
        running = false;
        // stopped in parallel: each waits for its thread, and one hanging endpoint must not hold the others
        List<Thread> stopping = dispatchers.stream().map(d -> new Thread(d::stop, "stop-" + d.name())).toList();
        stopping.forEach(Thread::start);
        for (Thread t : stopping) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        dispatchers.forEach(d -> d.sender().close());
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
