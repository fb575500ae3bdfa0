package cn.bazhong.credit.gateway.fanout;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings of the department fan-out ({@code gateway.fanout.*}).
 *
 * @param enabled           deliver at all (a node may run without fan-out)
 * @param subscriptionsFile the departments' channels, checked against the catalog at start-up
 * @param attemptTimeout    time-out of one delivery attempt (the contract allows at most 15 s)
 * @param deadLetterTopic   events a department did not take within its retries, replayable
 * @param redeliveryTopic   events put back for one department (dead-letter replays, replays from a point in time)
 * @param endpointsTopic    compacted: which departments' endpoints are disabled (410) and why
 * @param deliveriesTopic   the delivery log: one line per event and department
 * @param deliveryLogTtl    how long the delivery log can be queried per event
 * @param maxBatch          events per SFTP drop file or Kafka batch
 * @param tls               outbound HTTPS to the departments' webhooks
 * @param signSm2           SM2-sign every webhook delivery ({@code X-Signature-SM2}), whatever its subscription
 *                          says; a subscription's {@code webhook.signSm2: true} signs that one only
 * @param provisionDepartmentTopics create the departments' Kafka topics too (one machine; on a cluster they are
 *                          provisioned apart); GATEWAY_PROVISION_SOURCE_TOPICS
 */
@ConfigurationProperties(prefix = "gateway.fanout")
public record FanoutSettings(
        boolean enabled,
        Path subscriptionsFile,
        Duration attemptTimeout,
        String deadLetterTopic,
        String redeliveryTopic,
        String endpointsTopic,
        String deliveriesTopic,
        Duration deliveryLogTtl,
        int maxBatch,
        Tls tls,
        boolean signSm2,
        boolean provisionDepartmentTopics) {

    public FanoutSettings {
        if (attemptTimeout == null || attemptTimeout.isZero() || attemptTimeout.isNegative() || attemptTimeout.compareTo(Duration.ofSeconds(15)) > 0) {
            throw new IllegalArgumentException("gateway.fanout.attempt-timeout must be between 1 ms and 15 s (department-push.md)");
        }
        maxBatch = maxBatch <= 0 ? 500 : maxBatch;
        tls = tls == null ? new Tls(null) : tls;
    }

    /**
     * @param bundle the Spring Boot SSL bundle whose truststore holds the CA(s) the departments' webhook
     *               certificates must come from, and whose keystore, if any, the gateway's client certificate;
     *               empty: {@code gateway.tls.outbound-bundle}
     */
    public record Tls(String bundle) {
    }
}
