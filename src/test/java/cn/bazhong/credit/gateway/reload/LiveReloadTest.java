package cn.bazhong.credit.gateway.reload;

import cn.bazhong.credit.gateway.catalog.ActiveCatalog;
import cn.bazhong.credit.gateway.catalog.CatalogLoader;
import cn.bazhong.credit.gateway.fanout.DepartmentEvents;
import cn.bazhong.credit.gateway.fanout.Subscriptions;
import cn.bazhong.credit.gateway.fanout.SubscriptionsLoader;
import cn.bazhong.credit.gateway.privacy.PersonalFields;
import cn.bazhong.credit.gateway.support.FanoutFixtures;
import cn.bazhong.credit.gateway.ingest.MappingCatalog;
import cn.bazhong.credit.gateway.mapping.MappingDefinition;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The live reload on plain Java: real files in a temporary folder, the JDK's watch service, the loaders the
 * gateway starts with. A node here is a mapping catalog, what it loaded, and a watcher over its own folder.
 */
class LiveReloadTest {

    private static final String MAPPING = "xzspj-licences";

    private final List<ChangedFilesWatcher> watchers = new ArrayList<>();

    @AfterEach
    void stop() {
        watchers.forEach(ChangedFilesWatcher::stop);
    }

    /** One node: its own copy of a mapping file, its catalog, the reload of its folder. */
    private record Node(Path dir, MappingCatalog mappings, LoadedFiles loaded, MeterRegistry registry, ReloadSettings settings) {

        Path file() {
            return dir.resolve(MAPPING + ".yaml");
        }

        ReloadHealthIndicator health() {
            return new ReloadHealthIndicator(loaded, settings);
        }

        double refusedGauge() {
            return registry.get("gateway.reload.refused.files").gauge().value();
        }
    }

    private Node node(Path dir, boolean enabled) throws IOException {
        Files.createDirectories(dir);
        Files.copy(Path.of("mappings", MAPPING + ".yaml"), dir.resolve(MAPPING + ".yaml"));
        MappingCatalog mappings = new MappingCatalog(new cn.bazhong.credit.gateway.ingest.MappingSettings(dir));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        LoadedFiles loaded = new LoadedFiles(registry, Clock.systemUTC());
        ReloadSettings settings = new ReloadSettings(enabled, Duration.ofMillis(50));
        ChangedFilesWatcher watcher = new ChangedFilesWatcher(List.of(new MappingFilesReload(mappings, loaded, null)), settings);
        watcher.start();
        watchers.add(watcher);
        return new Node(dir, mappings, loaded, registry, settings);
    }

