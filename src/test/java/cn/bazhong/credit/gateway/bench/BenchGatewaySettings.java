package cn.bazhong.credit.gateway.bench;

import cn.bazhong.credit.gateway.support.FreePorts;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The settings every benchmark's gateway starts with: one node against the benchmark's own broker, a
 * Hazelcast member of its own on a free port, batches to the upstream Kafka adapter, an ephemeral HTTP port,
 * WARN logging. A benchmark adds its own keys to the map it gets.
 */
final class BenchGatewaySettings {

    private BenchGatewaySettings() {
    }

    static Map<String, String> against(String bootstrapServers) {
        int hazelcast = FreePorts.next();
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("gateway.node-id", "bench");
        settings.put("gateway.kafka.embedded.enabled", "false");
        settings.put("gateway.kafka.bootstrap-servers", bootstrapServers);
        settings.put("gateway.hazelcast.port", String.valueOf(hazelcast));
        settings.put("gateway.hazelcast.members", "127.0.0.1:" + hazelcast);
        settings.put("gateway.hazelcast.cluster-name", "bench-" + hazelcast);
        settings.put("gateway.upstream.transport", "kafka");
        settings.put("server.port", "0");
        settings.put("camel.main.run-controller", "false");
        settings.put("logging.level.root", "WARN");
        return settings;
    }

    /** As command-line arguments, which override config/application.yaml (default properties would not). */
    static List<String> arguments(Map<String, String> settings) {
        return settings.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toList();
    }
}
