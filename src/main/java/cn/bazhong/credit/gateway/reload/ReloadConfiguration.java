package cn.bazhong.credit.gateway.reload;

import cn.bazhong.credit.gateway.catalog.ActiveCatalog;
import cn.bazhong.credit.gateway.fanout.CamelEndpoints;
import cn.bazhong.credit.gateway.fanout.FanoutDispatchers;
import cn.bazhong.credit.gateway.fanout.SubscriptionsLoader;
import cn.bazhong.credit.gateway.fanout.FanoutSettings;
import cn.bazhong.credit.gateway.ingest.IngestMetrics;
import cn.bazhong.credit.gateway.ingest.MappingCatalog;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** The live reload: what is loaded, the watcher (when {@code gateway.reload.enabled}), its health component. */
@Configuration
@EnableConfigurationProperties(ReloadSettings.class)
public class ReloadConfiguration {

    @Bean
    LoadedFiles loadedFiles(MeterRegistry registry, Clock clock) {
        return new LoadedFiles(registry, clock);
    }

    @Bean
    ChangedFilesWatcher changedFilesWatcher(ReloadSettings settings, LoadedFiles loaded, MappingCatalog mappings, IngestMetrics metrics,
                                            ActiveCatalog catalog, cn.bazhong.credit.gateway.catalog.CatalogSettings catalogSettings,
                                            ObjectProvider<FanoutSettings> fanout, ObjectProvider<FanoutDispatchers> dispatchers,
                                            ObjectProvider<CamelEndpoints> camelEndpoints, Environment environment,
                                            ObjectProvider<CamelContext> camel,
                                            @Value("${camel.main.routes-include-pattern:}") String routes) {
        List<WatchedFiles> kinds = new ArrayList<>();
        kinds.add(new MappingFilesReload(mappings, loaded, metrics));
        kinds.add(new RouteFilesReload(camel::getObject, routes, loaded));
        FanoutSettings fanoutSettings = fanout.getIfAvailable();
        FanoutDispatchers running = dispatchers.getIfAvailable();
        if (fanoutSettings == null || running == null) {
            kinds.add(new CatalogFileReload(catalogSettings.file(), catalog, loaded));
        } else {
            // the catalog before the subscriptions: a change of both at once checks the new subscriptions against the new catalog
            CatalogFileReload catalogFile = new CatalogFileReload(catalogSettings.file(), catalog, loaded,
                    next -> SubscriptionsLoader.misfits(running.subscriptions(), next));
            SubscriptionsFileReload subscriptionsFile = new SubscriptionsFileReload(fanoutSettings.subscriptionsFile(), catalog,
                    environment::getProperty, camelEndpoints.getObject(), running, loaded);
            catalogFile.afterApplied(subscriptionsFile::recheckIfRefused);
            subscriptionsFile.afterApplied(catalogFile::recheckIfRefused);
            kinds.add(catalogFile);
            kinds.add(subscriptionsFile);
        }
        return new ChangedFilesWatcher(kinds, settings);
    }

    @Bean
    ReloadHealthIndicator reloadHealthIndicator(LoadedFiles loaded, ReloadSettings settings) {
        return new ReloadHealthIndicator(loaded, settings);
    }
}
