package cn.bazhong.credit.gateway.upstream;

import cn.bazhong.credit.gateway.infra.DeliveryPolicy;
import cn.bazhong.credit.gateway.transport.UpstreamToken;
import cn.bazhong.credit.simulators.province.ProvincialSimulator;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node restarted with a backlog: its sender stage holds batches before the Camel context that carries the HTTP
 * call has started. Those attempts never reached the province, so they must not count against it: the province's
 * circuit stays closed and the batch goes out at the first attempt after the start, instead of waiting out an open
 * circuit that the gateway opened on itself.
 */
class DeliveryBeforeTheStartTest {

    @Test
    void attempts_made_before_the_camel_context_started_do_not_open_the_provinces_circuit() throws Exception {
        CircuitBreaker breaker = CircuitBreaker.of("province", DeliveryPolicy.breakerSettings()
                .slidingWindowSize(10).minimumNumberOfCalls(4).failureRateThreshold(50)
                .waitDurationInOpenState(Duration.ofMinutes(10)).permittedNumberOfCallsInHalfOpenState(1).build());
        BatchDocument batch = UpstreamAdapterFixtures.batch("ADMIN_PENALTY", 3, "before-the-start");
        List<Duration> waits = new CopyOnWriteArrayList<>();

        try (ProvincialSimulator province = ProvincialSimulator.start(ProvincialSimulator.Settings.defaults());
             DefaultCamelContext camel = new DefaultCamelContext()) {
            RestUpstreamTransport rest = new RestUpstreamTransport(() -> camel, province.baseUri().toString(),
                    UpstreamToken.fixed(province.settings().token()), Duration.ofSeconds(10));
            BatchDelivery delivery = new BatchDelivery(rest, breaker, Duration.ofMillis(1), Duration.ofMillis(2),
                    Duration.ofSeconds(20), Clock.systemUTC());

            // six attempts while the context is still starting (more than the breaker needs to open), then it starts
            BatchDelivery.Outcome outcome = delivery.deliver(batch.batchId(), UpstreamAdapterFixtures.document(batch), wait -> {
                waits.add(wait);
                if (waits.size() == 6) {
                    camel.start();
                }
            });

            assertThat(outcome).isInstanceOf(BatchDelivery.Outcome.Delivered.class);
            assertThat(waits).as("delivered at the first attempt after the start").hasSize(6);
            assertThat(province.receivedRequests()).as("the province was asked once").hasSize(1);
            assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
            assertThat(breaker.getMetrics().getNumberOfFailedCalls()).as("attempts counted against the province").isZero();
            assertThat(breaker.getMetrics().getNumberOfSuccessfulCalls()).isEqualTo(1);
        }
    }
}
