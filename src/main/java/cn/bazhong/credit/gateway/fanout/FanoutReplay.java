package cn.bazhong.credit.gateway.fanout;

import cn.bazhong.credit.gateway.infra.TopicSince;
import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.lists.ListChangeEvent;
import cn.bazhong.credit.gateway.schema.RecordJson;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Replays one department from a point in time: every list change since then that concerns the
 * department is put back for it alone (same event ids), partition by partition in order, a chunk at a
 * time so that memory stays bounded however far back the replay goes.
 */
public final class FanoutReplay {

    private static final int CHUNK = 1000;

    private final KafkaClients clients;
    private final String changesTopic;
    private final DepartmentEvents events;
    private final Redeliveries redeliveries;

    public FanoutReplay(KafkaClients clients, String changesTopic, DepartmentEvents events, Redeliveries redeliveries) {
        this.clients = clients;
        this.changesTopic = changesTopic;
        this.events = events;
        this.redeliveries = redeliveries;
    }

    /** Puts back every change since {@code from} that concerns the subscription's department; how many. */
    public int since(Subscription subscription, Instant from) {
        List<ListChangeEvent> chunk = new ArrayList<>();
        int[] count = {0};
        try {
            TopicSince.read(clients, "fanout-replay-" + subscription.department(), changesTopic, from, r -> {
                ListChangeEvent change = RecordJson.mapper().readValue(r.value(), ListChangeEvent.class);
                if (events.forDepartment(change, subscription).isPresent()) {
                    chunk.add(change);
                }
                if (chunk.size() >= CHUNK) {
                    redeliveries.putBack(subscription.department(), chunk);
                    count[0] += chunk.size();
                    chunk.clear();
                }
            });
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("a list change could not be read during the replay", e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("the replay of " + subscription.department() + " failed", e);
        }
        redeliveries.putBack(subscription.department(), chunk);
        return count[0] + chunk.size();
    }
}
