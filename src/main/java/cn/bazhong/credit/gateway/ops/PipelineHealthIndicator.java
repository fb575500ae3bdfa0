package cn.bazhong.credit.gateway.ops;

import cn.bazhong.credit.gateway.infra.KafkaStage;
import cn.bazhong.credit.gateway.upstream.BatchStage;
import cn.bazhong.credit.gateway.upstream.DedupStage;
import cn.bazhong.credit.gateway.upstream.SenderStage;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The internal pipeline stages of this node (dedup, batch, sender): each must be running and not
 * failing. DOWN when a stage is failing (it keeps restarting with a back-off), OUT_OF_SERVICE when
 * a stage is stopped (before start-up completes or while the node shuts down), UP otherwise. The
 * details name each stage with its consumer group, whether it runs, and its last failure.
 */
public final class PipelineHealthIndicator implements HealthIndicator {

    private final List<KafkaStage> stages;

    public PipelineHealthIndicator(List<KafkaStage> stages) {
        this.stages = List.copyOf(stages);
    }

    @Override
    public Health health() {
        boolean failing = false;
        boolean stopped = false;
        Map<String, Object> details = new LinkedHashMap<>();
        for (KafkaStage stage : stages) {
            String failure = stage.lastFailure();
            boolean running = stage.running();
            Map<String, Object> d = new LinkedHashMap<>();
            String group = groupOf(stage);
            if (group != null) {
                d.put("group", group);
            }
            d.put("running", running);
            d.put("failing", failure != null);
            if (failure != null) {
                d.put("lastFailure", failure);
            }
            d.putAll(stage.details());
            details.put(stage.name(), d);
            failing |= failure != null;
            stopped |= !running;
        }
        Health.Builder health = failing ? Health.down() : stopped ? Health.outOfService() : Health.up();
        return health.withDetails(details).build();
    }

    private static String groupOf(KafkaStage stage) {
        if (stage instanceof DedupStage) {
            return DedupStage.GROUP;
        }
        if (stage instanceof BatchStage) {
            return BatchStage.GROUP;
        }
        if (stage instanceof SenderStage) {
            return SenderStage.GROUP;
        }
        return null;
    }
}
