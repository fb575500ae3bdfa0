package cn.bazhong.credit.gateway.ingest;

import cn.bazhong.credit.gateway.mapping.MappingDefinition;
import cn.bazhong.credit.gateway.mapping.MappingLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Every mapping file of the mappings folder, loaded and checked when the gateway starts. A broken
 * file stops the start with its file, line and key, so that a bad edit never reaches traffic.
 *
 * <p>A mapping checked later (live reload, {@code reload.MappingFilesReload}) replaces its previous
 * version in one step: readers see either the old set or the new one, never a mix. A source being
 * mapped keeps the definition it took at its start, so each record carries the version it was mapped with.
 */
@Component("mappingCatalog")
public class MappingCatalog {

    private static final Logger LOG = LoggerFactory.getLogger(MappingCatalog.class);

    /** Immutable; replaced as a whole. */
    private volatile Map<String, MappingDefinition> byId;
    private final Path dir;

    public MappingCatalog(MappingSettings settings) {
        this.dir = settings.dir();
        Map<String, MappingDefinition> byId = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("gateway.mappings.dir " + dir.toAbsolutePath() + " is not a folder");
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(p -> p.getFileName().toString().endsWith(".yaml")).sorted().toList()) {
                MappingDefinition m = MappingLoader.load(file);
                byId.put(m.id(), m);
                LOG.info("mapping {} v{} loaded: {} {} from {}", m.id(), m.version(), m.department(), m.kind(), m.source().format().id());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        this.byId = java.util.Collections.unmodifiableMap(byId);
    }

    /** The folder the mapping files are read from. */
    public Path dir() {
        return dir;
    }

    /** Puts a checked mapping in place of the one with its id (or beside the others, if new), atomically. */
    public synchronized void replace(MappingDefinition mapping) {
        Map<String, MappingDefinition> next = new TreeMap<>(byId);
        MappingDefinition previous = next.put(mapping.id(), mapping);
        byId = java.util.Collections.unmodifiableMap(next);
        LOG.info("mapping {} v{} reloaded from {} (was {})", mapping.id(), mapping.version(), mapping.file(),
                previous == null ? "not loaded" : "v" + previous.version());
    }

    public MappingDefinition get(String id) {
        return byId.get(id);
    }

    public List<MappingDefinition> all() {
        return List.copyOf(byId.values());
    }

    /** A summary per mapping, for the operators' API. */
    public List<Map<String, Object>> describe() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (MappingDefinition m : all()) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("id", m.id());
            d.put("version", m.version());
            d.put("department", m.department());
            d.put("kind", m.kind().name());
            d.put("format", m.source().format().id());
            d.put("encoding", m.source().charset().name());
            d.put("file", m.file());
            out.add(d);
        }
        return out;
    }
}