    private static void edit(Path file, String from, String to) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        assertThat(text).contains(from);
        Files.writeString(file, text.replace(from, to), StandardCharsets.UTF_8);
    }

    @Test
    void a_changed_mapping_applies_at_once_and_a_source_being_mapped_keeps_the_version_it_started_with(@TempDir Path dir) throws IOException {
        Node node = node(dir, true);
        MappingDefinition taken = node.mappings().get(MAPPING); // as FeedIngestor takes it for one source
        assertThat(node.loaded().get(node.file().toAbsolutePath().normalize()).version()).isEqualTo("1");

        edit(node.file(), "version: 1", "version: 2");

        await().atMost(Duration.ofSeconds(10)).until(() -> node.mappings().get(MAPPING).version() == 2
                && "2".equals(node.loaded().get(node.file().toAbsolutePath().normalize()).version()));
        assertThat(taken.version()).as("the definition a source started with").isEqualTo(1);
        LoadedFile f = node.loaded().get(node.file().toAbsolutePath().normalize());
        assertThat(f.version()).isEqualTo("2");
        assertThat(f.refused()).isNull();
        assertThat(node.health().health().getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void a_broken_mapping_is_refused_with_file_line_and_problem_while_the_previous_version_stays_active(@TempDir Path dir) throws IOException {
        Node node = node(dir, true);
        edit(node.file(), "kind: ADMIN_LICENSE", "kind: ADMIN_LICENCE");

        await().atMost(Duration.ofSeconds(10)).until(() -> node.refusedGauge() == 1.0);
        LoadedFile f = node.loaded().get(node.file().toAbsolutePath().normalize());
        assertThat(f.refused()).matches(".*xzspj-licences\\.yaml:\\d+: kind: 'ADMIN_LICENCE' is not one of .*");
        assertThat(f.version()).as("the version still active").isEqualTo("1");
        assertThat(node.mappings().get(MAPPING).kind().name()).isEqualTo("ADMIN_LICENSE");
        Health health = node.health().health();
        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(String.valueOf(health.getDetails().get("refused"))).contains(f.refused());

        edit(node.file(), "kind: ADMIN_LICENCE\n", "kind: ADMIN_LICENSE\n");
        edit(node.file(), "version: 1", "version: 3");

        await().atMost(Duration.ofSeconds(10)).until(() -> node.mappings().get(MAPPING).version() == 3);
        await().atMost(Duration.ofSeconds(10)).until(() -> node.refusedGauge() == 0.0);
        assertThat(node.health().health().getStatus()).isEqualTo(Status.UP);
        assertThat(node.registry().get("gateway.reload.checks").tag("kind", "mapping").tag("outcome", "refused").counter().count())
                .isGreaterThanOrEqualTo(1.0);
    }

    @Test
    void two_nodes_each_watching_their_own_copy_both_apply_the_change(@TempDir Path dir) throws IOException {
        Node one = node(dir.resolve("node-1"), true);
        Node two = node(dir.resolve("node-2"), true);

        // the deployer's sync writes the same file on every node
        edit(one.file(), "version: 1", "version: 2");
        edit(two.file(), "version: 1", "version: 2");

        await().atMost(Duration.ofSeconds(10)).until(() -> one.mappings().get(MAPPING).version() == 2
                && two.mappings().get(MAPPING).version() == 2);
    }

    @Test
    void with_reload_switched_off_a_changed_file_is_not_read_but_what_is_loaded_is_still_listed(@TempDir Path dir) throws IOException {
        Node node = node(dir, false);
        assertThat(node.loaded().all()).extracting(LoadedFile::version).containsExactly("1");

        edit(node.file(), "version: 1", "version: 2");
        edit(node.file(), "kind: ADMIN_LICENSE", "kind: BROKEN");

        await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(2)).until(() ->
                node.mappings().get(MAPPING).version() == 1 && node.refusedGauge() == 0.0);
        assertThat(node.health().health().getDetails()).containsEntry("enabled", false);
    }

    @Test
    void a_good_catalog_is_put_in_use_whole_at_once_and_one_that_is_broken_or_drops_a_subscribed_department_is_refused(@TempDir Path dir)
            throws IOException {
        Path file = dir.resolve("catalog.yaml").toAbsolutePath().normalize();
        Files.writeString(file, FanoutFixtures.catalog("v1", List.of("D01", "D02"), List.of("D01")));
        ActiveCatalog active = new ActiveCatalog(CatalogLoader.load(file));
        Subscriptions subscriptions = SubscriptionsLoader.load("subscriptions.yaml",
                new StringReader("subscriptions:\n  D02:\n    kafka: { topic: dept.d02.events }\n"), active.get(), name -> null);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        LoadedFiles loaded = new LoadedFiles(registry, Clock.systemUTC());
        CatalogFileReload reload = new CatalogFileReload(file, active, loaded, next -> SubscriptionsLoader.misfits(subscriptions, next));
        reload.registerLoaded();
        assertThat(loaded.get(file).version()).isEqualTo("v1");
        DepartmentEvents events = new DepartmentEvents(active, PersonalFields.CLEAR);
        DepartmentEvents pinned = events.pinned(); // as the dispatcher takes it for one list change

        edit(file, "version: \"v1\"", "version: [not, a, version]");
        reload.reload(List.of(file));
        assertThat(loaded.get(file).refused()).matches(".*catalog\\.yaml:\\d+: .*");
        assertThat(registry.get("gateway.reload.refused.files").gauge().value()).isEqualTo(1.0);
        assertThat(active.get().version()).as("the catalog in use").isEqualTo("v1");

        // good on its own, but D02 (subscribed) would no longer be a unit
        Files.writeString(file, FanoutFixtures.catalog("v2", List.of("D01"), List.of("D01")));
        reload.reload(List.of(file));
        assertThat(loaded.get(file).refused()).contains("catalog.yaml:0:").contains("D02");
        assertThat(active.get().version()).isEqualTo("v1");

        Files.writeString(file, FanoutFixtures.catalog("v3", List.of("D01", "D02"), List.of("D01", "D02"))
                .replace("从严审核", "从严审核行政许可"));
        reload.reload(List.of(file));
        LoadedFile f = loaded.get(file);
        assertThat(f.refused()).isNull();
        assertThat(f.version()).isEqualTo("v3");
        assertThat(f.sha256()).isEqualTo(LoadedFiles.sha256(file));
        assertThat(registry.get("gateway.reload.refused.files").gauge().value()).isEqualTo(0.0);
        assertThat(registry.get("gateway.reload.checks").tag("kind", "catalog").tag("outcome", "applied").counter().count()).isEqualTo(1.0);
        assertThat(active.get().version()).isEqualTo("v3");
        assertThat(events.catalog().measure("TAX-STRICT").content()).isEqualTo("从严审核行政许可");
        assertThat(events.catalog().listTypesWatchedBy("D02")).contains("COURT_DEFAULTER");
        assertThat(pinned.catalog().version()).as("what was taken before the change keeps its version").isEqualTo("v1");
        assertThat(pinned.catalog().measure("TAX-STRICT").content()).isEqualTo("从严审核");

        reload.reload(List.of(file)); // touched again, not changed: nothing more is counted
        assertThat(registry.get("gateway.reload.checks").tag("kind", "catalog").tag("outcome", "applied").counter().count()).isEqualTo(1.0);
    }
}
