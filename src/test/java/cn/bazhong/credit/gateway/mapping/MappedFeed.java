package cn.bazhong.credit.gateway.mapping;

import cn.bazhong.credit.gateway.mapping.source.RecordReader;
import cn.bazhong.credit.gateway.schema.CreditRecord;
import cn.bazhong.credit.gateway.schema.Provenance;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/** Test helper: maps a whole input with one of the project's mapping files and keeps every outcome. */
record MappedFeed(List<MappingResult> results) {

    static final Clock TODAY = Clock.fixed(Instant.parse("2026-11-27T02:00:00Z"), ZoneId.of("Asia/Shanghai"));

    static MappedFeed map(String mappingId, byte[] input) {
        MappingDefinition mapping = MappingLoader.load(Path.of("mappings", mappingId + ".yaml"));
        RecordMapper mapper = new RecordMapper(mapping, TODAY);
        Provenance provenance = new Provenance(mapping.department(), "test", "input", null, null, null, null, null,
                Instant.now(TODAY), mapping.id(), mapping.version());
        List<MappingResult> results = new ArrayList<>();
        try (RecordReader reader = RecordReader.open(mapping.source(), new ByteArrayInputStream(input))) {
            while (reader.hasNext()) {
                results.add(mapper.map(reader.next(), provenance));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new MappedFeed(results);
    }

    MappingResult at(long position) {
        return results.stream().filter(r -> r.position() == position).findFirst()
                .orElseThrow(() -> new AssertionError("no record at position " + position + " in " + positions()));
    }

    CreditRecord accepted(long position) {
        MappingResult r = at(position);
        if (r instanceof MappingResult.Accepted a) {
            return a.record();
        }
        throw new AssertionError("record at " + position + " was rejected: " + ((MappingResult.Rejected) r).violations());
    }

    Violation rejected(long position) {
        MappingResult r = at(position);
        if (r instanceof MappingResult.Rejected rej) {
            return rej.first();
        }
        throw new AssertionError("record at " + position + " was accepted");
    }

    List<Long> positions() {
        return results.stream().map(MappingResult::position).toList();
    }
}
