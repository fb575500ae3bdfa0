package cn.bazhong.credit.gateway.bench;

import org.apache.kafka.tools.ProducerPerformance;

import java.time.Duration;

/**
 * Kafka's {@code org.apache.kafka.tools.ProducerPerformance}, unchanged and with its own arguments, in
 * the collection benchmark's tool JVM. The only addition: the JVM's own CPU time (user + system, all
 * threads) when {@code main} starts and when the tool has finished, as {@code bench: cpu-at-main=<ns>}
 * and {@code bench: cpu-at-end=<ns>}, because the benchmark cannot read the CPU time of a process that
 * has already exited.
 */
public final class BenchProducerPerformance {

    private BenchProducerPerformance() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("bench: cpu-at-main=" + cpu());
        ProducerPerformance.main(args);
        System.out.println("bench: cpu-at-end=" + cpu());
        System.out.flush();
        System.exit(0);
    }

    private static long cpu() {
        return ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO).toNanos();
    }
}
