package cn.bazhong.credit.gateway.mapping;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A broken mapping file is refused when it is loaded, naming the file, the line and the key. */
class MappingLoaderTest {

    private static final String GOOD = """
            id: test-penalties
            version: 2
            department: TEST
            kind: ADMIN_PENALTY
            source:
              format: csv
              encoding: GBK
            fields:
              subject.name: 名称
              subject.category: 类别
              subject.uscc: 代码
              penalty.decisionNo: 文号
              penalty.violationType: 类型
              penalty.facts: 事实
              penalty.basis: 依据
              penalty.kinds: 处罚类别
              penalty.content: 内容
              penalty.decisionDate: 日期
              penalty.validUntil: 有效期
              penalty.authority.name: 机关
              penalty.authority.uscc: 机关代码
              penalty.dataSource.name:
                value: 测试局
              penalty.dataSource.uscc:
                value: 11511900MB1510010D
            """;

    private static MappingDefinition load(String yaml) {
        return MappingLoader.load("mappings/test-penalties.yaml", new StringReader(yaml));
    }

    private static MappingFileException refused(String yaml) {
        try {
            load(yaml);
        } catch (MappingFileException e) {
            return e;
        }
        throw new AssertionError("the mapping was accepted");
    }

    @Test
    void a_complete_mapping_loads_with_the_schema_default_business_key() {
        MappingDefinition m = load(GOOD);

        assertThat(m.id()).isEqualTo("test-penalties");
        assertThat(m.version()).isEqualTo(2);
        assertThat(m.source().charset().name()).isEqualTo("GBK");
        assertThat(m.businessKey()).singleElement().extracting(KeyTemplate::text)
                .isEqualTo("{penalty.authority.uscc}:{penalty.decisionNo}");
    }

    @Test
    void every_mapping_shipped_in_mappings_loads() throws IOException {
        try (var files = Files.list(Path.of("mappings"))) {
            assertThat(files.filter(p -> p.toString().endsWith(".yaml")).map(MappingLoader::load))
                    .extracting(MappingDefinition::department)
                    .containsExactlyInAnyOrder("SCJGJ", "ZJFY", "XZSPJ", "XZSPJ", "SSTHJJ", "SWJ", "PROVINCE", "JTYSJ");
        }
    }

    @Test
    void a_misspelt_option_is_named_with_its_line() {
        MappingFileException e = refused(GOOD.replace("  penalty.content: 内容", "  penalty.content:\n    form: 内容"));

        assertThat(e.line()).isEqualTo(18);
        assertThat(e.key()).isEqualTo("fields.penalty.content.form");
        assertThat(e.getMessage()).startsWith("mappings/test-penalties.yaml:18: fields.penalty.content.form: unknown key");
    }

    @Test
    void a_field_outside_the_schema_or_of_another_kind_is_refused() {
        assertThat(refused(GOOD + "  penalty.fine: 罚款\n").getMessage())
                .contains("fields.penalty.fine").contains("is not a field of the shared credit schema");
        assertThat(refused(GOOD + "  licence.content: 内容\n").getMessage())
                .contains("fields.licence.content").contains("is not a field of ADMIN_PENALTY records");
    }

    @Test
    void a_constant_that_breaks_its_own_field_rule_is_refused() {
        MappingFileException e = refused(GOOD.replace("value: 11511900MB1510010D", "value: 11511900MB1510010X"));

        assertThat(e.key()).isEqualTo("fields.penalty.dataSource.uscc.value");
        assertThat(e.getMessage()).contains("uscc-check");
    }

