package cn.bazhong.credit.gateway.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The latency benchmarks of issue 15 (targets 2 and 4) still work: their smoke mode runs each on a tiny input and
 * fails on a broken benchmark, never on a slow machine ({@link BenchmarkSmoke}).
 */
class LatencyBenchmarksSmokeTest {

    @Test
    void the_rest_latency_benchmark_in_its_smoke_mode_brings_every_pushed_record_to_the_province_once_and_every_list_entry_to_every_receiver()
            throws Exception {
        String output = BenchmarkSmoke.run("bench/rest-latency.sh");
        assertThat(output).contains("## End-to-end latency").contains("| (a) penalty record: push due → accepted at the province |")
                .contains("| (c) list entry: push due → listed at the last of 2 receivers |").contains("every count was right");
    }

    @Test
    void the_lists_benchmark_in_its_smoke_mode_answers_every_check_and_brings_every_change_to_every_receiver() throws Exception {
        String output = BenchmarkSmoke.run("bench/lists.sh");
        assertThat(output).contains("## Lists benchmark result").contains("| gateway start with the view rebuilt from the list-state topic |")
                .contains("fan-out: 20 list changes × 2 webhook receivers")
                .contains("lists benchmark: every check was answered 200").contains("every count was right");
    }
}
