package cn.bazhong.credit.gateway.reload;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Watches the folders of every {@link WatchedFiles} (java.nio's {@link WatchService}) and, once no change has
 * come for the debounce time, hands each kind its changed files, on one thread of its own, one batch at a
 * time. Registers what is loaded at start-up whether or not it watches, so the operators' list is complete
 * with reload off too. Started last, after the routes.
 */
public class ChangedFilesWatcher implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(ChangedFilesWatcher.class);

    private final List<WatchedFiles> kinds;
    private final ReloadSettings settings;
    private volatile boolean running;
    private WatchService service;
    private Thread thread;

    public ChangedFilesWatcher(List<WatchedFiles> kinds, ReloadSettings settings) {
        this.kinds = List.copyOf(kinds);
        this.settings = settings;
        for (WatchedFiles kind : this.kinds) {
            kind.registerLoaded();
        }
    }

    @Override
    public void start() {
        if (!settings.enabled()) {
            LOG.info("live reload is off (gateway.reload.enabled=false): changed files apply at the next restart");
            running = true;
            return;
        }
        Map<WatchKey, Path> folders = new HashMap<>();
        try {
            service = FileSystems.getDefault().newWatchService();
            Set<Path> all = new TreeSet<>();
            kinds.forEach(k -> all.addAll(k.folders()));
            for (Path folder : all) {
                if (Files.isDirectory(folder)) {
                    folders.put(folder.register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                            StandardWatchEventKinds.ENTRY_DELETE), folder);
                }
            }
            LOG.info("live reload watches {} (a changed file is checked {} after its last change)", all, settings.debounce());
        } catch (IOException e) {
            // e.g. the system's limit of inotify instances: the node runs on, as with reload off
            LOG.error("live reload cannot watch its folders, changed files apply at the next restart: {}", e.toString());
            if (service != null) {
                try {
                    service.close();
                } catch (IOException ignored) {
                    // nothing more to do
                }
                service = null;
            }
            running = true;
            return;
        }
        running = true;
        thread = new Thread(() -> watch(folders), "gateway-reload");
        thread.setDaemon(true);
        thread.start();
    }

    private void watch(Map<WatchKey, Path> folders) {
        Set<Path> pending = new LinkedHashSet<>();
        long debounce = Math.max(1, settings.debounce().toMillis());
        while (running) {
            WatchKey key;
            try {
                key = service.poll(pending.isEmpty() ? 1000 : debounce, TimeUnit.MILLISECONDS);
            } catch (InterruptedException | java.nio.file.ClosedWatchServiceException e) {
                return;
            }
            if (key == null) {
                if (!pending.isEmpty()) {
                    check(new ArrayList<>(pending));
                    pending.clear();
                }
                continue;
            }
            Path folder = folders.get(key);
            for (WatchEvent<?> event : key.pollEvents()) {
                if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                    pending.addAll(everyFileIn(folder)); // events were lost: look at everything there
                } else if (folder != null) {
                    Path file = folder.resolve((Path) event.context()).toAbsolutePath().normalize();
                    if (kinds.stream().anyMatch(k -> k.covers(file))) {
                        pending.add(file);
                    }
                }
            }
            key.reset();
        }
    }

    private List<Path> everyFileIn(Path folder) {
        if (folder == null) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.toAbsolutePath().normalize()).filter(p -> kinds.stream().anyMatch(k -> k.covers(p))).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Hands each kind the changed files that are its own, kind by kind in their order (the catalog before the subscriptions). */
    void check(List<Path> changed) {
        Map<WatchedFiles, List<Path>> byKind = new LinkedHashMap<>();
        for (WatchedFiles kind : kinds) {
            for (Path file : changed) {
                if (kind.covers(file)) {
                    byKind.computeIfAbsent(kind, k -> new ArrayList<>()).add(file);
                }
            }
        }
        byKind.forEach((kind, files) -> {
            try {
                kind.reload(files);
            } catch (RuntimeException e) {
                LOG.error("reload of {} failed; what was loaded before stays active", files, e);
            }
        });
    }

    @Override
    public void stop() {
        running = false;
        if (service != null) {
            try {
                service.close();
            } catch (IOException e) {
                LOG.debug("closing the watch service", e);
            }
        }
        if (thread != null) {
            try {
                thread.join(Duration.ofSeconds(5).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return Integer.MAX_VALUE; // after the web server and Camel's routes
    }
}
