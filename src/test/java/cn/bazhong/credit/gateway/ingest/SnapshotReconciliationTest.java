package cn.bazhong.credit.gateway.ingest;

import cn.bazhong.credit.gateway.mapping.MappingDefinition;
import cn.bazhong.credit.gateway.mapping.MappingLoader;
import cn.bazhong.credit.gateway.mapping.MappingResult;
import cn.bazhong.credit.gateway.mapping.RecordMapper;
import cn.bazhong.credit.gateway.mapping.source.RecordReader;
import cn.bazhong.credit.gateway.schema.CreditRecord;
import cn.bazhong.credit.gateway.schema.ListStatus;
import cn.bazhong.credit.gateway.schema.Provenance;
import cn.bazhong.credit.gateway.schema.RecordJson;
import cn.bazhong.credit.gateway.validation.Rule;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

/**
 * The pure decision of what a court snapshot may change, on the court's sample file and damaged
 * copies of it: no exit from a snapshot that was not read whole, never an exit of a party whose row
 * was rejected, and a new version for every exit and return of a member.
 */
class SnapshotReconciliationTest {

    static final Clock TODAY = Clock.fixed(Instant.parse("2026-11-27T02:00:00Z"), ZoneId.of("Asia/Shanghai"));
    static final LocalDate DAY = LocalDate.now(TODAY);
    static final MappingDefinition MAPPING = MappingLoader.load(Path.of("mappings", "zjfy-defaulters.yaml"));
    static final byte[] SAMPLE = read("samples/feeds/sftp/zjfy/export/sxbzxr/SXBZXR_20250310.xml");

