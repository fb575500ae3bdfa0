package cn.bazhong.credit.gateway.infra;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Creates the topics the gateway needs when they do not exist yet; existing topics are left as they are.
 *
 * <p>A created topic is handed back only once every partition has a leader that takes writes. A broker
 * publishes a new topic's metadata before it has taken up the leadership of its partitions, and a write sent
 * in between is refused as "not the leader": an idempotent producer retries it, but when a later batch to the
 * same partition was taken meanwhile, the first one is out of sequence and fails after the delivery timeout,
 * with the partition's records out of order.
 */
public final class TopicProvisioner {

    private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);

    private TopicProvisioner() {
    }

    public static void ensure(KafkaClients clients, Collection<NewTopic> topics) {
        try (Admin admin = Admin.create(clients.base())) {
            List<NewTopic> missing = new ArrayList<>();
            var existing = admin.listTopics().names().get(60, TimeUnit.SECONDS);
            for (NewTopic t : topics) {
                if (!existing.contains(t.name())) {
                    missing.add(t);
                }
            }
            if (missing.isEmpty()) {
                return;
            }
            try {
                admin.createTopics(missing).all().get(60, TimeUnit.SECONDS);
                LOG.info("created topics {}", missing.stream().map(NewTopic::name).toList());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
            awaitLeaders(admin, missing.stream().map(NewTopic::name).toList());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create the gateway's Kafka topics at " + clients.bootstrapServers() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Waits until the leader of every partition of {@code topics} answers for it: asking each partition's
     * latest offset is a request only its leader serves, and the admin client repeats it, within its API
     * timeout, until the leader does. A broker that does not know the topics yet (another broker created
     * them a moment ago) is asked again, for up to a minute.
     */
    private static void awaitLeaders(Admin admin, List<String> topics) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
                admin.describeTopics(topics).allTopicNames().get(60, TimeUnit.SECONDS).forEach((name, description) ->
                        description.partitions().forEach(p -> partitions.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
                admin.listOffsets(partitions).all().get(60, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof RetriableException) || System.nanoTime() > deadline) {
                    throw e;
                }
                TimeUnit.MILLISECONDS.sleep(100);
            }
        }
    }

    public static NewTopic topic(String name, int partitions, short replicationFactor, Map<String, String> configs) {
        return new NewTopic(name, partitions, replicationFactor).configs(configs);
    }
}
