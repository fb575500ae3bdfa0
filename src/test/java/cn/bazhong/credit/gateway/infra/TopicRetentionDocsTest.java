package cn.bazhong.credit.gateway.infra;

import cn.bazhong.credit.gateway.support.SharedFanoutGateway;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The table "Retention and disk" of docs/deployment.md says what the topics are created with; this
 * reads the topics a started gateway (with fan-out on) created and holds each row to it: "for ever" is
 * {@code retention.ms=-1}, "compacted" a compacting cleanup policy, "N d" that retention.
 */
class TopicRetentionDocsTest extends SharedFanoutGateway {

    private static final Pattern ROW = Pattern.compile("(?m)^\\| (`credit\\.[^|]+) \\| ([^|]+) \\|");
    private static final Pattern TOPIC = Pattern.compile("`(credit\\.[a-z.-]+)`");
    private static final long DAY = 24L * 3600 * 1000;

    @Value("${gateway.kafka.bootstrap-servers}")
    String bootstrap;

    @Test
    void every_gateway_topic_is_created_with_the_retention_deployment_md_documents() throws Exception {
        String doc = Files.readString(Path.of("docs/deployment.md"));
        String section = doc.substring(doc.indexOf("## Retention and disk"), doc.indexOf("## Rolling upgrade"));
        Map<String, String> documented = new LinkedHashMap<>();
        Matcher row = ROW.matcher(section);
        while (row.find()) {
            Matcher topic = TOPIC.matcher(row.group(1));
            while (topic.find()) {
                documented.put(topic.group(1), row.group(2).trim());
            }
        }
        assertThat(documented).containsKeys("credit.records", "credit.upstream", "credit.list-state", "credit.audit");

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Set<String> existing = admin.listTopics().names().get().stream().filter(t -> t.startsWith("credit."))
                    .collect(Collectors.toSet());
            assertThat(documented.keySet()).as("every credit.* topic the gateway created has a row").containsAll(existing);
            List<ConfigResource> resources = existing.stream().map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
            Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get();
            List<String> wrong = new ArrayList<>();
            configs.forEach((resource, config) -> {
                String name = resource.name();
                String kept = documented.get(name);
                String policy = config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
                long retention = Long.parseLong(config.get(TopicConfig.RETENTION_MS_CONFIG).value());
                if (kept.startsWith("for ever") && (retention != -1 || policy.contains("compact"))) {
                    wrong.add(name + ": documented for ever, is " + policy + " " + retention + " ms");
                }
                if (kept.startsWith("compacted") && !policy.contains("compact")) {
                    wrong.add(name + ": documented compacted, is " + policy);
                }
                Matcher days = Pattern.compile("(\\d+) d\\b").matcher(kept);
                if (!kept.startsWith("for ever") && !kept.startsWith("compacted") && days.find()
                        && retention != Long.parseLong(days.group(1)) * DAY) {
                    wrong.add(name + ": documented " + days.group(1) + " d, is " + retention + " ms");
                }
            });
            assertThat(wrong).isEmpty();
        }
    }
}
