package cn.bazhong.credit.gateway.reload;

import cn.bazhong.credit.gateway.catalog.Catalog;
import cn.bazhong.credit.gateway.fanout.FanoutDispatchers;
import cn.bazhong.credit.gateway.fanout.Subscriptions;
import cn.bazhong.credit.gateway.fanout.SubscriptionsLoader;
import cn.bazhong.credit.gateway.yaml.ConfigFileException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The subscriptions file: a changed one is checked by {@link SubscriptionsLoader} against the catalog in use and the
 * gateway's Camel context, as at start-up, then put in use by {@link FanoutDispatchers#apply}: a new department's
 * dispatcher starts, a removed one's stops, a changed one's is replaced; the other departments are not touched. A file
 * that fails the check (or whose channels cannot run: a {@code direct:} channel without its route) is refused with its
 * {@code file:line: problem} and the subscriptions in use stay.
 */
public class SubscriptionsFileReload extends OneWatchedFile {

    private final Supplier<Catalog> catalog;
    private final UnaryOperator<String> settings;
    private final SubscriptionsLoader.EndpointCheck endpoints;
    private final FanoutDispatchers dispatchers;
    private final LoadedFiles loaded;
    private Runnable afterApplied = () -> {
    };

    public SubscriptionsFileReload(Path file, Supplier<Catalog> catalog, UnaryOperator<String> settings,
                                   SubscriptionsLoader.EndpointCheck endpoints, FanoutDispatchers dispatchers, LoadedFiles loaded) {
        super(file);
        this.catalog = catalog;
        this.settings = settings;
        this.endpoints = endpoints;
        this.dispatchers = dispatchers;
        this.loaded = loaded;
    }

    /** Run after new subscriptions were put in use (a catalog refused for not fitting the old ones is checked again). */
    void afterApplied(Runnable then) {
        this.afterApplied = then;
    }

    @Override
    public void registerLoaded() {
        if (Files.isRegularFile(file)) {
            loaded.loaded(LoadedFile.Kind.SUBSCRIPTIONS, file, null, LoadedFiles.sha256(file));
        }
    }

    @Override
    public synchronized void reload(List<Path> changed) {
        if (!Files.isRegularFile(file)) {
            loaded.refused(LoadedFile.Kind.SUBSCRIPTIONS, file, file + ":0: the file is gone (the subscriptions loaded before stay active)");
            return;
        }
        String sha = LoadedFiles.sha256(file);
        LoadedFile before = loaded.get(file);
        if (before != null && sha.equals(before.sha256())) {
            if (before.refused() != null) {
                loaded.loaded(LoadedFile.Kind.SUBSCRIPTIONS, file, null, sha); // put back as it runs
            }
            return; // touched, not changed
        }
        Subscriptions next;
        try {
            next = SubscriptionsLoader.load(file, catalog.get(), settings, endpoints);
        } catch (ConfigFileException e) {
            loaded.refused(LoadedFile.Kind.SUBSCRIPTIONS, file, e.getMessage());
            return;
        }
        FanoutDispatchers.Changes changes;
        try {
            changes = dispatchers.apply(next);
        } catch (RuntimeException e) {
            loaded.refused(LoadedFile.Kind.SUBSCRIPTIONS, file, file + ":0: " + e.getMessage());
            return;
        }
        loaded.applied(LoadedFile.Kind.SUBSCRIPTIONS, file, null, sha);
        if (!changes.none()) {
            org.slf4j.LoggerFactory.getLogger(SubscriptionsFileReload.class).info("reload: {} departments started {}, stopped {}, restarted {}",
                    file.getFileName(), changes.added(), changes.removed(), changes.changed());
        }
        afterApplied.run();
    }

    /** Checks the file again if its newest content is refused (the catalog it did not fit has changed). */
    void recheckIfRefused() {
        LoadedFile f = loaded.get(file);
        if (f != null && f.refused() != null) {
            reload(List.of(file));
        }
    }
}
