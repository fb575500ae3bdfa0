package cn.bazhong.credit.gateway.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The benchmarks of issue 15 still work: their smoke mode runs each on a tiny input and fails on a broken benchmark,
 * never on a slow machine ({@link BenchmarkSmoke}). Runs the collection, mapping, personal-fields and end-to-end
 * latency benchmarks, and the views-memory benchmark's counts in this JVM (its member alone costs a few seconds);
 * the lists, disk-per-record and console-pages benchmarks have the same smoke mode, run by hand
 * (about 40, 27 and 29 CPU-seconds: the suite's time budget has no room for them; docs/benchmarks.md). Runs in
 * {@code verify} (failsafe), beside the cluster test:
 * {@code ./mvnw -ntp verify -Dtest=none -Dit.test=BenchmarkSmokeIT -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class BenchmarkSmokeIT {

    @Test
    void the_collection_benchmark_in_its_smoke_mode_delivers_every_record_through_separate_jvms_and_reports_both_phases() throws Exception {
        String output = BenchmarkSmoke.run("bench/collection-throughput.sh");
        assertThat(output).contains("### A: pipeline").contains("### B: ProducerPerformance")
                .contains("| CPU µs per record |").contains("every part worked and the counts were right");
    }

    @Test
    void the_mapping_benchmark_in_its_smoke_mode_maps_the_generated_file_with_the_expected_counts() throws Exception {
        String output = BenchmarkSmoke.run("bench/mapping-throughput.sh");
        assertThat(output).contains("Ratio full mapping / plain parse");
    }

    @Test
    void the_personal_fields_benchmark_in_its_smoke_mode_seals_every_record_so_that_it_opens_to_its_subject_under_both_ciphers()
            throws Exception {
        String output = BenchmarkSmoke.run("bench/personal-fields.sh");
        assertThat(output).contains("SM4-GCM: every sealed record held no ID number in the clear and opened to its subject")
                .contains("AES-256-GCM: every sealed record held no ID number in the clear and opened to its subject")
                .contains("seal + record to JSON, SM4-GCM");
    }

    @Test
    void the_rest_latency_benchmark_in_its_smoke_mode_brings_every_pushed_record_to_the_province_once_and_every_list_entry_to_every_receiver()
            throws Exception {
        String output = BenchmarkSmoke.run("bench/rest-latency.sh");
        assertThat(output).contains("## End-to-end latency").contains("| (a) penalty record: push due → accepted at the province |")
                .contains("| (c) list entry: push due → listed at the last of 2 receivers |").contains("every count was right");
    }

    @Test
    void the_views_memory_benchmark_at_its_smoke_size_claims_every_version_and_stores_every_trace() throws Exception {
        assertThat(ViewsMemoryBenchmark.run(20_000, 5_000)).as("every count right (the output above says which was not)").isTrue();
    }
}
