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
 */
@Component("mappingCatalog")
public class MappingCatalog {

    private static final Logger LOG = LoggerFactory.getLogger(MappingCatalog.class);

    private final Map<String, MappingDefinition> byId = new TreeMap<>();

    public MappingCatalog(MappingSettings settings) {
        Path dir = settings.dir();
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
        for (MappingDefinition m : byId.values()) {
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
