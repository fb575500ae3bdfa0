package cn.bazhong.credit.gateway.upstream;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * The provincial platform and how records are delivered to it.
 *
 * @param baseUrl        the exchange API, e.g. https://credit.sc.example/  (requests go to {base}/exchange/v1/batches)
 * @param token          static bearer token (from a secret); empty when OAuth2 is used
 * @param batchSize      records per batch at most
 * @param batchWait      how long a record may wait for its batch to fill
 * @param requestTimeout time allowed for one request
 * @param retryBudget    how long a batch is retried before it is dead-lettered
 * @param initialBackoff first wait after a failure; doubled each time up to maxBackoff, with jitter
 * @param sourceUnit     the sending unit named in every batch
 */
@ConfigurationProperties(prefix = "gateway.upstream")
public record UpstreamSettings(
        String baseUrl,
        String token,
        int batchSize,
        Duration batchWait,
        Duration requestTimeout,
        Duration retryBudget,
        Duration initialBackoff,
        Duration maxBackoff,
        SourceUnit sourceUnit) {

    public record SourceUnit(String name, String uscc) {
    }
}
