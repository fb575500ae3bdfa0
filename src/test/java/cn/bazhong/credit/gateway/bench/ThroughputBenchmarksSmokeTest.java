package cn.bazhong.credit.gateway.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The throughput and cost benchmarks still work: their smoke mode runs each on a tiny input and fails on a broken
 * benchmark, never on a slow machine ({@link BenchmarkSmoke}). The disk-per-record and console-pages benchmarks have
 * the same smoke mode, run by hand (docs/benchmarks.md).
 */
class ThroughputBenchmarksSmokeTest {

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
}
