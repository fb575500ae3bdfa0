package cn.bazhong.credit.gateway.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cn.bazhong.credit.gateway.bench.ScjgjCsvGenerator;
import cn.bazhong.credit.gateway.mapping.source.RecordReader;
import cn.bazhong.credit.gateway.mapping.source.SourceRecord;
import cn.bazhong.credit.gateway.schema.Provenance;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ordered parallel mapping iterator gives what mapping record after record gives, failures included. */
class MappedRecordsTest {

    private static final Path MAPPING = Path.of("mappings/scjgj-penalties.yaml");
    private static final Path SAMPLE = Path.of("samples/feeds/sftp/scjgj/outbox/xzcf/XZCF_20250310_001.csv");
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-27T02:00:00Z"), ZoneId.of("Asia/Shanghai"));
    private static final int GENERATED = 20_000;

    @TempDir
    static Path dir;

    private static MappingDefinition mapping;
    private static RecordMapper mapper;
    private static Provenance provenance;
    private static Path generated;
    private static ScjgjCsvGenerator.Summary summary;

    @BeforeAll
    static void load_the_mapping_and_generate_a_larger_input() throws IOException {
        mapping = MappingLoader.load(MAPPING);
        mapper = new RecordMapper(mapping, CLOCK);
        provenance = new Provenance(mapping.department(), "sftp", "XZCF.csv", null, null, null, null, null,
                CLOCK.instant(), mapping.id(), mapping.version());
        generated = dir.resolve("XZCF_20261127_001.csv");
        summary = ScjgjCsvGenerator.write(generated, GENERATED, ScjgjCsvGenerator.DEFAULT_SEED);
    }

    @Test
    void the_results_on_the_real_sample_are_the_sequential_results_in_the_same_order() {
        List<MappingResult> sequential = sequential(SAMPLE);

        assertThat(sequential).hasSizeGreaterThan(20);
        assertThat(sequential).hasAtLeastOneElementOfType(MappingResult.Rejected.class);
        for (int chunk : new int[] {1, 3, 128}) {
            assertSameResults(ordered(SAMPLE, 4, chunk), sequential);
        }
    }

    @Test
    void the_results_on_twenty_thousand_generated_records_are_the_sequential_results_in_the_same_order() {
        List<MappingResult> sequential = sequential(generated);
        List<MappingResult> parallel = ordered(generated, 3, MappedRecords.CHUNK_SIZE);

        assertThat(parallel).hasSize(GENERATED);
        assertSameResults(parallel, sequential);
        assertThat(parallel.stream().filter(r -> r instanceof MappingResult.Rejected).count())
                .isEqualTo(summary.expectedRejected());
    }

    @Test
    void one_thread_maps_every_record_on_the_calling_thread() throws IOException {
        Set<Thread> mappers = ConcurrentHashMap.newKeySet();
        List<MappingResult> results = new ArrayList<>();

        try (InputStream in = Files.newInputStream(generated);
             RecordReader reader = watched(RecordReader.open(mapping.source(), in), mappers::add);
             MappedRecords records = MappedRecords.ordered(reader, mapper, provenance, 1)) {
            records.forEachRemaining(results::add);
        }

        assertThat(results).hasSize(GENERATED);
        assertThat(mappers).containsExactly(Thread.currentThread());
    }

    @Test
    void an_input_shorter_than_one_chunk_is_mapped_on_the_calling_thread() throws IOException {
        Set<Thread> mappers = ConcurrentHashMap.newKeySet();
        List<MappingResult> results = new ArrayList<>();

        try (InputStream in = Files.newInputStream(SAMPLE);
             RecordReader reader = watched(RecordReader.open(mapping.source(), in), mappers::add);
             MappedRecords records = MappedRecords.ordered(reader, mapper, provenance, 4)) {
            records.forEachRemaining(results::add);
        }

        assertSameResults(results, sequential(SAMPLE));
        assertThat(mappers).containsExactly(Thread.currentThread());
    }

    @Test
    void an_exception_thrown_while_reading_comes_after_every_record_read_before_it() throws IOException {
        List<MappingResult> sequential = sequential(generated).subList(0, 1_000);
        IllegalStateException failure = new IllegalStateException("the disk went away");
        List<MappingResult> results = new ArrayList<>();

        try (InputStream in = Files.newInputStream(generated);
             RecordReader reader = failingAfter(RecordReader.open(mapping.source(), in), 1_000, failure);
             MappedRecords records = MappedRecords.ordered(reader, mapper, provenance, 2)) {
            assertThatThrownBy(() -> {
                while (records.hasNext()) {
                    results.add(records.next());
                }
            }).isSameAs(failure);
        }

        assertSameResults(results, sequential);
    }