    static byte[] read(String path) {
        try {
            return Files.readAllBytes(Path.of(path));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every outcome of mapping the input; a reader that fails ends the list with null. */
    static List<MappingResult> map(byte[] input) {
        RecordMapper mapper = new RecordMapper(MAPPING, TODAY);
        Provenance provenance = new Provenance(MAPPING.department(), "test", "input", null, null, null, null, null,
                Instant.now(TODAY), MAPPING.id(), MAPPING.version());
        List<MappingResult> results = new ArrayList<>();
        try (RecordReader reader = RecordReader.open(MAPPING.source(), new ByteArrayInputStream(input))) {
            while (reader.hasNext()) {
                results.add(mapper.map(reader.next(), provenance));
            }
        } catch (IOException | RuntimeException e) {
            results.add(null);
        }
        return results;
    }

    /** The sample's members as the ledger knows them after the sample was taken: its accepted records. */
    static SnapshotLedger.Members sampleMembers() {
        Map<String, CreditRecord> members = new LinkedHashMap<>();
        for (MappingResult r : map(SAMPLE)) {
            if (r instanceof MappingResult.Accepted a) {
                members.put(a.record().recordId(), a.record());
            }
        }
        return SnapshotLedger.Members.of(MAPPING.id(), members);
    }

    static SnapshotReconciliation reconcile(SnapshotLedger.Members before, List<MappingResult> results) {
        SnapshotReconciliation snapshot = new SnapshotReconciliation(before, DAY);
        for (MappingResult r : results) {
            if (r == null) {
                snapshot.unreadable("the reader failed");
            } else if (r instanceof MappingResult.Accepted a) {
                snapshot.accepted(a.record());
            } else {
                snapshot.rejected((MappingResult.Rejected) r);
            }
        }
        return snapshot;
    }

    @Test
    void exits_come_only_from_a_snapshot_read_whole_without_a_syntax_error_and_never_for_a_rejected_party() {
        SnapshotLedger.Members before = sampleMembers();
        assertThat(before.active()).hasSize(31);
        qt().withExamples(400).forAll(
                integers().between(0, 2),
                integers().between(0, SAMPLE.length),
                integers().between(0, SAMPLE.length - 1),
                integers().between(0, 255)
        ).checkAssert((mode, cut, at, value) -> {
            byte[] input = SAMPLE.clone();
            if (mode != 0) {
                input[at] = (byte) (int) value;
            }
            if (mode != 1) {
                input = java.util.Arrays.copyOf(input, cut);
            }
            List<MappingResult> results = map(input);
            SnapshotReconciliation.Decision d = reconcile(before, results).decide(0.10);
            List<CreditRecord> derived = new ArrayList<>(d.exits());
            derived.addAll(d.held());

            boolean whole = results.stream().noneMatch(r -> r == null || r instanceof MappingResult.Rejected rej
                    && rej.violations().stream().anyMatch(v -> v.rule() == Rule.SYNTAX));
            if (!whole) {
                assertThat(derived).as("exits from a snapshot that was not read whole").isEmpty();
                assertThat(d.withheldReason()).startsWith("snapshot-incomplete: ");
            }
            Set<String> rejectedParties = new HashSet<>();
            Set<String> present = new HashSet<>();
            boolean unidentified = false;
            for (MappingResult r : results) {
                if (r instanceof MappingResult.Rejected rej) {
                    unidentified |= rej.recordId() == null;
                    rejectedParties.add(rej.recordId());
                } else if (r instanceof MappingResult.Accepted a) {
                    present.add(a.record().recordId());
                }
            }
            if (unidentified) {
                assertThat(derived).as("exits although a rejected row could be anybody").isEmpty();
            }
            for (CreditRecord exit : derived) {
                assertThat(rejectedParties).as("a rejected party exited").doesNotContain(exit.recordId());
                assertThat(present).as("a present party exited").doesNotContain(exit.recordId());
                assertThat(before.get(exit.recordId()).entry().status()).isNotEqualTo(ListStatus.EXITED);
                assertThat(exit.entry().status()).isEqualTo(ListStatus.EXITED);
            }
        });
    }

    @Test
    void a_snapshot_cut_after_its_sixth_record_derives_no_exit_and_says_why() {
        String sample = new String(SAMPLE, StandardCharsets.UTF_8);
        int at = -1;
        for (int i = 0; i < 6; i++) {
            at = sample.indexOf("</record>", at + 1);
        }
        byte[] cut = (sample.substring(0, at + "</record>".length()) + "\n").getBytes(StandardCharsets.UTF_8);

        SnapshotReconciliation.Decision d = reconcile(sampleMembers(), map(cut)).decide(0.10);

        assertThat(d.exits()).isEmpty();
        assertThat(d.held()).isEmpty();
        assertThat(d.withheld()).isEqualTo(27);
        assertThat(d.withheldReason()).isEqualTo("snapshot-incomplete: syntax error at record 7");
    }

    @Test
    void a_rejected_row_keeps_its_party_listed_and_one_whose_identity_is_unknown_stops_every_exit() {
        String sample = new String(SAMPLE, StandardCharsets.UTF_8);
        String badDate = sample.replace("<fbsj>2023-09-05</fbsj><zt>在列</zt></record>\n  <record><ah>（2024）川19执104号",
                "<fbsj>2023-13-05</fbsj><zt>在列</zt></record>\n  <record><ah>（2024）川19执104号");
        assertThat(badDate).isNotEqualTo(sample);
        String oneMissing = badDate.replaceFirst("(?s)  <record><ah>（2024）川19执100号</ah>.*?</record>\\n", "");

        SnapshotReconciliation.Decision d = reconcile(sampleMembers(), map(oneMissing.getBytes(StandardCharsets.UTF_8))).decide(0.10);
        assertThat(d.exits()).extracting(CreditRecord::recordId).containsExactly("ZJFY:LIST_ENTRY:（2024）川19执100号");
        assertThat(d.withheld()).isEqualTo(1);
        assertThat(d.withheldReason()).isEqualTo("rejected-rows: 1 listed party keeps its listing because the row was rejected");

        String noCaseNumber = oneMissing.replace("<ah>（2023）川19执103号</ah>", "<ah></ah>").replace("2023-13-05", "2023-09-05");
        SnapshotReconciliation.Decision unknown = reconcile(sampleMembers(), map(noCaseNumber.getBytes(StandardCharsets.UTF_8))).decide(0.10);
        assertThat(unknown.exits()).isEmpty();
        assertThat(unknown.withheldReason()).startsWith("rejected-rows: 1 rejected row(s) whose identity cannot be determined (the first at record 3)");
    }

    @Test
    void exits_of_more_than_the_guard_share_of_the_members_are_held_and_an_empty_snapshot_exits_nobody() {
        byte[] empty = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sxbzxrList xmlns=\"urn:court:sxbzxr:1\"/>".getBytes(StandardCharsets.UTF_8);

        SnapshotReconciliation.Decision d = reconcile(sampleMembers(), map(empty)).decide(0.10);

        assertThat(d.exits()).isEmpty();
        assertThat(d.held()).hasSize(31);
        assertThat(d.withheldReason()).isEqualTo("guard: 31 of 31 members (100 %) > 10 %");
        assertThat(reconcile(sampleMembers(), map(empty)).decide(1).exits()).hasSize(31);
    }

    @Test
    void every_exit_and_return_of_a_member_on_one_day_is_a_new_version_and_the_same_snapshot_again_is_the_same_version() {
        CreditRecord listed = sampleMembers().active().get(0);
        Map<String, CreditRecord> ledger = new LinkedHashMap<>(Map.of(listed.recordId(), listed));
        List<String> versions = new ArrayList<>(List.of(listed.version()));
        for (int i = 0; i < 2; i++) {
            SnapshotReconciliation without = new SnapshotReconciliation(SnapshotLedger.Members.of(MAPPING.id(), ledger), DAY);
            CreditRecord exit = without.decide(1).exits().get(0);
            ledger.put(exit.recordId(), exit);
            versions.add(exit.version());
            SnapshotReconciliation with = new SnapshotReconciliation(SnapshotLedger.Members.of(MAPPING.id(), ledger), DAY);
            CreditRecord back = with.accepted(listed);
            ledger.put(back.recordId(), back);
            versions.add(back.version());
        }
        assertThat(versions).doesNotHaveDuplicates().hasSize(5);
        SnapshotReconciliation again = new SnapshotReconciliation(SnapshotLedger.Members.of(MAPPING.id(), ledger), DAY);
        assertThat(again.accepted(listed).version()).isEqualTo(versions.get(4));
        assertThat(again.decide(0.10).exits()).isEmpty();
    }

    @Test
    void a_receipt_stored_before_withheld_exits_were_counted_reads_as_none_withheld() throws IOException {
        String old = "{\"receiptId\":\"r1\",\"department\":\"ZJFY\",\"feed\":\"zjfy-defaulters\",\"accepted\":3,\"exited\":1}";
        Receipt r = RecordJson.mapper().readValue(old, Receipt.class);
        assertThat(r.exited()).isEqualTo(1);
        assertThat(r.exitsWithheld()).isZero();
        assertThat(r.exitsWithheldReason()).isNull();
    }

    @Test
    void a_held_exit_of_a_person_shows_neither_the_full_id_number_nor_the_full_name() throws IOException {
        CreditRecord person = sampleMembers().get("ZJFY:LIST_ENTRY:（2024）川19执102号");
        assertThat(person.subject().isPerson()).isTrue();

        SnapshotExitHold.HeldExit held = SnapshotExitHolds.masked(SnapshotLedger.exitOf(person, DAY));

        assertThat(held.subjectName()).isEqualTo("乔*");
        assertThat(held.subjectCode()).startsWith("511903").endsWith("3255").isNotEqualTo("511903196012073255");
        assertThat(RecordJson.mapper().writeValueAsString(held)).doesNotContain("511903196012073255").doesNotContain("乔建");
        assertThat(held.documentNo()).isEqualTo("（2024）川19执102号");
    }
}
