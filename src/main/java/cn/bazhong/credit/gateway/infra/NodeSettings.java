package cn.bazhong.credit.gateway.infra;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * This node of the gateway ({@code gateway.node-id}), bound once for every bean that names its Kafka
 * clients, transactions or log entries after it.
 *
 * @param nodeId unique per node: names this node's Kafka clients and transactional ids (two nodes with the
 *               same id would fence each other's transactions); letters, digits, '.', '_' and '-'
 */
@Validated
@ConfigurationProperties(prefix = "gateway")
public record NodeSettings(
        @NotBlank @Size(max = 64) @Pattern(regexp = "[A-Za-z0-9._-]*", message = "may hold letters, digits, '.', '_' and '-' only")
        String nodeId) {
}
