package cn.bazhong.credit.gateway.schema;

import cn.bazhong.credit.gateway.mapping.MappingDefinition;
import cn.bazhong.credit.gateway.mapping.MappingLoader;
import cn.bazhong.credit.gateway.mapping.MappingResult;
import cn.bazhong.credit.gateway.mapping.RecordMapper;
import cn.bazhong.credit.gateway.mapping.source.RecordReader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The five sample department feeds, mapped with the real mappings at a fixed clock. */
final class SampleFeeds {

    static final Path MAPPINGS = Path.of("mappings");
    static final Path FEEDS = Path.of("samples", "feeds");
    static final Clock CLOCK = Clock.fixed(Instant.parse("2025-03-11T02:00:00Z"), ZoneOffset.UTC);

    private SampleFeeds() {
    }

    /** The mapping files of the departments that expected.json has samples for, sorted by name. */
    static List<Path> mappings() {
        JsonNode feeds = expected().path("feeds");
        try (Stream<Path> files = Files.list(MAPPINGS)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".yaml"))
                    .filter(p -> feeds.has(MappingLoader.load(p).department()))
                    // the shared samples hold no commitments: the gateway's own XZSPJ commitment sample is checked apart
                    .filter(p -> MappingLoader.load(p).kind() != RecordKind.COMMITMENT).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** samples/feeds/expected.json: which file each department sends and which of its records are valid. */
    static JsonNode expected() {
        try {
            return new ObjectMapper().readTree(FEEDS.resolve("expected.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The sample input of a mapping's department, as expected.json names it. */
    static Path input(MappingDefinition mapping) {
        JsonNode feed = expected().path("feeds").path(mapping.department());
        if (feed.isMissingNode()) {
            throw new IllegalStateException("samples/feeds/expected.json has no feed for " + mapping.department());
        }
        return FEEDS.resolve(feed.path("file").asText());
    }

    /** How many records expected.json marks valid for the mapping's department. */
    static long expectedValid(MappingDefinition mapping) {
        long n = 0;
        for (JsonNode r : expected().path("feeds").path(mapping.department()).path("records")) {
            if (r.path("valid").asBoolean()) {
                n++;
            }
        }
        return n;
    }

    /** The accepted records of one mapping over its sample feed. */
    static List<CreditRecord> accepted(Path mappingFile) {
        MappingDefinition mapping = MappingLoader.load(mappingFile);
        Path input = input(mapping);
        RecordMapper mapper = new RecordMapper(mapping, CLOCK);
        Provenance provenance = new Provenance(mapping.department(), "dry-run", input.getFileName().toString(),
                null, null, null, null, null, CLOCK.instant(), mapping.id(), mapping.version());
        List<CreditRecord> out = new ArrayList<>();
        try (InputStream in = Files.newInputStream(input); RecordReader reader = RecordReader.open(mapping.source(), in)) {
            while (reader.hasNext()) {
                if (mapper.map(reader.next(), provenance) instanceof MappingResult.Accepted a) {
                    out.add(a.record());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** The accepted record of a mapping whose business key ends with the given text. */
    static CreditRecord record(String mappingFile, String businessKeySuffix) {
        return accepted(MAPPINGS.resolve(mappingFile)).stream()
                .filter(r -> r.businessKey().endsWith(businessKeySuffix))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no accepted record " + businessKeySuffix + " in " + mappingFile));
    }
}
