package cn.bazhong.credit.gateway.mapping;

import cn.bazhong.credit.gateway.mapping.source.RecordReader;
import cn.bazhong.credit.gateway.mapping.source.SourceRecord;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Every reader reads its input to the end: what follows the last record and is not a record is a
 * {@code syntax} rejection with its position, a record cut off by the end of the input is rejected
 * with its position, and a stream that breaks makes the read fail instead of passing for bad content.
 */
class ReadToTheEndTest {

    private static final Path CSV = Path.of("samples/feeds/sftp/scjgj/outbox/xzcf/XZCF_20250310_001.csv");
    private static final Path XML = Path.of("samples/feeds/sftp/zjfy/export/sxbzxr/SXBZXR_20250310.xml");
    private static final Path JSON_ARRAY = Path.of("samples/feeds/rest/xzspj/licences-001.json");
    private static final Path NDJSON = Path.of("samples/feeds/rest/ssthjj/penalties-001.ndjson");

    private static final String LICENCE = """
            {"XK_XDR_MC": "巴中市甲公司", "XK_XDR_LB": "法人及非法人组织", "XK_XDR_SHXYM": "91511921MA6GTJL9X3",
             "XK_FRDB": "丁秀志", "XK_FR_ZJLX": "身份证", "XK_FR_ZJHM": "511902199210224381",
             "XK_XKWS": "关于准予的决定", "XK_WSH": "巴审批许〔2025〕%s号", "XK_XKLB": "普通", "XK_XKBH": 20250001,
             "XK_JDRQ": "2025/01/02", "XK_YXQZ": "2025/01/02", "XK_YXQZI": "2030/01/01", "XK_XKJG": "巴中市行政审批局",
             "XK_XKJGDM": "11511900MB1530038P", "XK_LYDW": "巴中市行政审批局", "XK_LYDWDM": "11511900MB1530038P"}""";

    private static String licence(int no) {
        return LICENCE.formatted(no);
    }

    private static final String PENALTY = "{\"CF_WSH\": \"巴环罚〔2025〕%s号\", \"CF_CFMC\": \"案\", \"CF_CFLB1\": \"罚款\", \"CF_SY\": \"超标排放\","
            + " \"CF_YJ\": \"《大气污染防治法》第九十九条\", \"CF_XDR_MC\": \"巴中市乙公司\", \"CF_XDR_SHXYM\": \"91511923XR0PN91839\","
            + " \"CF_FR\": \"韩静\", \"CF_JG\": \"罚款5万元\", \"CF_JDRQ\": \"20250110\", \"CF_XZJG\": \"巴中市生态环境局\"}";

