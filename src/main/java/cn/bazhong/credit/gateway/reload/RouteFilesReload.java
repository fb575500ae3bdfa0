package cn.bazhong.credit.gateway.reload;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.RouteTemplateDefinition;
import org.apache.camel.spi.PropertiesSource;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The route files of {@code routes/} ({@code camel.main.routes-include-pattern}'s {@code file:} patterns).
 * Camel's own route reload is not used: in Camel 4.22 it removes every route before it loads the changed
 * files, so a file with a mistake leaves the node without routes. Here a change is checked first: the whole
 * set of route files is loaded into a throwaway Camel context that is never started (the YAML DSL's parser,
 * the route templates with their parameters and beans, the property placeholders of this gateway). Only a
 * set that loads is applied: the routes and templates of the files are removed from the running context
 * and the new set is loaded, so every feed route restarts once. Should that fail all the same, the set
 * loaded before is put back from memory. A refused set leaves the running routes untouched.
 */
public class RouteFilesReload implements WatchedFiles {

    private static final Logger LOG = LoggerFactory.getLogger(RouteFilesReload.class);

    /** A {@code file:} pattern of the routes: its folder and the glob of its file names. */
    record Pattern(Path folder, PathMatcher names) {
    }

    /** Taken when a change comes: asking for the context while the beans are made would come before Camel loads its routes. */
    private final java.util.function.Supplier<CamelContext> camelContext;
    private final LoadedFiles loaded;
    private final List<Pattern> patterns;
    /** The content of the set of files now running, and the ids of its routes and templates. */
    private Map<Path, byte[]> active = new LinkedHashMap<>();
    /** Null until the first change: the start-up set is checked apart only when a change comes. */
    private Loaded activeIds;

    record Loaded(Set<String> routeIds, Set<String> templateIds) {
    }

    public RouteFilesReload(java.util.function.Supplier<CamelContext> camel, String includePattern, LoadedFiles loaded) {
        this.camelContext = camel;
        this.loaded = loaded;
        this.patterns = patterns(includePattern);
    }

    static List<Pattern> patterns(String includePattern) {
        List<Pattern> out = new ArrayList<>();
        for (String p : includePattern.split(",")) {
            String s = p.trim();
            if (!s.startsWith("file:")) {
                continue; // classpath routes cannot change
            }
            Path path = Path.of(s.substring("file:".length())).toAbsolutePath().normalize();
            out.add(new Pattern(path.getParent(), FileSystems.getDefault().getPathMatcher("glob:" + path.getFileName())));
        }
        return out;
    }

    @Override
    public Set<Path> folders() {
        Set<Path> out = new LinkedHashSet<>();
        patterns.forEach(p -> out.add(p.folder()));
        return out;
    }

    @Override
    public boolean covers(Path file) {
        return patterns.stream().anyMatch(p -> p.folder().equals(file.getParent()) && p.names().matches(file.getFileName()));
    }

    /** The route files now in the folders, in name order. */
    private List<Path> files() {
        List<Path> out = new ArrayList<>();
        for (Pattern p : patterns) {
            if (!Files.isDirectory(p.folder())) {
                continue;
            }
            try (Stream<Path> s = Files.list(p.folder())) {
                s.map(f -> f.toAbsolutePath().normalize()).filter(this::covers).sorted().forEach(out::add);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + p.folder(), e);
            }
        }
        return out;
    }

    private static Map<Path, byte[]> read(List<Path> files) {
        Map<Path, byte[]> out = new LinkedHashMap<>();
        for (Path f : files) {
            try {
                out.put(f, Files.readAllBytes(f));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + f, e);
            }
        }
        return out;
    }

    private static List<Resource> resources(Map<Path, byte[]> content) {
        List<Resource> out = new ArrayList<>();
        content.forEach((f, bytes) -> out.add(ResourceHelper.fromBytes("file:" + f, bytes)));
        return out;
    }

    @Override
    public synchronized void registerLoaded() {
        active = read(files());
        active.forEach((f, bytes) -> loaded.loaded(LoadedFile.Kind.ROUTES, f, null, LoadedFiles.sha256(bytes)));
    }

    /**
     * Loads the set into a Camel context that is never started, with this gateway's properties and beans:
     * what would stop the running context from loading it fails here.
     */
    Loaded check(Map<Path, byte[]> content) throws Exception {
        CamelContext camel = camelContext.get();
        try (DefaultCamelContext trial = new DefaultCamelContext(false)) {
            // its own registry, looking beans up in the gateway's: what the trial binds (template beans) stays in it
            trial.getCamelContextExtension().setRegistry(new org.apache.camel.support.DefaultRegistry(camel.getRegistry()));
            trial.getPropertiesComponent().addPropertiesSource(new PropertiesSource() {
                @Override
                public String getName() {
                    return "gateway";
                }

                @Override
                public String getProperty(String name) {
                    return camel.getPropertiesComponent().resolveProperty(name).orElse(null);
                }
            });
            trial.build();
            PluginHelper.getRoutesLoader(trial).loadRoutes(resources(content));
            ModelCamelContext model = (ModelCamelContext) trial;
            Set<String> routes = new LinkedHashSet<>();
            for (RouteDefinition r : model.getRouteDefinitions()) {
                routes.add(r.getRouteId());
            }
            Set<String> templates = new LinkedHashSet<>();
            for (RouteTemplateDefinition t : model.getRouteTemplateDefinitions()) {
                templates.add(t.getId());
            }
            return new Loaded(routes, templates);
        }
    }

    @Override
    public synchronized void reload(List<Path> changed) {
        Map<Path, byte[]> next = read(files());
        if (same(next, active)) {
            changed.forEach(f -> {
                if (!active.containsKey(f)) {
                    loaded.forget(f); // a refused new file, removed again
                    return;
                }
                LoadedFile lf = loaded.get(f);
                if (lf != null && lf.refused() != null && active.containsKey(f)) {
                    loaded.loaded(LoadedFile.Kind.ROUTES, f, null, lf.sha256()); // back to what runs
                }
            });
            return;
        }
        if (activeIds == null) {
            try {
                activeIds = check(active);
            } catch (Exception e) {
                LOG.warn("the route files loaded at start-up cannot be checked apart: a reload removes only the routes of the new set", e);
                activeIds = new Loaded(Set.of(), Set.of());
            }
        }
        Loaded ids;
        try {
            ids = check(next);
        } catch (Exception e) {
            String problem = problem(e, changed);
            changed.forEach(f -> loaded.refused(LoadedFile.Kind.ROUTES, f, problem));
            return;
        }
        try {
            apply(next, ids);
        } catch (Exception e) {
            LOG.error("the checked route files failed to load into the running context; putting back the routes loaded before", e);
            try {
                apply(active, activeIds);
            } catch (Exception again) {
                LOG.error("the routes loaded before could not be put back either: restart this node", again);
            }
            String problem = problem(e, changed);
            changed.forEach(f -> loaded.refused(LoadedFile.Kind.ROUTES, f, problem));
            return;
        }
        Map<Path, byte[]> before = active;
        active = next;
        activeIds = ids;
        before.keySet().stream().filter(f -> !next.containsKey(f)).forEach(loaded::forget);
        next.forEach((f, bytes) -> {
            if (!before.containsKey(f) || !java.util.Arrays.equals(before.get(f), bytes) || changed.contains(f)) {
                loaded.applied(LoadedFile.Kind.ROUTES, f, null, LoadedFiles.sha256(bytes));
            }
        });
        LOG.info("reload: routes {} running", ids.routeIds());
    }

    /** Removes the routes and templates of the files, and loads the given set. */
    private void apply(Map<Path, byte[]> content, Loaded ids) throws Exception {
        CamelContext camel = camelContext.get();
        Set<String> routes = new LinkedHashSet<>(activeIds.routeIds());
        routes.addAll(ids.routeIds());
        for (String id : routes) {
            Route route = camel.getRoute(id);
            if (route != null) {
                camel.getRouteController().stopRoute(id);
                camel.removeRoute(id);
            }
        }
        Set<String> templates = new LinkedHashSet<>(activeIds.templateIds());
        templates.addAll(ids.templateIds());
        for (String id : templates) {
            camel.removeRouteTemplates(id);
        }
        PluginHelper.getRoutesLoader(camel).loadRoutes(resources(content));
    }

    private static boolean same(Map<Path, byte[]> a, Map<Path, byte[]> b) {
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        return a.entrySet().stream().allMatch(e -> java.util.Arrays.equals(e.getValue(), b.get(e.getKey())));
    }

    /** {@code file:line: problem}: the line Camel's innermost message names, and that message. */
    static String problem(Exception e, List<Path> changed) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = String.valueOf(root.getMessage() == null ? root : root.getMessage()).replaceAll("\\s+", " ").strip();
        java.util.regex.Matcher line = java.util.regex.Pattern.compile("line (\\d+)").matcher(text);
        java.util.regex.Matcher file = java.util.regex.Pattern.compile("file:(\\S+?\\.yaml)").matcher(text);
        String where = file.find() ? file.group(1) : changed.size() == 1 ? changed.get(0).toString() : "routes";
        return where + ":" + (line.find() ? line.group(1) : "0") + ": " + text;
    }
}
