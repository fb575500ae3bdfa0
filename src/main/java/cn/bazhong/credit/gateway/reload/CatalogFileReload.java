package cn.bazhong.credit.gateway.reload;

import cn.bazhong.credit.gateway.catalog.ActiveCatalog;
import cn.bazhong.credit.gateway.catalog.Catalog;
import cn.bazhong.credit.gateway.catalog.CatalogLoader;
import cn.bazhong.credit.gateway.yaml.ConfigFileException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * The catalog file: a changed one is checked by {@link CatalogLoader} as at start-up, then against the subscriptions
 * in use (every subscribed department must stay a unit implementing a measure), and put in use at once, whole
 * ({@link ActiveCatalog}): what is built after that (a department's event, the answer to a check, an initiation)
 * uses the new version, what was built before keeps the old one (an initiation keeps its catalog version and its
 * measures' terms). A file that fails is refused with its {@code file:line: problem} and the catalog in use stays.
 */
public class CatalogFileReload extends OneWatchedFile {

    private final ActiveCatalog active;
    private final LoadedFiles loaded;
    private final Function<Catalog, List<String>> misfits;
    private Runnable afterApplied = () -> {
    };

    /** Without fan-out: nothing else depends on the catalog's units. */
    public CatalogFileReload(Path file, ActiveCatalog active, LoadedFiles loaded) {
        this(file, active, loaded, catalog -> List.of());
    }

    /** @param misfits what keeps the subscriptions in use from running with a catalog (empty when they fit) */
    public CatalogFileReload(Path file, ActiveCatalog active, LoadedFiles loaded, Function<Catalog, List<String>> misfits) {
        super(file);
        this.active = active;
        this.loaded = loaded;
        this.misfits = misfits;
    }

    /** Run after a new catalog was put in use (the subscriptions file, refused against the old one, is checked again). */
    void afterApplied(Runnable then) {
        this.afterApplied = then;
    }

    @Override
    public void registerLoaded() {
        if (Files.isRegularFile(file)) {
            loaded.loaded(LoadedFile.Kind.CATALOG, file, active.get().version(), LoadedFiles.sha256(file));
        }
    }

    @Override
    public synchronized void reload(List<Path> changed) {
        if (!Files.isRegularFile(file)) {
            loaded.refused(LoadedFile.Kind.CATALOG, file, file + ":0: the file is gone (the catalog loaded before stays active)");
            return;
        }
        String sha = LoadedFiles.sha256(file);
        LoadedFile before = loaded.get(file);
        if (before != null && sha.equals(before.sha256())) {
            if (before.refused() != null) {
                loaded.loaded(LoadedFile.Kind.CATALOG, file, before.version(), sha); // put back as it runs
            }
            return; // touched, not changed
        }
        Catalog next;
        try {
            next = CatalogLoader.load(file);
        } catch (ConfigFileException e) {
            loaded.refused(LoadedFile.Kind.CATALOG, file, e.getMessage());
            return;
        }
        List<String> problems = misfits.apply(next);
        if (!problems.isEmpty()) {
            loaded.refused(LoadedFile.Kind.CATALOG, file, file + ":0: " + String.join("; ", problems)
                    + " (change the subscriptions first, or keep those units and measures)");
            return;
        }
        active.replace(next);
        loaded.applied(LoadedFile.Kind.CATALOG, file, next.version(), sha);
        afterApplied.run();
    }

    /** Checks the file again if its newest content is refused (the subscriptions it did not fit have changed). */
    void recheckIfRefused() {
        LoadedFile f = loaded.get(file);
        if (f != null && f.refused() != null) {
            reload(List.of(file));
        }
    }
}
