package cn.bazhong.credit.gateway.cli;

import cn.bazhong.credit.gateway.ingest.RecordPublisher;
import cn.bazhong.credit.gateway.schema.Commitment;
import cn.bazhong.credit.gateway.schema.Unit;
import cn.bazhong.credit.gateway.upstream.BatchStage;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Written commitments (信用承诺, plan item 5) are collected like every other kind, through a mapping: the
 * XZSPJ sample maps to COMMITMENT records keyed by the accepting unit and the commitment's number; whether
 * one stands broken on a day follows the plan's "在规定期限内"; and none goes to the province.
 */
class CommitmentsFeedTest {

    @Test
    void the_xzspj_sample_maps_to_commitments_keyed_by_accepting_unit_and_number_and_a_bad_status_is_rejected() {
        MappingCheckRun run = MappingCheckRun.of("--mapping", "mappings/xzspj-commitments.yaml",
                "--input", "samples/feeds/rest/xzspj/commitments-001.json");

        assertThat(run.records()).hasSize(3);
        JsonNode open = run.records().get(0);
        assertThat(open.path("kind").asText()).isEqualTo("COMMITMENT");
        assertThat(open.path("recordId").asText()).isEqualTo("XZSPJ:COMMITMENT:11511900MB1530038P:巴审批容缺〔2026〕0101号");
        assertThat(open.path("commitment").path("matter").asText()).isEqualTo("5119-XK-0001");
        assertThat(open.path("commitment").path("deadline").asText()).isEqualTo("2026-03-30");
        assertThat(open.path("commitment").path("status").asText()).isEqualTo("OPEN");
        assertThat(open.path("commitment").path("acceptedBy").path("uscc").asText()).isEqualTo("11511900MB1530038P");
        JsonNode kept = run.records().get(1);
        assertThat(kept.path("commitment").path("matter").asText()).as("no item code: the matter's name").isEqualTo("排污许可");
        assertThat(kept.path("commitment").path("status").asText()).isEqualTo("FULFILLED");
        assertThat(kept.path("commitment").path("closedOn").asText()).isEqualTo("2026-03-05");

        JsonNode broken = run.records().get(2);
        assertThat(broken.path("subject").path("category").asText()).isEqualTo("自然人");
        assertThat(broken.path("commitment").path("status").asText()).isEqualTo("BROKEN");
        assertThat(broken.path("commitment").path("closedOn").asText()).isEqualTo("2026-04-23");

        assertThat(run.report().path("rejected")).hasSize(1);
        JsonNode rejected = run.report().path("rejected").get(0);
        assertThat(rejected.path("position").asInt()).isEqualTo(3);
        assertThat(run.exitCode()).isEqualTo(1);
    }

    @Test
    void a_commitment_is_broken_when_reported_so_kept_after_its_deadline_or_still_open_after_it() {
        LocalDate deadline = LocalDate.of(2026, 3, 30);
        assertThat(commitment(null, null, deadline).brokenOn(deadline)).as("open on its last day").isFalse();
        assertThat(commitment(null, null, deadline).brokenOn(deadline.plusDays(1))).as("open the day after").isTrue();
        assertThat(commitment(Commitment.OPEN, null, deadline).brokenOn(deadline.plusDays(1))).isTrue();
        assertThat(commitment(Commitment.FULFILLED, deadline, deadline).brokenOn(deadline.plusYears(1))).isFalse();
        assertThat(commitment(Commitment.FULFILLED, deadline.plusDays(1), deadline).brokenOn(deadline.plusDays(2)))
                .as("papers handed in late: not 在规定期限内").isTrue();
        assertThat(commitment(Commitment.BROKEN, deadline.minusDays(3), deadline).brokenOn(deadline.minusDays(3))).isTrue();
        assertThat(Commitment.statusOn(Commitment.OPEN, deadline, null, deadline)).isEqualTo(Commitment.OPEN);
        assertThat(Commitment.statusOn(Commitment.OPEN, deadline, null, deadline.plusDays(1))).isEqualTo(Commitment.BROKEN);
        assertThat(Commitment.statusOn(Commitment.FULFILLED, deadline, deadline.minusDays(1), deadline.plusDays(9))).isEqualTo(Commitment.FULFILLED);
    }

    @Test
    void commitments_are_kept_in_the_city_and_every_other_kind_goes_to_the_province() {
        assertThat(BatchStage.keptLocally(record("COMMITMENT"))).isTrue();
        for (String kind : new String[] {"ADMIN_PENALTY", "ADMIN_LICENSE", "LIST_ENTRY"}) {
            assertThat(BatchStage.keptLocally(record(kind))).as(kind).isFalse();
        }
    }

    private static Commitment commitment(String status, LocalDate closedOn, LocalDate deadline) {
        return new Commitment("N1", "5119-XK-0001", "补交材料", deadline.minusDays(28), deadline,
                new Unit("巴中市行政审批局", "11511900MB1530038P"), status, closedOn, null);
    }

    private static ConsumerRecord<String, byte[]> record(String kind) {
        ConsumerRecord<String, byte[]> r = new ConsumerRecord<>("credit.upstream", 0, 0L, "XZSPJ:" + kind + ":k", new byte[0]);
        r.headers().add(RecordPublisher.VERSION_HEADER, "v".getBytes(StandardCharsets.UTF_8));
        r.headers().add(RecordPublisher.KIND_HEADER, kind.getBytes(StandardCharsets.UTF_8));
        r.headers().add(RecordPublisher.DEPARTMENT_HEADER, "XZSPJ".getBytes(StandardCharsets.UTF_8));
        r.headers().add(RecordPublisher.FEED_HEADER, "f".getBytes(StandardCharsets.UTF_8));
        return r;
    }
}
