package cn.bazhong.credit.gateway.mapping;

import cn.bazhong.credit.gateway.mapping.source.InputUnusableException;
import cn.bazhong.credit.gateway.mapping.source.RecordReader;
import cn.bazhong.credit.gateway.schema.Provenance;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.quicktheories.generators.SourceDSL.strings;

/**
 * Every sample feed format (the SCJGJ CSV, the XZSPJ JSON array, the SSTHJJ and SWJ NDJSON, the
 * court's XML), cut off anywhere, glued to another sample, with bytes flipped or garbage appended:
 * every record complete before the damage still ends accepted or rejected, every rejection has a
 * position, nothing but an {@link InputUnusableException} with rule and position escapes, and a read
 * never stops early without saying so.
 */
class ReaderRobustnessPropertiesTest {

    /** Bytes at the start that the whole-input checks (encoding, empty input, top level) look at. */
    private static final int HEAD = 512;

    private record Sample(String mappingId, String format, byte[] bytes, RecordMapper mapper, Provenance provenance, long[] recordEnds) {
    }

    private static final List<Sample> SAMPLES = List.of(
            sample("scjgj-penalties", "samples/feeds/sftp/scjgj/outbox/xzcf/XZCF_20250310_001.csv"),
            sample("xzspj-licences", "samples/feeds/rest/xzspj/licences-001.json"),
            sample("ssthjj-penalties", "samples/feeds/rest/ssthjj/penalties-001.ndjson"),
            sample("swj-tax-lists", "samples/feeds/kafka/swj/messages-001.ndjson"),
            sample("zjfy-defaulters", "samples/feeds/sftp/zjfy/export/sxbzxr/SXBZXR_20250310.xml"));

    private static final List<List<MappingResult>> CLEAN = SAMPLES.stream().map(s -> read(s, s.bytes()).results()).toList();

