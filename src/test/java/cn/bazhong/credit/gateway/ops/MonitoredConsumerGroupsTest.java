package cn.bazhong.credit.gateway.ops;

import cn.bazhong.credit.gateway.infra.GatewayTopics;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class MonitoredConsumerGroupsTest {

    private static final GatewayTopics TOPICS = new GatewayTopics("credit.records", "credit.upstream", "credit.upstream.batches",
            "credit.upstream.dlq", "credit.receipts", 6, (short) 1);

    @Test
    void the_three_internal_groups_and_every_enabled_department_kafka_feed_are_monitored() {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", Map.of(
                "gateway.feeds.swj.kafka.enabled", "true",
                "gateway.feeds.swj.kafka.topic", "dept.swj.credit",
                "gateway.feeds.swj.kafka.group-id", "gateway-swj",
                "gateway.feeds.fgw.kafka.enabled", "false",
                "gateway.feeds.fgw.kafka.topic", "dept.fgw.credit",
                "gateway.feeds.fgw.kafka.group-id", "gateway-fgw",
                "gateway.feeds.scjgj.sftp.enabled", "true")));

        assertThat(MonitoredConsumerGroups.of(TOPICS, false, environment)).containsExactly(
                new ConsumerGroupTopic("gateway-dedup", "credit.records"),
                new ConsumerGroupTopic("gateway-batcher", "credit.upstream"),
                new ConsumerGroupTopic("gateway-sender", "credit.upstream.batches"),
                new ConsumerGroupTopic("gateway-swj", "dept.swj.credit"));
    }
}
