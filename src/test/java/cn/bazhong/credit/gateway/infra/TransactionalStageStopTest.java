package cn.bazhong.credit.gateway.infra;

import cn.bazhong.credit.gateway.support.TestBroker;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A transactional stage that holds records across polls (as the batch stage does) and is stopped with
 * records held: it stops cleanly, without writing them and without an error in the log, and the records
 * come to the stage that runs next, written once.
 */
class TransactionalStageStopTest {

    @RegisterExtension
    static final TestBroker KAFKA = new TestBroker("stage-stop");
    static KafkaClients clients;

    @BeforeAll
    static void topics() throws Exception {
        clients = KAFKA.clients();
        TopicProvisioner.ensure(clients, List.of(TopicProvisioner.topic("stop.in", 2, (short) 1, Map.of()),
                TopicProvisioner.topic("stop.out", 1, (short) 1, Map.of())));
    }

    /** Copies what it takes to stop.out; holds everything until {@code closing} says otherwise. */
    static final class Copier extends TransactionalStage {
        final AtomicInteger held = new AtomicInteger();
        final boolean closing;

        Copier(String clientId, boolean closing) {
            super("copier-" + clientId, clients, "stop.in", "stop-copiers", clientId, 100, Duration.ofMillis(200), Clock.systemUTC());
            this.closing = closing;
        }

        @Override
        protected void held(ConsumerRecord<String, byte[]> record) {
            held.incrementAndGet();
        }

        @Override
        protected void released() {
            held.set(0);
        }

        @Override
        protected boolean closes(int heldCount, boolean drained, Instant heldSince) {
            return closing;
        }

        @Override
        protected void handle(List<ConsumerRecord<String, byte[]>> records, KafkaProducer<String, byte[]> producer) {
            for (ConsumerRecord<String, byte[]> r : records) {
                producer.send(new ProducerRecord<>("stop.out", r.key(), r.value()));
            }
        }
    }

    @Test
    void a_stage_stopped_while_it_holds_records_stops_without_an_error_and_the_next_stage_writes_them_once() throws Exception {
        try (KafkaProducer<String, byte[]> producer = clients.producer("stop-test")) {
            for (int i = 0; i < 3; i++) {
                producer.send(new ProducerRecord<>("stop.in", "k" + i, ("v" + i).getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }
        ListAppender<ILoggingEvent> errors = new ListAppender<>();
        errors.start();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(errors);
        try {
            Copier holding = new Copier("holding", false);
            holding.start();
            await("the stage holds the three records").atMost(Duration.ofSeconds(60)).until(() -> holding.held.get() == 3);
            holding.stop();
            assertThat(holding.lastFailure()).isNull();
            assertThat(errors.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.ERROR))
                    .map(e -> e.getLoggerName() + ": " + e.getFormattedMessage()))
                    .as("errors logged while the stage stopped").isEmpty();
        } finally {
            root.detachAppender(errors);
        }

        Copier next = new Copier("next", true);
        next.start();
        try {
            List<String> out = new ArrayList<>();
            await("the next stage writes the held records").atMost(Duration.ofSeconds(60)).until(() -> {
                out.clear();
                clients.readToEnd("stop.out", "stop-reader", r -> out.add(r.key()));
                return out.size() >= 3;
            });
            assertThat(out).containsExactlyInAnyOrder("k0", "k1", "k2");
        } finally {
            next.stop();
        }
    }
}