    private static Sample sample(String mappingId, String file) {
        try {
            byte[] bytes = Files.readAllBytes(Path.of(file));
            MappingDefinition mapping = MappingLoader.load(Path.of("mappings", mappingId + ".yaml"));
            RecordMapper mapper = new RecordMapper(mapping, MappedFeed.TODAY);
            Provenance provenance = new Provenance(mapping.department(), "test", "input", null, null, null, null, null,
                    Instant.now(MappedFeed.TODAY), mapping.id(), mapping.version());
            String format = mapping.source().format().id();
            Sample s = new Sample(mappingId, format, bytes, mapper, provenance, null);
            return new Sample(mappingId, format, bytes, mapper, provenance, recordEnds(s));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Outcome of reading and mapping an input: the results, or the whole-input refusal. */
    private record Outcome(List<MappingResult> results, InputUnusableException unusable) {
        long count() {
            return results.size();
        }
    }

    private static Outcome read(Sample s, byte[] input) {
        List<MappingResult> results = new ArrayList<>();
        try (RecordReader reader = RecordReader.open(s.mapper().mapping().source(), new ByteArrayInputStream(input));
             MappedRecords mapped = MappedRecords.ordered(reader, s.mapper(), s.provenance(), 1)) {
            while (mapped.hasNext()) {
                results.add(mapped.next());
            }
        } catch (InputUnusableException e) {
            assertThat(e.rule()).as("rule of %s", e.getMessage()).isNotNull();
            assertThat(e.position()).as("position of %s", e.getMessage()).isNotNull();
            assertThat(e.position().line() > 0 || e.position().offset() >= 0).as("a known position: %s", e.getMessage()).isTrue();
            return new Outcome(results, e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long previous = 0;
        for (MappingResult r : results) {
            assertThat(r.position()).as("positions rise, every result has one").isGreaterThan(previous);
            previous = r.position();
            if (r instanceof MappingResult.Rejected rejected) {
                assertThat(rejected.violations()).isNotEmpty();
                assertThat(rejected.first().message()).isNotBlank();
            }
        }
        return new Outcome(results, null);
    }

    /**
     * Where each record of the clean sample ends (the offset just past it), in result order: for CSV
     * and NDJSON the end of the last line before the next record starts, for JSON the closing brace,
     * for XML the end tag.
     */
    private static long[] recordEnds(Sample s) {
        byte[] b = s.bytes();
        List<Long> ends = new ArrayList<>();
        switch (s.format()) {
            case "csv", "ndjson" -> {
                List<Long> lineEnds = new ArrayList<>(); // lineEnds[n-1] = offset just past the '\n' of line n
                for (int i = 0; i < b.length; i++) {
                    if (b[i] == '\n') {
                        lineEnds.add((long) i + 1);
                    }
                }
                List<MappingResult> clean = read(s, b).results();
                for (int i = 0; i < clean.size(); i++) {
                    long lastLine = i + 1 < clean.size() ? clean.get(i + 1).position() - 1 : lineEnds.size();
                    ends.add(lastLine >= 1 && lastLine <= lineEnds.size() ? lineEnds.get((int) lastLine - 1) : b.length + 1L);
                }
            }
            case "json-array" -> {
                int depth = 0;
                boolean inString = false;
                for (int i = 0; i < b.length; i++) {
                    byte c = b[i];
                    if (inString) {
                        if (c == '\\') {
                            i++;
                        } else if (c == '"') {
                            inString = false;
                        }
                    } else if (c == '"') {
                        inString = true;
                    } else if (c == '{' || c == '[') {
                        depth++;
                    } else if (c == '}' || c == ']') {
                        depth--;
                        if (depth == 1 && c == '}') {
                            ends.add((long) i + 1);
                        }
                    }
                }
            }
            default -> {
                String text = new String(b, StandardCharsets.ISO_8859_1);
                for (int i = text.indexOf("</record>"); i >= 0; i = text.indexOf("</record>", i + 1)) {
                    ends.add((long) i + "</record>".length());
                }
            }
        }
        return ends.stream().mapToLong(Long::longValue).toArray();
    }

    /** Records of the clean sample that are complete in its first {@code offset} bytes. */
    private static long completeBefore(Sample s, long offset) {
        return Arrays.stream(s.recordEnds()).filter(end -> end <= offset).count();
    }

    /**
     * Whether a cut at {@code length} leaves something unfinished: for JSON and XML anything short of
     * the closing bracket or end tag, for CSV and NDJSON a partial last line with content (for CSV
     * not the header line: a file cut inside its header holds no record).
     */
    private static boolean cutsContent(Sample s, int length) {
        byte[] b = s.bytes();
        if (s.format().equals("json-array") || s.format().equals("xml")) {
            int last = b.length - 1;
            while (last >= 0 && Character.isWhitespace(b[last])) {
                last--;
            }
            return length > 0 && length <= last;
        }
        int i = length - 1;
        boolean content = false;
        for (; i >= 0 && b[i] != '\n'; i--) {
            content |= !Character.isWhitespace(b[i]);
        }
        boolean header = s.format().equals("csv") && i < 0; // a cut header line: no record was begun
        return content && !header;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void the_clean_samples_are_read_whole() {
        for (Sample s : SAMPLES) {
            assertThat(read(s, s.bytes()).count()).as(s.mappingId()).isEqualTo(s.recordEnds().length).isPositive();
        }
    }

    @Test
    void a_truncated_sample_keeps_every_record_before_the_cut_and_rejects_the_cut_one() {
        qt().withExamples(200).forAll(integers().between(0, SAMPLES.size() - 1), integers().between(0, 1_000_000)).checkAssert((i, cut) -> {
            Sample s = SAMPLES.get(i);
            int length = cut % (s.bytes().length + 1);
            Outcome o = read(s, Arrays.copyOf(s.bytes(), length));
            long complete = completeBefore(s, length);
            List<MappingResult> clean = CLEAN.get(i);

            if (o.unusable() != null) {
                assertThat(complete).as("%s cut at %d refused as a whole: %s", s.mappingId(), length, o.unusable().getMessage()).isZero();
                return;
            }
            assertThat(o.count()).as("%s cut at %d", s.mappingId(), length).isGreaterThanOrEqualTo(complete);
            if (cutsContent(s, length)) {
                assertThat(o.count()).as("%s cut at %d: the cut record (or the unclosed document) is reported", s.mappingId(), length)
                        .isGreaterThan(complete);
            }
            for (int r = 0; r < complete; r++) {
                assertThat(o.results().get(r).getClass()).as("%s cut at %d, record %d", s.mappingId(), length, r)
                        .isEqualTo(clean.get(r).getClass());
            }
        });
    }

    @Test
    void two_samples_glued_together_keep_the_first_and_say_something_about_the_rest() {
        qt().withExamples(100).forAll(integers().between(0, SAMPLES.size() - 1), integers().between(0, SAMPLES.size() - 1)).checkAssert((a, b) -> {
            Sample first = SAMPLES.get(a);
            Sample second = SAMPLES.get(b);
            Outcome o = read(first, concat(first.bytes(), second.bytes()));
            long complete = completeBefore(first, first.bytes().length);

            assertThat(o.unusable()).as("%s + %s", first.mappingId(), second.mappingId()).isNull();
            assertThat(o.count()).as("%s + %s: more than the first sample's records", first.mappingId(), second.mappingId())
                    .isGreaterThan(complete);
        });
    }

    @Test
    void garbage_after_a_sample_is_never_dropped_silently() {
        qt().withExamples(200).forAll(integers().between(0, SAMPLES.size() - 1), strings().basicLatinAlphabet().ofLengthBetween(1, 20))
                .checkAssert((i, garbage) -> {
                    Sample s = SAMPLES.get(i);
                    String text = garbage.strip();
                    if (text.isEmpty()) {
                        return;
                    }
                    Outcome o = read(s, concat(s.bytes(), text.getBytes(StandardCharsets.US_ASCII)));

                    assertThat(o.unusable()).as("%s + '%s'", s.mappingId(), text).isNull();
                    assertThat(o.count()).as("%s + '%s'", s.mappingId(), text).isGreaterThanOrEqualTo(completeBefore(s, s.bytes().length));
                    assertThat(o.results().get(o.results().size() - 1)).as("%s + '%s' ends with a rejection", s.mappingId(), text)
                            .isInstanceOf(MappingResult.Rejected.class);
                });
    }

    @Test
    void flipped_bytes_spare_the_records_before_the_first_flip() {
        qt().withExamples(200).forAll(integers().between(0, SAMPLES.size() - 1), longs().all()).checkAssert((i, seed) -> {
            Sample s = SAMPLES.get(i);
            Random random = new Random(seed);
            byte[] input = s.bytes().clone();
            int flips = 1 + random.nextInt(4);
            int firstFlip = input.length;
            for (int f = 0; f < flips; f++) {
                int at = random.nextInt(input.length);
                input[at] = (byte) random.nextInt(256);
                firstFlip = Math.min(firstFlip, at);
            }
            Outcome o = read(s, input);
            long complete = completeBefore(s, firstFlip);

            if (o.unusable() != null) {
                assertThat(firstFlip).as("%s flipped from %d, refused as a whole: %s", s.mappingId(), firstFlip, o.unusable().getMessage())
                        .isLessThan(HEAD);
                return;
            }
            assertThat(o.count()).as("%s flipped from byte %d", s.mappingId(), firstFlip).isGreaterThanOrEqualTo(complete);
        });
    }
}
