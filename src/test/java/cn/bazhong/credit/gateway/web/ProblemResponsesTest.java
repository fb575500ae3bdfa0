package cn.bazhong.credit.gateway.web;

import com.hazelcast.splitbrainprotection.SplitBrainProtectionException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProblemResponsesTest {

    @Test
    void a_write_refused_on_the_minority_side_of_a_split_is_a_503_that_sends_the_caller_elsewhere_not_an_internal_error() {
        // as it reaches a controller: Hazelcast's refusal wrapped by the store that tried to write
        RuntimeException failure = new IllegalStateException("receipt could not be stored",
                new SplitBrainProtectionException("Split brain protection exception: minority-refuses-writes has failed!"));

        HttpProblem problem = ProblemResponses.problemOf(failure);

        assertThat(problem.status()).isEqualTo(503);
        assertThat(new String(ProblemResponses.body(problem, "/api/v1/feeds/swj/dead-letters/x/replay"), java.nio.charset.StandardCharsets.UTF_8))
                .contains("urn:credit-gateway:problem:minority-side").contains("send to another node");
        assertThat(problem.retryAfterSeconds()).isEqualTo(10);
    }

    @Test
    void any_other_fault_of_the_gateway_stays_an_internal_error() {
        assertThat(ProblemResponses.problemOf(new IllegalStateException("something broke")).status()).isEqualTo(500);
    }
}
