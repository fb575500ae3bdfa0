package cn.bazhong.credit.gateway.ops;

import cn.bazhong.credit.gateway.infra.GatewayTopics;
import cn.bazhong.credit.gateway.upstream.BatchStage;
import cn.bazhong.credit.gateway.upstream.DedupStage;
import cn.bazhong.credit.gateway.upstream.SenderStage;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The consumer groups whose lag is measured: the three internal stages on the gateway's topics, the
 * publication to the city credit website on the accepted records when it is on, and
 * the group of every enabled department Kafka feed on its topic
 * ({@code gateway.feeds.<dept>.kafka.enabled / topic / group-id}). The feeds are read through the
 * {@link Binder}, not a settings record: the departments and their parameters are the integrators' (their routes
 * read the same keys), and the configuration metadata accepts any key below {@code gateway.feeds}.
 */
public final class MonitoredConsumerGroups {

    private MonitoredConsumerGroups() {
    }

    /** @param publication whether the publication to the city credit website is on ({@code gateway.publication.enabled}) */
    public static List<ConsumerGroupTopic> of(GatewayTopics topics, boolean publication, Environment environment) {
        List<ConsumerGroupTopic> groups = new ArrayList<>();
        groups.add(new ConsumerGroupTopic(DedupStage.GROUP, topics.records()));
        groups.add(new ConsumerGroupTopic(BatchStage.GROUP, topics.upstream()));
        groups.add(new ConsumerGroupTopic(SenderStage.GROUP, topics.batches()));
        if (publication) {
            // the city credit website's backlog of accepted records (docs/publication.md)
            groups.add(new ConsumerGroupTopic("gateway-publication", topics.upstream()));
        }
        Map<String, Object> feeds = Binder.get(environment)
                .bind("gateway.feeds", Bindable.mapOf(String.class, Object.class))
                .orElse(Map.of());
        for (String dept : new TreeSet<>(feeds.keySet())) {
            String p = "gateway.feeds." + dept + ".kafka.";
            String topic = environment.getProperty(p + "topic");
            String group = environment.getProperty(p + "group-id");
            if (topic != null && group != null && environment.getProperty(p + "enabled", Boolean.class, false)) {
                groups.add(new ConsumerGroupTopic(group, topic));
            }
        }
        return List.copyOf(groups);
    }
}
