package cn.bazhong.credit.gateway.catalog;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Loads the catalog when the gateway starts (a broken catalog stops the start with file, line and key) into the
 * {@link ActiveCatalog} every reader asks, which the live reload replaces.
 */
@Configuration
@EnableConfigurationProperties(CatalogSettings.class)
public class CatalogConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(CatalogConfiguration.class);

    @Bean
    ActiveCatalog activeCatalog(CatalogSettings settings) {
        Catalog catalog = CatalogLoader.load(settings.file());
        LOG.info("catalog {} loaded: {} measures over {} list types", catalog.version(), catalog.measures().size(), catalog.listTypes().size());
        return new ActiveCatalog(catalog);
    }
}
