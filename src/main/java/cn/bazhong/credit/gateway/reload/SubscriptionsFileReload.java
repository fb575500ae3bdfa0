package cn.bazhong.credit.gateway.reload;

import cn.bazhong.credit.gateway.catalog.Catalog;
import cn.bazhong.credit.gateway.fanout.SubscriptionsLoader;
import cn.bazhong.credit.gateway.yaml.ConfigFileException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The subscriptions file: a changed one is checked by {@link SubscriptionsLoader} against the active catalog,
 * as at start-up, and refused with its {@code file:line: problem} when it fails; a good one is marked as
 * waiting for the next restart (the departments' dispatchers are not rebuilt while the gateway runs yet).
 */
public class SubscriptionsFileReload extends OneWatchedFile {

    private final Catalog catalog;
    private final UnaryOperator<String> settings;
    private final LoadedFiles loaded;

    public SubscriptionsFileReload(Path file, Catalog catalog, UnaryOperator<String> settings, LoadedFiles loaded) {
        super(file);
        this.catalog = catalog;
        this.settings = settings;
        this.loaded = loaded;
    }

    @Override
    public void registerLoaded() {
        if (Files.isRegularFile(file)) {
            loaded.loaded(LoadedFile.Kind.SUBSCRIPTIONS, file, null, LoadedFiles.sha256(file));
        }
    }

    @Override
    public void reload(List<Path> changed) {
        if (!Files.isRegularFile(file)) {
            loaded.refused(LoadedFile.Kind.SUBSCRIPTIONS, file, file + ":0: the file is gone (the subscriptions loaded before stay active)");
            return;
        }
        try {
            SubscriptionsLoader.load(file, catalog, settings);
        } catch (ConfigFileException e) {
            loaded.refused(LoadedFile.Kind.SUBSCRIPTIONS, file, e.getMessage());
            return;
        }
        loaded.waitsForRestart(LoadedFile.Kind.SUBSCRIPTIONS, file, LoadedFiles.sha256(file));
    }
}
