package cn.bazhong.credit.gateway.catalog;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.nio.file.Path;

/** Loads the catalog when the gateway starts; a broken catalog stops the start with file, line and key. */
@Configuration
public class CatalogConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(CatalogConfiguration.class);

    @Bean
    Catalog catalog(@Value("${gateway.catalog.file}") Path file) {
        Catalog catalog = CatalogLoader.load(file);
        LOG.info("catalog {} loaded: {} measures over {} list types", catalog.version(), catalog.measures().size(), catalog.listTypes().size());
        return catalog;
    }
}
