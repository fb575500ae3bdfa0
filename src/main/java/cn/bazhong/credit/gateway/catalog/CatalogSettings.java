package cn.bazhong.credit.gateway.catalog;

import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.nio.file.Path;

/**
 * Where the catalog is ({@code gateway.catalog.*}).
 *
 * @param file the joint incentive / punishment measures catalogue (联合激励惩戒目录清单), checked at start-up;
 *             GATEWAY_CATALOG
 */
@Validated
@ConfigurationProperties(prefix = "gateway.catalog")
public record CatalogSettings(@DefaultValue("config/catalog.yaml") @NotNull Path file) {
}