    @Test
    void an_exception_thrown_while_mapping_reaches_the_caller_in_place_of_that_record() throws IOException {
        List<MappingResult> sequential = sequential(generated);
        IllegalArgumentException failure = new IllegalArgumentException("a broken source record");
        long badPosition = sequential.get(700).position();
        List<MappingResult> results = new ArrayList<>();

        try (InputStream in = Files.newInputStream(generated);
             RecordReader reader = breaking(RecordReader.open(mapping.source(), in), badPosition, failure);
             MappedRecords records = MappedRecords.ordered(reader, mapper, provenance, 3)) {
            assertThatThrownBy(() -> {
                while (records.hasNext()) {
                    results.add(records.next());
                }
            }).isSameAs(failure);
            assertThatThrownBy(records::hasNext).isInstanceOf(IllegalStateException.class);
        }

        assertSameResults(results, sequential.subList(0, 700));
    }

    @Test
    void closing_stops_the_worker_threads_even_when_results_are_left_unread() throws Exception {
        Set<Thread> mappers = ConcurrentHashMap.newKeySet();
        MappingResult first;

        try (InputStream in = Files.newInputStream(generated);
             RecordReader reader = watched(RecordReader.open(mapping.source(), in), mappers::add);
             MappedRecords records = MappedRecords.ordered(reader, mapper, provenance, 3)) {
            first = records.next();
            for (int i = 0; i < 500; i++) {
                records.next();
            }
        }

        assertThat(first).isEqualTo(sequential(generated).get(0));
        assertThat(mappers).isNotEmpty().doesNotContain(Thread.currentThread()).hasSizeLessThanOrEqualTo(3);
        for (Thread t : mappers) {
            assertThat(t.isDaemon()).as("%s is a daemon", t.getName()).isTrue();
            t.join(10_000);
            assertThat(t.isAlive()).as("%s is still alive", t.getName()).isFalse();
        }
    }

    @Test
    void the_records_cannot_be_read_once_closed() throws IOException {
        try (InputStream in = Files.newInputStream(generated);
             RecordReader reader = RecordReader.open(mapping.source(), in)) {
            MappedRecords records = MappedRecords.ordered(reader, mapper, provenance, 2);
            records.next();
            records.close();

            assertThatThrownBy(records::hasNext).isInstanceOf(IllegalStateException.class);
        }
    }

    // ---- helpers -------------------------------------------------------------------------------

    /** Equal lists, reported by the first difference rather than by printing thousands of records. */
    private static void assertSameResults(List<MappingResult> actual, List<MappingResult> expected) {
        for (int i = 0; i < Math.min(actual.size(), expected.size()); i++) {
            assertThat(actual.get(i)).as("result %d", i).isEqualTo(expected.get(i));
        }
        assertThat(actual.size()).as("number of results").isEqualTo(expected.size());
    }

    private static List<MappingResult> sequential(Path input) {
        List<MappingResult> out = new ArrayList<>();
        try (InputStream in = Files.newInputStream(input); RecordReader reader = RecordReader.open(mapping.source(), in)) {
            while (reader.hasNext()) {
                out.add(mapper.map(reader.next(), provenance));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static List<MappingResult> ordered(Path input, int threads, int chunkSize) {
        List<MappingResult> out = new ArrayList<>();
        try (InputStream in = Files.newInputStream(input);
             RecordReader reader = RecordReader.open(mapping.source(), in);
             MappedRecords records = MappedRecords.ordered(reader, mapper, provenance, threads, chunkSize)) {
            records.forEachRemaining(out::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** A reader whose records tell {@code onGet} which thread reads their fields, i.e. which thread maps them. */
    private static RecordReader watched(RecordReader reader, Consumer<Thread> onGet) {
        return new Delegating(reader) {
            @Override
            public SourceRecord next() {
                SourceRecord r = reader.next();
                return new SourceRecord() {
                    @Override
                    public long position() {
                        return r.position();
                    }

                    @Override
                    public String get(String field) {
                        onGet.accept(Thread.currentThread());
                        return r.get(field);
                    }

                    @Override
                    public String syntaxError() {
                        return r.syntaxError();
                    }
                };
            }
        };
    }

    /** A reader that throws {@code failure} instead of reading record {@code count + 1}. */
    private static RecordReader failingAfter(RecordReader reader, int count, RuntimeException failure) {
        return new Delegating(reader) {
            private int read;

            @Override
            public SourceRecord next() {
                if (read++ == count) {
                    throw failure;
                }
                return reader.next();
            }
        };
    }

    /** A reader whose record at {@code position} throws {@code failure} when the mapper reads a field of it. */
    private static RecordReader breaking(RecordReader reader, long position, RuntimeException failure) {
        return new Delegating(reader) {
            @Override
            public SourceRecord next() {
                SourceRecord r = reader.next();
                if (r.position() != position) {
                    return r;
                }
                return new SourceRecord() {
                    @Override
                    public long position() {
                        return position;
                    }

                    @Override
                    public String get(String field) {
                        throw failure;
                    }
                };
            }
        };
    }

    private abstract static class Delegating implements RecordReader {
        final RecordReader reader;

        Delegating(RecordReader reader) {
            this.reader = reader;
        }

        @Override
        public boolean hasNext() {
            return reader.hasNext();
        }

        @Override
        public void close() throws IOException {
            reader.close();
        }
    }
}