    @Test
    void a_missing_required_field_is_named() {
        MappingFileException e = refused(GOOD.replace("  penalty.basis: 依据\n", ""));

        assertThat(e.getMessage()).contains("penalty.basis").contains("every ADMIN_PENALTY record needs");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "  penalty.fineWan:\n    from: 罚款\n    unit: jiao\n|fields.penalty.fineWan.unit",
            "  penalty.fineWan:\n    from: 罚款\n    extract: \"([0-9\"\n|fields.penalty.fineWan.extract",
            "  penalty.fineWan:\n    from: 罚款\n    extract: \"[0-9]+\"\n|fields.penalty.fineWan.extract",
            "  penalty.remarks:\n    from: 备注\n    table: nosuchtable\n|fields.penalty.remarks.table",
            "  penalty.remarks:\n    from: 备注\n    value: x\n|fields.penalty.remarks",
            "  penalty.remarks:\n    from: 备注\n    when: {field: x}\n|fields.penalty.remarks.when",
            "  subject.name: 别名\n|fields.subject.name"})
    void each_kind_of_mistake_in_a_field_is_refused_with_its_key(String caseText) {
        String[] parts = caseText.split("\\|");
        MappingFileException e = refused(GOOD + parts[0]);

        assertThat(e.key()).isEqualTo(parts[1]);
        assertThat(e.line()).isGreaterThan(1);
    }

    @Test
    void source_settings_are_checked() {
        assertThat(refused(GOOD.replace("format: csv", "format: xls")).key()).isEqualTo("source.format");
        assertThat(refused(GOOD.replace("encoding: GBK", "encoding: NOPE-1")).key()).isEqualTo("source.encoding");
        assertThat(refused(GOOD.replace("format: csv\n  encoding: GBK", "format: xml")).key()).isEqualTo("source.recordElement");
        assertThat(refused(GOOD.replace("format: csv", "format: ndjson\n  header: true")).key()).isEqualTo("source.header");
    }

    @Test
    void the_id_must_match_the_file_name_and_a_list_feed_must_say_its_business_key() {
        assertThat(refused(GOOD.replace("id: test-penalties", "id: other-penalties")).key()).isEqualTo("id");
        MappingFileException e = assertThrowsMapping(() -> MappingLoader.load("mappings/test-list.yaml", new StringReader("""
                id: test-list
                version: 1
                department: TEST
                kind: LIST_ENTRY
                source: {format: ndjson}
                fields:
                  subject.name: a
                  subject.category: b
                  entry.listType: {value: TAX_A}
                  entry.category: {value: RED}
                  entry.decidedBy.name: c
                  entry.decidedBy.uscc: {value: 11511900MB15500550}
                  entry.decidedOn: d
                """)));
        assertThat(e.key()).isEqualTo("businessKey");
    }

    @Test
    void a_business_key_may_not_hold_a_person_s_id_number() {
        MappingFileException e = assertThrowsMapping(() -> MappingLoader.load("mappings/test-list.yaml", new StringReader("""
                id: test-list
                version: 1
                department: TEST
                kind: LIST_ENTRY
                source: {format: ndjson}
                fields:
                  subject.name: a
                  subject.category: b
                  subject.idNumber: i
                  entry.listType: {value: TAX_A}
                  entry.category: {value: RED}
                  entry.decidedBy.name: c
                  entry.decidedBy.uscc: {value: 11511900MB15500550}
                  entry.decidedOn: d
                businessKey: "{entry.listType}-{subject.idNumber}"
                """)));
        assertThat(e.key()).isEqualTo("businessKey");
        assertThat(e.getMessage()).contains("{subject.idNumber} is a person's ID number");
    }

    @Test
    void yaml_that_does_not_parse_is_refused_with_its_line() {
        MappingFileException e = refused("id: x\nfields: [unclosed\n");

        assertThat(e.getMessage()).contains("not valid YAML");
        assertThatThrownBy(() -> load("")).isInstanceOf(MappingFileException.class).hasMessageContaining("empty");
    }

    private static MappingFileException assertThrowsMapping(Runnable r) {
        try {
            r.run();
        } catch (MappingFileException e) {
            return e;
        }
        throw new AssertionError("the mapping was accepted");
    }
}
