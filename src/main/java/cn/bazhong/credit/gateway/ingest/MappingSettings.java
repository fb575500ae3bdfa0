package cn.bazhong.credit.gateway.ingest;

import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.nio.file.Path;

/**
 * Where the mappings are ({@code gateway.mappings.*}).
 *
 * @param dir folder holding one {@code <dept>-<feed>.yaml} mapping per department feed; every file is checked at
 *            start-up and the gateway refuses to start while one of them is broken; GATEWAY_MAPPINGS_DIR
 */
@Validated
@ConfigurationProperties(prefix = "gateway.mappings")
public record MappingSettings(@DefaultValue("mappings") @NotNull Path dir) {
}
