package cn.bazhong.credit.gateway.bench;

import static org.assertj.core.api.Assertions.assertThat;

import cn.bazhong.credit.gateway.bench.ScjgjCsvGenerator.Dirt;
import cn.bazhong.credit.gateway.bench.ScjgjCsvGenerator.Subject;
import cn.bazhong.credit.gateway.bench.ScjgjCsvGenerator.Summary;
import cn.bazhong.credit.gateway.mapping.MappingDefinition;
import cn.bazhong.credit.gateway.mapping.MappingLoader;
import cn.bazhong.credit.gateway.mapping.MappingResult;
import cn.bazhong.credit.gateway.mapping.RecordMapper;
import cn.bazhong.credit.gateway.mapping.Violation;
import cn.bazhong.credit.gateway.mapping.source.RecordReader;
import cn.bazhong.credit.gateway.mapping.source.SourceRecord;
import cn.bazhong.credit.gateway.schema.CreditRecord;
import cn.bazhong.credit.gateway.schema.Provenance;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark input is what it claims to be: the real SCJGJ format, mapped with the counts the generator intends. */
class ScjgjCsvGeneratorTest {

    private static final int RECORDS = 2_000;
    private static final Path MAPPING = Path.of("mappings/scjgj-penalties.yaml");
    private static final Path SAMPLE = Path.of("samples/feeds/sftp/scjgj/outbox/xzcf/XZCF_20250310_001.csv");
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-27T02:00:00Z"), ZoneId.of("Asia/Shanghai"));

    @TempDir
    static Path dir;

    private static Path file;
    private static Summary summary;
    private static final List<MappingResult> results = new ArrayList<>();

    @BeforeAll
    static void generate_and_map_once() throws Exception {
        file = dir.resolve("XZCF_20261127_001.csv");
        summary = ScjgjCsvGenerator.write(file, RECORDS, ScjgjCsvGenerator.DEFAULT_SEED);
        MappingDefinition mapping = MappingLoader.load(MAPPING);
        RecordMapper mapper = new RecordMapper(mapping, CLOCK);
        Provenance provenance = new Provenance(mapping.department(), "sftp", file.getFileName().toString(), null, null,
                null, null, null, CLOCK.instant(), mapping.id(), mapping.version());
        try (InputStream in = Files.newInputStream(file); RecordReader reader = RecordReader.open(mapping.source(), in)) {
            while (reader.hasNext()) {
                SourceRecord record = reader.next();
                results.add(mapper.map(record, provenance));
            }
        }
    }

    @Test
    void the_header_is_byte_for_byte_the_header_of_the_real_export() throws Exception {
        assertThat(firstLine(file)).isEqualTo(firstLine(SAMPLE));
    }

    @Test
    void the_file_is_gbk_with_crlf_line_ends_only() throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        String strict = ScjgjCsvGenerator.GBK.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        assertThat(strict).contains("巴中市市场监督管理局"); // a strict decoder: malformed GBK would throw
        assertThat(new String(bytes, StandardCharsets.UTF_8)).contains("\uFFFD"); // not UTF-8: Chinese text is GBK
        long lf = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                lf++;
                assertThat(bytes[i - 1]).as("byte before LF at %d", i).isEqualTo((byte) '\r');
            }
        }
        assertThat(lf).isEqualTo(summary.lines());
        assertThat(summary.bytes()).isEqualTo(bytes.length);
    }

    @Test
    void every_record_is_read_and_mapped_with_the_accepted_and_rejected_counts_the_generator_intends() {
        long accepted = results.stream().filter(r -> r instanceof MappingResult.Accepted).count();
        long rejected = results.size() - accepted;

        assertThat(results).hasSize(RECORDS);
        assertThat(accepted).isEqualTo(summary.expectedAccepted());
        assertThat(rejected).isEqualTo(summary.expectedRejected());
        assertThat(rejected).isPositive();
    }

    @Test
    void each_rejection_is_the_deliberate_wrong_check_character_of_the_field_the_generator_spoiled() {
        Map<String, Long> byFieldAndRule = new HashMap<>();
        for (MappingResult r : results) {
            if (r instanceof MappingResult.Rejected rejected) {
                Violation first = rejected.first();
                byFieldAndRule.merge(first.field() + "/" + first.rule(), 1L, Long::sum);
            }
        }
        Map<String, Long> expected = new HashMap<>();
        for (Dirt d : Dirt.values()) {
            if (d.rejected() && summary.dirt().get(d) > 0) {
                expected.merge(d.field + "/" + d.rule, summary.dirt().get(d), Long::sum);
            }
        }

        assertThat(byFieldAndRule).isEqualTo(expected);
        assertThat(expected).containsOnlyKeys("统一社会信用代码/USCC_CHECK", "法定代表人证件号码/ID_CHECK", "证件号码/ID_CHECK");
    }

    @Test
    void the_file_mixes_organisations_individual_businesses_and_persons_with_a_few_percent_of_every_kind_of_dirt() {
        assertThat(summary.subjects().values()).allSatisfy(n -> assertThat(n).isGreaterThan(RECORDS / 10));
        assertThat(summary.dirt()).allSatisfy((d, n) -> assertThat(n).as(d.name()).isPositive());
        assertThat(summary.dirty()).isBetween(RECORDS * 2L / 100, RECORDS * 8L / 100);
        assertThat(summary.olderDateStyles()).isPositive();
        long categories = results.stream().filter(r -> r instanceof MappingResult.Accepted)
                .map(r -> ((MappingResult.Accepted) r).record().subject().category()).distinct().count();
        assertThat(categories).isEqualTo(Subject.values().length);
    }

    @Test
    void quoted_facts_keep_their_comma_quotes_and_line_break_and_full_width_codes_come_out_half_width() {
        List<CreditRecord> accepted = results.stream().filter(r -> r instanceof MappingResult.Accepted)
                .map(r -> ((MappingResult.Accepted) r).record()).toList();
        long multiline = accepted.stream()
                .filter(r -> r.penalty().facts().contains("\r\n") && r.penalty().facts().contains(",")
                        && r.penalty().facts().contains("\""))
                .count();

        assertThat(multiline).isEqualTo(summary.dirt().get(Dirt.QUOTED_MULTILINE));
        assertThat(summary.lines()).isEqualTo(1 + RECORDS + summary.dirt().get(Dirt.QUOTED_MULTILINE));
        assertThat(accepted).allSatisfy(r -> assertThat(r.subject().code()).matches("[0-9A-Z]{18}"));
        assertThat(accepted).filteredOn(r -> r.penalty().kinds().size() > 1).isNotEmpty();
        assertThat(accepted).filteredOn(r -> r.penalty().fineWan() != null).isNotEmpty();
    }

    @Test
    void the_same_seed_writes_the_same_bytes() throws Exception {
        Path again = dir.resolve("again.csv");
        ScjgjCsvGenerator.write(again, RECORDS, ScjgjCsvGenerator.DEFAULT_SEED);

        assertThat(Files.mismatch(file, again)).isEqualTo(-1L);
    }

    private static byte[] firstLine(Path path) throws Exception {
        byte[] bytes = Files.readAllBytes(path);
        int end = 0;
        while (bytes[end] != '\n') {
            end++;
        }
        return Arrays.copyOf(bytes, end + 1);
    }
}
