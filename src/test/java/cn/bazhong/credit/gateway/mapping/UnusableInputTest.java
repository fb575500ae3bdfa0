package cn.bazhong.credit.gateway.mapping;

import cn.bazhong.credit.gateway.mapping.source.InputUnusableException;
import cn.bazhong.credit.gateway.validation.Rule;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Inputs that cannot be used at all name the rule they break and where, for a 400 answer or a reason file. */
class UnusableInputTest {

    private static InputUnusableException refused(String mappingId, byte[] input) {
        InputUnusableException e = catchThrowableOfType(InputUnusableException.class, () -> MappedFeed.map(mappingId, input));
        assertThat(e).as("%s refuses the input", mappingId).isNotNull();
        return e;
    }

    @Test
    void an_empty_body_for_a_json_array_feed_breaks_rule_required_at_the_start() {
        InputUnusableException e = refused("xzspj-licences", " \r\n ".getBytes(StandardCharsets.UTF_8));

        assertThat(e.rule()).isEqualTo(Rule.REQUIRED);
        assertThat(e.position().line()).isEqualTo(1);
        assertThat(e.getMessage()).contains("empty").contains("JSON array").contains("line 1");
    }

    @Test
    void an_object_where_the_array_belongs_breaks_rule_syntax_at_its_line_and_column() {
        InputUnusableException e = refused("xzspj-licences", "\n  {\"XK_XDR_MC\": \"巴中市甲公司\"}".getBytes(StandardCharsets.UTF_8));

        assertThat(e.rule()).isEqualTo(Rule.SYNTAX);
        assertThat(e.position()).extracting(p -> p.line(), p -> p.column()).containsExactly(2L, 3L);
        assertThat(e.reason()).contains("an object");
    }

    @Test
    void xml_sent_to_a_json_feed_is_named_as_xml() throws IOException {
        byte[] xml = Files.readAllBytes(Path.of("samples/feeds/sftp/zjfy/export/sxbzxr/SXBZXR_20250310.xml"));

        InputUnusableException array = refused("xzspj-licences", xml);
        InputUnusableException ndjson = refused("ssthjj-penalties", xml);

        assertThat(array.rule()).isEqualTo(Rule.SYNTAX);
        assertThat(array.reason()).contains("XML");
        assertThat(array.position().line()).isEqualTo(1);
        assertThat(ndjson.rule()).isEqualTo(Rule.SYNTAX);
        assertThat(ndjson.reason()).contains("XML");
        assertThat(ndjson.position()).extracting(p -> p.line(), p -> p.column()).containsExactly(1L, 1L);
    }

    @Test
    void json_sent_to_the_xml_feed_breaks_rule_syntax_with_a_position() throws IOException {
        InputUnusableException e = refused("zjfy-defaulters", Files.readAllBytes(Path.of("samples/feeds/rest/xzspj/licences-001.json")));

        assertThat(e.rule()).isEqualTo(Rule.SYNTAX);
        assertThat(e.position().line()).isEqualTo(1);
        assertThat(e.position().column()).isPositive();
    }

    @Test
    void utf16_bytes_for_a_utf8_or_gbk_feed_break_rule_encoding() throws IOException {
        String json = Files.readString(Path.of("samples/feeds/rest/xzspj/licences-001.json"));
        String csv = new String(Files.readAllBytes(Path.of("samples/feeds/sftp/scjgj/outbox/xzcf/XZCF_20250310_001.csv")), Charset.forName("GBK"));

        InputUnusableException withBom = refused("xzspj-licences", json.getBytes(StandardCharsets.UTF_16));
        InputUnusableException withoutBom = refused("scjgj-penalties", csv.getBytes(StandardCharsets.UTF_16LE));

        assertThat(withBom.rule()).isEqualTo(Rule.ENCODING);
        assertThat(withBom.position().offset()).isZero();
        assertThat(withBom.reason()).contains("UTF-16").contains("UTF-8");
        assertThat(withoutBom.rule()).isEqualTo(Rule.ENCODING);
        assertThat(withoutBom.reason()).contains("GBK");
    }

    @Test
    void an_empty_csv_file_has_no_header_and_breaks_rule_required() {
        assertThat(refused("scjgj-penalties", new byte[0]).rule()).isEqualTo(Rule.REQUIRED);
    }

    @Test
    void an_empty_ndjson_body_is_no_document_problem_but_zero_records() {
        assertThat(MappedFeed.map("ssthjj-penalties", new byte[0]).results()).isEmpty();
    }
}
