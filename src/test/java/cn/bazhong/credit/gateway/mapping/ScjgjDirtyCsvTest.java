package cn.bazhong.credit.gateway.mapping;

import cn.bazhong.credit.gateway.schema.CreditRecord;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Records the SCJGJ mapping has never seen, carrying each class of dirty data that
 * department-feeds.md lists: what has one reading is normalised, the rest is rejected by field and rule.
 */
class ScjgjDirtyCsvTest {

    private static final Charset GBK = Charset.forName("GBK");
    private static final String HEADER = header();
    // 23 columns: 名称,类别,信用代码,法定代表人,法人证件类型,法人证件号码,证件类型,证件号码,文号,违法行为类型,违法事实,处罚依据,
    //             处罚类别,处罚内容,罚款(元),没收(元),证照,决定日期,有效期,公示截止期,处罚机关,机关代码,备注
    private static final String ORG = "巴中市测试商贸有限公司,法人及非法人组织,%s,张三,身份证,511902199807299626,,,巴市监处罚〔2025〕%s号,无照经营,"
            + "%s,《无证无照经营查处办法》第十三条,%s,罚款,%s,,,%s,%s,,巴中市市场监督管理局,11511900MB1510010D,";

    private static String header() {
        try {
            byte[] sample = Files.readAllBytes(Path.of("samples/feeds/sftp/scjgj/outbox/xzcf/XZCF_20250310_001.csv"));
            String text = new String(sample, GBK);
            return text.substring(0, text.indexOf("\r\n"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String org(String uscc, String no, String facts, String kinds, String fine, String date, String validUntil) {
        return ORG.formatted(uscc, no, facts, kinds, fine, date, validUntil);
    }

    private static MappedFeed mapRows(List<String> rows) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes((HEADER + "\r\n").getBytes(GBK));
        for (String row : rows) {
            out.writeBytes((row + "\r\n").getBytes(GBK));
        }
        return MappedFeed.map("scjgj-penalties", out.toByteArray());
    }

    @Test
    void full_width_lower_case_and_padded_codes_are_normalised() {
        MappedFeed feed = mapRows(List.of(
                org("９１５１１９００ＭＡ６４１ＰＹ５２Ａ", "1", "事实", "罚款", "1000", "2025/01/02", "2028/01/01"),
                org("  91511900ma641py52a\t", "2", "事实", "罚款", "1000", "2025/01/02", "2028/01/01")));

        assertThat(feed.accepted(2).subject().uscc()).isEqualTo("91511900MA641PY52A");
        assertThat(feed.accepted(3).subject().uscc()).isEqualTo("91511900MA641PY52A");
    }

    @Test
    void every_date_style_the_feeds_use_reads_as_the_same_day() {
        MappedFeed feed = mapRows(List.of(
                org("91511900MA641PY52A", "1", "事实", "罚款", "1000", "2022-4-7", "2025/04/06"),
                org("91511900MA641PY52A", "2", "事实", "罚款", "1000", "2022年4月7日", "2025/04/06"),
                org("91511900MA641PY52A", "3", "事实", "罚款", "1000", "20220407", "2025/04/06"),
                org("91511900MA641PY52A", "4", "事实", "罚款", "1000", "２０２２/０４/０７", "2025/04/06")));

        for (long line = 2; line <= 5; line++) {
            assertThat(feed.accepted(line).penalty().decisionDate()).isEqualTo(LocalDate.of(2022, 4, 7));
        }
    }

    @Test
    void amounts_in_yuan_with_thousands_separators_become_wan() {
        MappedFeed feed = mapRows(List.of(
                org("91511900MA641PY52A", "1", "事实", "罚款", "\"120,000.00\"", "2025/01/02", "2028/01/01"),
                org("91511900MA641PY52A", "2", "事实", "罚款", "２０００", "2025/01/02", "2028/01/01"),
                org("91511900MA641PY52A", "3", "事实", "罚款", "\"1,2000\"", "2025/01/02", "2028/01/01")));

        assertThat(feed.accepted(2).penalty().fineWan()).isEqualByComparingTo(new BigDecimal("12"));
        assertThat(feed.accepted(3).penalty().fineWan()).isEqualByComparingTo(new BigDecimal("0.2"));
        assertThat(feed.rejected(4).field()).isEqualTo("罚款金额（元）");
        assertThat(feed.rejected(4).rule().code()).isEqualTo("number");
    }

    @Test
    void a_quoted_field_with_commas_quotes_and_line_breaks_is_one_field_and_positions_stay_true() {
        String facts = "\"当事人于2024年，在\"\"城区\"\"经营。\r\n经查证属实。\"";
        MappedFeed feed = mapRows(List.of(
                org("91511900MA641PY52A", "1", facts, "罚款", "1000", "2025/01/02", "2028/01/01"),
                org("91350100M0001TGQXM", "2", "事实", "罚款", "1000", "2025/01/02", "2028/01/01")));

        CreditRecord first = feed.accepted(2);
        assertThat(first.penalty().facts()).isEqualTo("当事人于2024年，在\"城区\"经营。\r\n经查证属实。");
        // the first record spans lines 2-3, so the next one starts on line 4
        assertThat(feed.rejected(4).rule().code()).isEqualTo("uscc-check");
        assertThat(feed.rejected(4).field()).isEqualTo("统一社会信用代码");
    }

    @Test
    void several_penalty_kinds_in_one_field_are_split_and_checked_one_by_one() {
        MappedFeed feed = mapRows(List.of(
                org("91511900MA641PY52A", "1", "事实", "警告、罚款；没收违法所得", "1000", "2025/01/02", "2028/01/01"),
                org("91511900MA641PY52A", "2", "事实", "警告；罚金", "1000", "2025/01/02", "2028/01/01")));

        assertThat(feed.accepted(2).penalty().kinds()).containsExactly("警告", "罚款", "没收违法所得");
        assertThat(feed.rejected(3).field()).isEqualTo("处罚类别");
        assertThat(feed.rejected(3).rule().code()).isEqualTo("enum");
        assertThat(feed.rejected(3).message()).contains("罚金");
    }

    @Test
    void a_fine_kind_without_an_amount_and_impossible_date_ranges_are_rejected() {
        MappedFeed feed = mapRows(List.of(
                org("91511900MA641PY52A", "1", "事实", "罚款", "", "2025/01/02", "2028/01/01"),
                org("91511900MA641PY52A", "2", "事实", "警告", "", "2025/01/02", "2024/01/01"),
                org("91511900MA641PY52A", "3", "事实", "警告", "", "2027/01/02", "2030/01/01"),
                org("91511900MA641PY52A", "4", "事实", "警告", "", "2023/02/29", "2030/01/01")));

        assertThat(feed.rejected(2)).extracting(Violation::field, v -> v.rule().code()).containsExactly("罚款金额（元）", "required");
        assertThat(feed.rejected(3)).extracting(Violation::field, v -> v.rule().code()).containsExactly("处罚有效期", "range");
        assertThat(feed.rejected(4)).extracting(Violation::field, v -> v.rule().code()).containsExactly("处罚决定日期", "range");
        assertThat(feed.rejected(5)).extracting(Violation::field, v -> v.rule().code()).containsExactly("处罚决定日期", "date");
    }

    @Test
    void a_first_generation_id_number_is_upgraded_and_a_wrong_one_is_rejected_without_showing_it() {
        String person = "李四,自然人,,,,,身份证,%s,巴市监处罚〔2025〕%s号,无照经营,事实,依据,警告,警告,,,,2025/01/02,2028/01/01,,巴中市市场监督管理局,11511900MB1510010D,";
        MappedFeed feed = mapRows(List.of(
                person.formatted("110101900101123", "1"),
                person.formatted("110101199001011238", "2")));

        assertThat(feed.accepted(2).subject().idNumber()).isEqualTo("110101199001011237");
        Violation wrong = feed.rejected(3);
        assertThat(wrong.field()).isEqualTo("证件号码");
        assertThat(wrong.rule().code()).isEqualTo("id-check");
        assertThat(wrong.message()).doesNotContain("110101199001011238");
    }

    @Test
    void a_row_with_missing_columns_or_undecodable_bytes_is_rejected_alone() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes((HEADER + "\r\n").getBytes(GBK));
        out.writeBytes("只有,三列,数据\r\n".getBytes(GBK));
        byte[] good = (org("91511900MA641PY52A", "2", "事实", "罚款", "1000", "2025/01/02", "2028/01/01") + "\r\n").getBytes(GBK);
        byte[] broken = good.clone();
        broken[0] = (byte) 0xFF; // not a GBK lead byte
        out.writeBytes(broken);
        out.writeBytes(good);

        MappedFeed feed = MappedFeed.map("scjgj-penalties", out.toByteArray());

        assertThat(feed.rejected(2)).extracting(Violation::field, v -> v.rule().code()).containsExactly("(record)", "syntax");
        assertThat(feed.rejected(2).message()).contains("3 fields").contains("23");
        assertThat(feed.rejected(3)).extracting(Violation::field, v -> v.rule().code()).containsExactly("行政相对人名称", "encoding");
        assertThat(feed.accepted(4).penalty().fineWan()).isEqualByComparingTo("0.1");
    }

    @Test
    void a_quote_that_is_never_closed_cannot_swallow_the_rest_of_a_large_file() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes((HEADER + "\r\n").getBytes(GBK));
        out.writeBytes((org("91511900MA641PY52A", "1", "事实", "罚款", "1000", "2025/01/02", "2028/01/01") + "\r\n").getBytes(GBK));
        out.writeBytes((org("91511900MA641PY52A", "2", "\"事实没有结束", "罚款", "1000", "2025/01/02", "2028/01/01") + "\r\n").getBytes(GBK));
        byte[] row = (org("91511900MA641PY52A", "3", "事实", "罚款", "1000", "2025/01/02", "2028/01/01") + "\r\n").getBytes(GBK);
        while (out.size() < 3_000_000) {
            out.writeBytes(row);
        }

        MappedFeed feed = MappedFeed.map("scjgj-penalties", out.toByteArray());

        assertThat(feed.accepted(2).penalty().decisionNo()).isEqualTo("巴市监处罚〔2025〕1号");
        assertThat(feed.rejected(3)).extracting(Violation::field, v -> v.rule().code()).containsExactly("(record)", "syntax");
        assertThat(feed.rejected(3).message()).contains("never closed");
        assertThat(feed.results()).hasSize(2);
    }

    @Test
    void a_byte_order_mark_in_front_of_gbk_text_or_a_utf8_export_is_read_right() {
        String rows = HEADER + "\r\n" + org("91511900MA641PY52A", "1", "事实", "罚款", "1000", "2025/01/02", "2028/01/01") + "\r\n";
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        ByteArrayOutputStream gbkWithBom = new ByteArrayOutputStream();
        gbkWithBom.writeBytes(bom);
        gbkWithBom.writeBytes(rows.getBytes(GBK));
        ByteArrayOutputStream utf8WithBom = new ByteArrayOutputStream();
        utf8WithBom.writeBytes(bom);
        utf8WithBom.writeBytes(rows.getBytes(java.nio.charset.StandardCharsets.UTF_8));

        assertThat(MappedFeed.map("scjgj-penalties", gbkWithBom.toByteArray()).accepted(2).subject().name()).isEqualTo("巴中市测试商贸有限公司");
        assertThat(MappedFeed.map("scjgj-penalties", utf8WithBom.toByteArray()).accepted(2).subject().name()).isEqualTo("巴中市测试商贸有限公司");
    }

    @Test
    void an_individual_business_without_a_credit_code_needs_its_registration_number() {
        String row = "恩阳区王五五金店,个体工商户,00000000000000000X,王五,身份证,511902199807299626,,,巴市监处罚〔2025〕9号,无照经营,事实,依据,警告,警告,,,,2025/01/02,2028/01/01,,巴中市市场监督管理局,11511900MB1510010D,";
        MappedFeed feed = mapRows(List.of(row, row.replace("个体工商户", "法人及非法人组织")));

        assertThat(feed.rejected(2)).extracting(Violation::field, v -> v.rule().code()).containsExactly("subject.regNo", "required");
        assertThat(feed.rejected(3)).extracting(Violation::field, v -> v.rule().code()).containsExactly("统一社会信用代码", "uscc-check");
    }

    @Test
    void the_same_content_gives_the_same_version_and_a_correction_a_new_one() {
        String original = org("91511900MA641PY52A", "1", "事实", "罚款", "1000", "2025/01/02", "2028/01/01");
        String resent = org(" 91511900ma641py52a ", "1", "事实", "罚款", "\"1,000.00\"", "2025-1-2", "2028/01/01");
        String corrected = org("91511900MA641PY52A", "1", "事实", "罚款", "2000", "2025/01/02", "2028/01/01");
        MappedFeed feed = mapRows(List.of(original, resent, corrected));

        CreditRecord a = feed.accepted(2);
        CreditRecord b = feed.accepted(3);
        CreditRecord c = feed.accepted(4);
        assertThat(b.recordId()).isEqualTo(a.recordId());
        assertThat(b.version()).isEqualTo(a.version());
        assertThat(c.recordId()).isEqualTo(a.recordId());
        assertThat(c.version()).isNotEqualTo(a.version());
        // stable across runs and machines: the hash of this exact content never changes
        assertThat(a.version()).matches("[0-9a-f]{32}");
    }
}