    private static String penalty(int no) {
        return PENALTY.formatted(no);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static long accepted(MappedFeed feed) {
        return feed.results().stream().filter(r -> r instanceof MappingResult.Accepted).count();
    }

    @Test
    void two_json_objects_on_one_ndjson_line_are_a_syntax_rejection_of_that_line_naming_the_column() {
        MappedFeed feed = MappedFeed.map("ssthjj-penalties", utf8(penalty(1) + "\n" + penalty(2) + " " + penalty(3) + "\n" + penalty(4) + "\n"));

        assertThat(feed.positions()).containsExactly(1L, 2L, 3L);
        assertThat(feed.accepted(1).penalty().decisionNo()).isEqualTo("巴环罚〔2025〕1号");
        assertThat(feed.rejected(2)).extracting(Violation::field, v -> v.rule().code()).containsExactly("(record)", "syntax");
        assertThat(feed.rejected(2).message()).contains("line 2").contains("column " + (penalty(2).length() + 2));
        assertThat(feed.accepted(3).penalty().decisionNo()).isEqualTo("巴环罚〔2025〕4号");
    }

    @Test
    void trailing_bytes_after_an_ndjson_object_on_its_line_are_a_syntax_rejection() {
        MappedFeed feed = MappedFeed.map("ssthjj-penalties", utf8(penalty(1) + " ]\n"));

        assertThat(feed.rejected(1)).extracting(Violation::field, v -> v.rule().code()).containsExactly("(record)", "syntax");
        assertThat(accepted(feed)).isZero();
    }

    @Test
    void a_second_json_array_after_the_first_is_a_syntax_rejection_with_its_position() {
        MappedFeed feed = MappedFeed.map("xzspj-licences", utf8("[" + licence(1) + "]\n[" + licence(2) + "]"));

        assertThat(feed.accepted(1).licence().decisionNo()).isEqualTo("巴审批许〔2025〕1号");
        assertThat(feed.rejected(2)).extracting(Violation::field, v -> v.rule().code()).containsExactly("(record)", "syntax");
        assertThat(feed.rejected(2).message()).contains("line 6, column 1");
        assertThat(accepted(feed)).isEqualTo(1);
    }

    @Test
    void trailing_garbage_after_a_json_array_is_a_syntax_rejection_with_its_position() {
        MappedFeed feed = MappedFeed.map("xzspj-licences", utf8("[" + licence(1) + "," + licence(2) + "] garbage"));

        assertThat(feed.positions()).containsExactly(1L, 2L, 3L);
        assertThat(feed.rejected(3).rule().code()).isEqualTo("syntax");
        assertThat(feed.rejected(3).message()).contains("column");
    }

    @Test
    void a_json_array_cut_off_inside_a_record_rejects_that_record_with_its_line_and_column() {
        String whole = "[" + licence(1) + ",\n" + licence(2) + "]";
        MappedFeed feed = MappedFeed.map("xzspj-licences", utf8(whole.substring(0, whole.length() - 40)));

        assertThat(feed.accepted(1).licence().decisionNo()).isEqualTo("巴审批许〔2025〕1号");
        assertThat(feed.rejected(2).rule().code()).isEqualTo("syntax");
        assertThat(feed.rejected(2).message()).contains("line").contains("column");
    }

    @Test
    void content_after_the_root_element_of_an_xml_snapshot_is_a_syntax_rejection() throws IOException {
        String sample = Files.readString(XML);
        MappedFeed clean = MappedFeed.map("zjfy-defaulters", utf8(sample));
        MappedFeed feed = MappedFeed.map("zjfy-defaulters", utf8(sample + "<record><ah>x</ah></record>"));

        int count = clean.results().size();
        assertThat(feed.results()).hasSize(count + 1);
        assertThat(feed.rejected(count + 1).rule().code()).isEqualTo("syntax");
        assertThat(feed.rejected(count + 1).message()).contains("line").contains("column");
    }

    @Test
    void a_csv_file_cut_off_inside_a_quoted_field_rejects_the_last_record_with_its_line() throws IOException {
        byte[] sample = Files.readAllBytes(CSV);
        byte[] tail = "巴中市,\"未结束".getBytes(java.nio.charset.Charset.forName("GBK"));
        byte[] input = java.util.Arrays.copyOf(sample, sample.length + tail.length);
        System.arraycopy(tail, 0, input, sample.length, tail.length);
        MappedFeed clean = MappedFeed.map("scjgj-penalties", sample);
        MappedFeed feed = MappedFeed.map("scjgj-penalties", input);

        MappingResult last = feed.results().get(feed.results().size() - 1);
        assertThat(feed.results()).hasSize(clean.results().size() + 1);
        assertThat(last).isInstanceOf(MappingResult.Rejected.class);
        assertThat(((MappingResult.Rejected) last).first().rule().code()).isEqualTo("syntax");
        assertThat(((MappingResult.Rejected) last).first().message()).contains("line");
    }

    @Test
    void a_stream_that_breaks_half_way_fails_the_read_of_every_format_instead_of_yielding_a_rejection() throws IOException {
        for (String[] feed : new String[][] {{"scjgj-penalties", CSV.toString()}, {"zjfy-defaulters", XML.toString()},
                {"xzspj-licences", JSON_ARRAY.toString()}, {"ssthjj-penalties", NDJSON.toString()}}) {
            byte[] sample = Files.readAllBytes(Path.of(feed[1]));
            IOException broken = new IOException("connection reset by peer");
            MappingDefinition mapping = MappingLoader.load(Path.of("mappings", feed[0] + ".yaml"));
            List<SourceRecord> read = new ArrayList<>();
            Throwable thrown = catchThrowable(() -> {
                try (RecordReader reader = RecordReader.open(mapping.source(), new BreakingStream(sample, sample.length / 2, broken))) {
                    while (reader.hasNext()) {
                        read.add(reader.next());
                    }
                }
            });

            assertThat(thrown).as(feed[0] + " read " + read.size() + " records, the last: "
                    + (read.isEmpty() ? null : read.get(read.size() - 1).syntaxError())).isInstanceOf(UncheckedIOException.class);
            assertThat(thrown.getCause()).as(feed[0]).isSameAs(broken);
            assertThat(read).as(feed[0]).allSatisfy(r -> assertThat(r.syntaxError()).isNull());
        }
    }

    @Test
    void a_stream_that_breaks_in_its_first_bytes_fails_the_read_and_is_not_taken_for_an_unusable_input() throws IOException {
        for (String[] feed : new String[][] {{"scjgj-penalties", CSV.toString()}, {"zjfy-defaulters", XML.toString()},
                {"xzspj-licences", JSON_ARRAY.toString()}, {"ssthjj-penalties", NDJSON.toString()}}) {
            for (int limit : new int[] {0, 2, 10, 100}) {
                byte[] sample = Files.readAllBytes(Path.of(feed[1]));
                IOException broken = new IOException("connection reset by peer");
                MappingDefinition mapping = MappingLoader.load(Path.of("mappings", feed[0] + ".yaml"));
                Throwable thrown = catchThrowable(() -> {
                    try (RecordReader reader = RecordReader.open(mapping.source(), new BreakingStream(sample, limit, broken))) {
                        while (reader.hasNext()) {
                            reader.next();
                        }
                    }
                });

                assertThat(thrown).as(feed[0] + " broken after " + limit + " bytes").isInstanceOf(UncheckedIOException.class);
                assertThat(thrown.getCause()).as(feed[0] + " broken after " + limit + " bytes").isSameAs(broken);
            }
        }
    }

    @Test
    void a_runtime_failure_of_the_stream_such_as_the_body_size_limit_propagates_unchanged() throws IOException {
        for (String[] feed : new String[][] {{"scjgj-penalties", CSV.toString()}, {"zjfy-defaulters", XML.toString()},
                {"xzspj-licences", JSON_ARRAY.toString()}, {"ssthjj-penalties", NDJSON.toString()}}) {
            byte[] sample = Files.readAllBytes(Path.of(feed[1]));
            IllegalStateException tooLarge = new IllegalStateException("the request body is larger than 100 bytes");
            MappingDefinition mapping = MappingLoader.load(Path.of("mappings", feed[0] + ".yaml"));
            Throwable thrown = catchThrowable(() -> {
                try (RecordReader reader = RecordReader.open(mapping.source(), new BreakingStream(sample, sample.length / 2, tooLarge))) {
                    while (reader.hasNext()) {
                        reader.next();
                    }
                }
            });

            assertThat(thrown).as(feed[0]).isSameAs(tooLarge);
        }
    }

    /** Gives {@code limit} bytes of {@code data}, then throws {@code failure} (an IOException or a RuntimeException). */
    static final class BreakingStream extends FilterInputStream {
        private final int limit;
        private final Exception failure;
        private int position;

        BreakingStream(byte[] data, int limit, Exception failure) {
            super(new ByteArrayInputStream(data));
            this.limit = limit;
            this.failure = failure;
        }

        @Override
        public int read() throws IOException {
            check();
            int b = super.read();
            position += b >= 0 ? 1 : 0;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            check();
            int n = super.read(b, off, Math.min(len, limit - position));
            position += Math.max(n, 0);
            return n;
        }

        private void check() throws IOException {
            if (position >= limit) {
                if (failure instanceof IOException io) {
                    throw io;
                }
                throw (RuntimeException) failure;
            }
        }
    }
}
