package cn.bazhong.credit.gateway.reload;

import cn.bazhong.credit.gateway.catalog.Catalog;
import cn.bazhong.credit.gateway.catalog.CatalogLoader;
import cn.bazhong.credit.gateway.yaml.ConfigFileException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * The catalog file: a changed one is checked by {@link CatalogLoader} as at start-up and refused with its
 * {@code file:line: problem} when it fails; a good one is marked as waiting for the next restart (the measures
 * in use are not swapped while the gateway runs yet).
 */
public class CatalogFileReload extends OneWatchedFile {

    private final Catalog active;
    private final LoadedFiles loaded;

    public CatalogFileReload(Path file, Catalog active, LoadedFiles loaded) {
        super(file);
        this.active = active;
        this.loaded = loaded;
    }

    @Override
    public void registerLoaded() {
        if (Files.isRegularFile(file)) {
            loaded.loaded(LoadedFile.Kind.CATALOG, file, active.version(), LoadedFiles.sha256(file));
        }
    }

    @Override
    public void reload(List<Path> changed) {
        if (!Files.isRegularFile(file)) {
            loaded.refused(LoadedFile.Kind.CATALOG, file, file + ":0: the file is gone (the catalog loaded before stays active)");
            return;
        }
        try {
            CatalogLoader.load(file);
        } catch (ConfigFileException e) {
            loaded.refused(LoadedFile.Kind.CATALOG, file, e.getMessage());
            return;
        }
        loaded.waitsForRestart(LoadedFile.Kind.CATALOG, file, LoadedFiles.sha256(file));
    }
}
