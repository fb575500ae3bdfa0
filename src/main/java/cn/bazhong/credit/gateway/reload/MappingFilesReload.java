package cn.bazhong.credit.gateway.reload;

import cn.bazhong.credit.gateway.ingest.IngestMetrics;
import cn.bazhong.credit.gateway.ingest.MappingCatalog;
import cn.bazhong.credit.gateway.mapping.MappingDefinition;
import cn.bazhong.credit.gateway.mapping.MappingFileException;
import cn.bazhong.credit.gateway.mapping.MappingLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Mapping files ({@code mappings/<id>.yaml}): a changed or new file is checked by {@link MappingLoader}, as at
 * start-up and by {@code mapping check}, and replaces its mapping in the {@link MappingCatalog} at once; a file
 * that fails the check is refused with its {@code file:line: problem} and the mapping loaded before stays. A
 * removed file's mapping stays loaded until the next restart (a feed route may still name it).
 */
public class MappingFilesReload implements WatchedFiles {

    private static final Logger LOG = LoggerFactory.getLogger(MappingFilesReload.class);

    private final MappingCatalog mappings;
    private final LoadedFiles loaded;
    private final IngestMetrics metrics;
    private final Path dir;

    public MappingFilesReload(MappingCatalog mappings, LoadedFiles loaded, IngestMetrics metrics) {
        this.mappings = mappings;
        this.loaded = loaded;
        this.metrics = metrics;
        this.dir = mappings.dir().toAbsolutePath().normalize();
    }

    @Override
    public Set<Path> folders() {
        return Set.of(dir);
    }

    @Override
    public boolean covers(Path file) {
        return dir.equals(file.getParent()) && file.getFileName().toString().endsWith(".yaml");
    }

    @Override
    public void registerLoaded() {
        for (MappingDefinition m : mappings.all()) {
            Path file = dir.resolve(m.id() + ".yaml");
            if (Files.isRegularFile(file)) {
                loaded.loaded(LoadedFile.Kind.MAPPING, file, Integer.toString(m.version()), LoadedFiles.sha256(file));
            }
        }
    }

    @Override
    public void reload(List<Path> changed) {
        for (Path file : changed) {
            if (!Files.isRegularFile(file)) {
                LOG.warn("reload: {} was removed; its mapping stays loaded until the next restart", file);
                continue;
            }
            String sha = LoadedFiles.sha256(file);
            LoadedFile before = loaded.get(file);
            if (before != null && sha.equals(before.sha256()) && before.refused() == null) {
                continue; // touched, not changed
            }
            MappingDefinition m;
            try {
                m = MappingLoader.load(file);
            } catch (MappingFileException e) {
                loaded.refused(LoadedFile.Kind.MAPPING, file, e.getMessage());
                continue;
            }
            mappings.replace(m);
            if (metrics != null) {
                metrics.registerFeeds(List.of(m));
            }
            loaded.applied(LoadedFile.Kind.MAPPING, file, Integer.toString(m.version()), sha);
        }
    }
}
