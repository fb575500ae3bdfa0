package cn.bazhong.credit.gateway.publication;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.net.URI;
import java.time.Duration;
import java.time.Period;
import java.util.List;

/**
 * Settings of the publication channel to the city credit website ({@code gateway.publication.*}).
 *
 * @param enabled         publish at all (off by default; on in the local demo)
 * @param url             where the website takes messages (one POST per message)
 * @param secrets         the Standard Webhooks secrets the messages are signed with ({@code whsec_…}; two during a rotation, new first)
 * @param attemptTimeout  time-out of one delivery attempt
 * @param retry           attempts and back-off before a message is dead-lettered
 * @param outboxTopic     messages ready to publish: withdrawals at the end of a 公示期, dead letters put back, replays
 * @param deadLetterTopic compacted: messages the website did not take within the retries, replayable
 * @param endsTopic       compacted: the published penalties' 公示期 ends, the record behind the sweep's view
 * @param sweepInterval   how often each node looks for 公示期 that have ended
 * @param localRules      the reductions and periods that are 巴中's rules rather than national ones
 * @param tlsBundle       the SSL bundle the website's HTTPS certificate is checked against; empty: {@code gateway.tls.outbound-bundle}
 */
@ConfigurationProperties(prefix = "gateway.publication")
public record PublicationSettings(boolean enabled, URI url, List<String> secrets, Duration attemptTimeout, Retry retry,
                                  String outboxTopic, String deadLetterTopic, String endsTopic, Duration sweepInterval,
                                  LocalRules localRules, String tlsBundle) {

    public PublicationSettings {
        url = url == null || url.toString().isBlank() ? null : url;
        secrets = secrets == null ? List.of() : secrets.stream().filter(s -> s != null && !s.isBlank()).toList();
        attemptTimeout = attemptTimeout == null ? Duration.ofSeconds(10) : attemptTimeout;
        retry = retry == null ? new Retry(10, Duration.ofSeconds(5), Duration.ofMinutes(15)) : retry;
        outboxTopic = outboxTopic == null ? "credit.publication.outbox" : outboxTopic;
        deadLetterTopic = deadLetterTopic == null ? "credit.publication.dlq" : deadLetterTopic;
        endsTopic = endsTopic == null ? "credit.publication.ends" : endsTopic;
        sweepInterval = sweepInterval == null ? Duration.ofHours(1) : sweepInterval;
        localRules = localRules == null ? new LocalRules(6, 4, Period.ofYears(3)) : localRules;
    }

    /** @param maxAttempts attempts before a message is dead-lettered */
    public record Retry(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
    }

    /**
     * 巴中's rules (to confirm with the city's credit office), kept apart from the national ones that are
     * not configurable (a natural person's ID number is never published in full; a legal representative's
     * ID number is never published).
     *
     * @param personIdShownFirst       characters of a natural person's ID number shown at the start
     * @param personIdShownLast        characters shown at the end (the rest are {@code *})
     * @param penaltyPublicationPeriod a penalty without 公示截止期 and without 处罚有效期 is published this long from its decision
     */
    public record LocalRules(int personIdShownFirst, int personIdShownLast, Period penaltyPublicationPeriod) {
        public LocalRules {
            if (personIdShownFirst < 0 || personIdShownLast < 0 || personIdShownFirst + personIdShownLast > 10) {
                throw new IllegalArgumentException("gateway.publication.local-rules: at most 10 characters of an ID number may be shown");
            }
            penaltyPublicationPeriod = penaltyPublicationPeriod == null ? Period.ofYears(3) : penaltyPublicationPeriod;
        }
    }
}
