package cn.bazhong.credit.gateway.mapping;

import cn.bazhong.credit.gateway.mapping.source.RecordReader;
import cn.bazhong.credit.gateway.mapping.source.SourceRecord;
import cn.bazhong.credit.gateway.schema.CreditRecord;
import cn.bazhong.credit.gateway.schema.Provenance;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The rows reader of database feeds: a row is a map of column name to a plain Java value; names match
 * whatever case the database folded them to, values become the text the mapping reads, and the
 * transport bureau's rows map to credit records with the same mapping language as files.
 */
class RowsReaderTest {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2025-03-11T02:00:00Z"), ZoneOffset.UTC);

    private static Map<String, Object> penalty(String uscc, boolean upperCase) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", 7L);
        row.put("gxsj", LocalDateTime.of(2025, 3, 10, 8, 30, 0, 123_456_000));
        row.put("xdr_mc", "巴中市兴达华信运输有限公司");
        row.put("xdr_lb", "法人及非法人组织");
        row.put("xdr_shxym", uscc);
        row.put("fddbr", "刘芳");
        row.put("fddbr_zjlx", "身份证");
        row.put("fddbr_zjhm", "511902199807299626");
        row.put("zjlx", null);
        row.put("cf_wsh", "巴交执罚〔2025〕7号");
        row.put("cf_wfxw", "超限运输");
        row.put("cf_sy", "当事人驾驶车辆超限运输，经查证属实。");
        row.put("cf_yj", "《公路安全保护条例》第六十四条");
        row.put("cf_cflb", "罚款");
        row.put("cf_nr", "罚款人民币1000元");
        row.put("cf_fkje", new BigDecimal("1E+3").setScale(2));
        row.put("cf_jdrq", LocalDate.of(2025, 3, 10));
        row.put("cf_yxq", LocalDate.of(2028, 3, 9));
        row.put("gsjzq", LocalDate.of(2028, 3, 9));
        row.put("cf_cfjg", "巴中市交通运输局");
        row.put("cf_cfjgdm", "11511900MB1560018W");
        if (!upperCase) {
            return row;
        }
        Map<String, Object> upper = new LinkedHashMap<>();
        row.forEach((k, v) -> upper.put(k.toUpperCase(), v));
        return upper;
    }

    @Test
    void values_become_the_text_the_mapping_reads_and_names_match_in_any_case() throws Exception {
        Map<String, Object> row = new HashMap<>(penalty("91511923E8PR7JY32Q", true));
        row.put("BLOB_COL", new byte[] {1, 2});
        try (RecordReader reader = RecordReader.rows(List.of(penalty("91511923E8PR7JY32Q", true), row))) {
            SourceRecord first = reader.next();
            assertThat(first.position()).isEqualTo(1);
            assertThat(first.get("cf_fkje")).isEqualTo("1000.00");
            assertThat(first.get("Cf_JdRq")).isEqualTo("2025-03-10");
            assertThat(first.get("gxsj")).isEqualTo("2025-03-10T08:30:00.123456");
            assertThat(first.get("id")).isEqualTo("7");
            assertThat(first.get("zjlx")).isNull();
            assertThat(first.syntaxError()).isNull();

            SourceRecord second = reader.next();
            assertThat(second.position()).isEqualTo(2);
            assertThat(second.syntaxError()).contains("BLOB_COL").contains("byte[]");
            assertThat(reader.hasNext()).isFalse();
        }
    }

    @Test
    void the_transport_bureaus_rows_map_to_credit_records_and_a_bad_one_is_rejected_with_field_and_rule() throws Exception {
        MappingDefinition mapping = MappingLoader.load(Path.of("mappings/jtysj-penalties.yaml"));
        RecordMapper mapper = new RecordMapper(mapping, CLOCK);
        Provenance provenance = new Provenance(mapping.department(), "jdbc", "xzcf_front", null, null, null, null, null,
                CLOCK.instant(), mapping.id(), mapping.version());
        List<MappingResult> results = new ArrayList<>();
        try (RecordReader reader = RecordReader.rows(List.of(penalty("91511923E8PR7JY32Q", false), penalty("91511923E8PR7JY32X", true)))) {
            while (reader.hasNext()) {
                results.add(mapper.map(reader.next(), provenance));
            }
        }
        assertThat(results.get(0)).isInstanceOf(MappingResult.Accepted.class);
        CreditRecord record = ((MappingResult.Accepted) results.get(0)).record();
        assertThat(record.recordId()).isEqualTo("JTYSJ:ADMIN_PENALTY:11511900MB1560018W:巴交执罚〔2025〕7号");
        MappingResult.Rejected rejected = (MappingResult.Rejected) results.get(1);
        assertThat(rejected.first().field()).isEqualTo("xdr_shxym");
        assertThat(rejected.first().rule().code()).isEqualTo("uscc-check");
    }

    @Test
    void a_rows_mapping_takes_no_encoding_and_cannot_be_read_from_a_stream() {
        String yaml = "id: x-y\nversion: 1\ndepartment: JTYSJ\nkind: ADMIN_PENALTY\nsource:\n  format: rows\n  encoding: GBK\nfields:\n  subject.name: xdr_mc\n";
        assertThatThrownBy(() -> MappingLoader.load("x-y.yaml", new StringReader(yaml)))
                .isInstanceOf(MappingFileException.class).hasMessageContaining("source.encoding");
        MappingDefinition mapping = MappingLoader.load(Path.of("mappings/jtysj-penalties.yaml"));
        assertThatThrownBy(() -> RecordReader.open(mapping.source(), java.io.InputStream.nullInputStream()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rows");
    }

    @Test
    void a_row_holding_more_text_than_a_record_may_is_unreadable_with_its_reason_and_the_next_row_is_read() {
        Map<String, Object> huge = new LinkedHashMap<>();
        huge.put("id", 1L);
        huge.put("cf_sy", "超".repeat(1_100_000));
        Map<String, Object> next = new LinkedHashMap<>();
        next.put("id", 2L);
        next.put("cf_sy", "经查证属实。");

        RecordReader reader = RecordReader.rows(List.of(huge, next));
        SourceRecord first = reader.next();
        SourceRecord second = reader.next();

        assertThat(first.syntaxError()).isEqualTo("row 1 holds more than 1048576 characters of text (at column cf_sy), more than one record"
                + " may have; select fewer or shorter columns");
        assertThat(second.syntaxError()).isNull();
        assertThat(second.get("CF_SY")).isEqualTo("经查证属实。");
        assertThat(reader.hasNext()).isFalse();
    }
}
