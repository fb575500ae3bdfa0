package cn.bazhong.credit.gateway.infra;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.nio.file.Path;
import java.util.Map;

/**
 * How the gateway reaches Kafka.
 *
 * @param bootstrapServers the cluster to use; with the embedded broker, its own address
 * @param embedded         the in-process single-node broker of the local defaults
 * @param client           extra client properties for every producer, consumer and admin client
 *                         (security.protocol, sasl.*, ssl.* … of a real cluster)
 */
@ConfigurationProperties(prefix = "gateway.kafka")
public record KafkaSettings(String bootstrapServers, Embedded embedded, Map<String, String> client) {

    /**
     * @param broker further settings of the embedded broker, by Kafka's own names (e.g. {@code log.cleaner.threads});
     *               the ones that place it ({@link EmbeddedKafkaBroker#GATEWAY_OWNED}) are refused at start
     */
    public record Embedded(boolean enabled, String host, int port, int controllerPort, Path logDir, Map<String, String> broker) {

        public Map<String, String> broker() {
            return broker == null ? Map.of() : broker;
        }
    }

    public Map<String, String> client() {
        return client == null ? Map.of() : client;
    }
}
