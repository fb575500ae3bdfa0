package cn.bazhong.credit.gateway.upstream;

import cn.bazhong.credit.gateway.transport.SftpSettings;
import cn.bazhong.credit.gateway.transport.SftpUpstreamTransport;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.apache.camel.impl.DefaultCamelContext;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link BatchDelivery} over the SFTP adapter while the province's server is down: each failed
 * attempt asks for a back-off, nothing is written, and once the server is back on the same port the
 * next attempt delivers the batch. The test holds every back-off until it lets the next attempt go,
 * so each step is observed, not timed.
 */
class SftpBatchDeliveryTest {

    @TempDir
    Path temp;

    @Test
    void a_batch_is_retried_while_the_sftp_server_is_down_and_delivered_once_it_is_back() throws Exception {
        RestartableSftpServer province = RestartableSftpServer.start(temp);
        province.stop();
        SftpSettings settings = new SftpSettings("127.0.0.1", province.port(), RestartableSftpServer.USER,
                RestartableSftpServer.PASSWORD, null, province.knownHosts().toString(), ".");
        CircuitBreaker breaker = CircuitBreaker.of("province", CircuitBreakerConfig.custom()
                .slidingWindowSize(10).minimumNumberOfCalls(4).failureRateThreshold(50)
                .waitDurationInOpenState(Duration.ofSeconds(10)).permittedNumberOfCallsInHalfOpenState(1).build());
        BatchDocument batch = UpstreamAdapterFixtures.batch("ADMIN_PENALTY", 4, "outage");
        byte[] document = UpstreamAdapterFixtures.document(batch);
        List<Duration> backoffs = new CopyOnWriteArrayList<>();
        Semaphore nextAttempt = new Semaphore(0);

        try (province; DefaultCamelContext camel = new DefaultCamelContext();
             SftpUpstreamTransport sftp = new SftpUpstreamTransport(() -> camel, settings, Duration.ofSeconds(5))) {
            camel.start();
            BatchDelivery delivery = new BatchDelivery(sftp, breaker, Duration.ofMillis(100), Duration.ofSeconds(1),
                    Duration.ofMinutes(5), Clock.systemUTC());
            CompletableFuture<BatchDelivery.Outcome> outcome = CompletableFuture.supplyAsync(() -> {
                try {
                    return delivery.deliver(batch.batchId(), document, wait -> {
                        backoffs.add(wait);
                        if (!nextAttempt.tryAcquire(60, TimeUnit.SECONDS)) {
                            throw new InterruptedException("the test never let the next attempt go");
                        }
                    });
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });

            await().atMost(Duration.ofSeconds(30)).until(() -> backoffs.size() == 1);
            nextAttempt.release();
            await().atMost(Duration.ofSeconds(30)).until(() -> backoffs.size() == 2);
            assertThat(outcome).isNotDone();
            assertThat(province.root().resolve(batch.batchId() + ".json")).doesNotExist();
            assertThat(backoffs).allSatisfy(d -> assertThat(d).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(1)));

            province.start();
            nextAttempt.release();

            BatchDelivery.Outcome result = outcome.get(30, TimeUnit.SECONDS);
            assertThat(result).isInstanceOf(BatchDelivery.Outcome.Delivered.class);
            var body = new ObjectMapper().readTree(((BatchDelivery.Outcome.Delivered) result).body());
            assertThat(body.path("batchId").asText()).isEqualTo(batch.batchId());
            assertThat(body.path("results")).isEmpty();
            assertThat(backoffs).hasSize(2);
            assertThat(Files.readAllBytes(province.root().resolve(batch.batchId() + ".json"))).isEqualTo(document);
            assertThat(province.root().resolve(batch.batchId() + ".json.ok")).exists();
            assertThat(breaker.getMetrics().getNumberOfFailedCalls()).isEqualTo(2);
            assertThat(breaker.getMetrics().getNumberOfSuccessfulCalls()).isEqualTo(1);
        }
    }
}
