package cn.bazhong.credit.gateway.upstream;

import cn.bazhong.credit.gateway.transport.SftpSettings;
import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;
import java.util.Map;

/**
 * The provincial platform and how records are delivered to it.
 *
 * @param baseUrl        the exchange API, e.g. https://credit.sc.example/  (requests go to {base}/exchange/v1/batches)
 * @param token          static bearer token (from a secret); empty when OAuth2 is used
 * @param batchSize      records per batch at most
 * @param batchWait      how long a record may wait for its batch to fill
 * @param requestTimeout time allowed for one request (with the SFTP adapter: connecting and each read)
 * @param retryBudget    how long a batch is retried before it is dead-lettered
 * @param initialBackoff first wait after a failure; doubled each time up to maxBackoff, with jitter
 * @param sourceUnit     the sending unit named in every batch
 * @param transport      how batch documents reach the province: {@code rest} (the default, {@code baseUrl} and
 *                       {@code token}), {@code sftp} (files in the province's folder, see {@code sftp}) or
 *                       {@code kafka} (a topic per dataset, see {@code kafka}) or {@code camel} (any Camel
 *                       endpoint, see {@code camel})
 * @param sftp           the province's SFTP server, used only with {@code transport: sftp}
 * @param kafka          the province's Kafka topics, used only with {@code transport: kafka}
 * @param oauth2         OAuth2 client credentials instead of the static token
 * @param tls            outbound HTTPS to the province (batches, token URL, list-update pulls)
 * @param signSm2        sign every batch body with the gateway's SM2 key ({@code gateway.crypto.sm2.private-key-file})
 *                       in {@code X-Signature-SM2}/{@code X-Signature-SM2-Key}; REST adapter only; the gateway
 *                       refuses to start when it is on without a key or with another adapter
 * @param circuit        when the circuit breaker in front of the province opens, and how long it stays open
 * @param camel          any Camel endpoint, used only with {@code transport: camel} ({@link CamelUpstreamTransport})
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
        SourceUnit sourceUnit,
        Transport transport,
        SftpSettings sftp,
        Kafka kafka,
        OAuth2 oauth2,
        Tls tls,
        boolean signSm2,
        Circuit circuit,
        Camel camel) {

    public UpstreamSettings {
        circuit = circuit == null ? Circuit.DEFAULTS : circuit;
        transport = transport == null ? Transport.REST : transport;
        sftp = sftp == null ? new SftpSettings(null, 0, null, null, null, null, null) : sftp;
        kafka = kafka == null ? new Kafka(null, null, null) : kafka;
        tls = tls == null ? new Tls(null) : tls;
        camel = camel == null ? new Camel(null, null) : camel;
    }

    /**
     * The Camel endpoint batches go to with {@code transport: camel}.
     *
     * @param uri        the endpoint, e.g. {@code jms:queue:province.batches} or {@code direct:province-out} (a route under routes/)
     * @param parameters the endpoint's options, each passed to Camel as it is written (no URL encoding needed)
     */
    public record Camel(String uri, Map<String, String> parameters) {
        public Camel {
            parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
        }
    }

    /**
     * @param bundle the Spring Boot SSL bundle whose truststore holds the CA(s) the province's certificate must
     *               come from, and whose keystore, if any, the gateway's client certificate for mutual TLS;
     *               empty: {@code gateway.tls.outbound-bundle}
     */
    public record Tls(String bundle) {
    }

    public record SourceUnit(String name, String uscc) {
    }

    /**
     * OAuth2 client credentials for the REST adapter, used instead of {@code token} when
     * {@code token-url} is set.
     *
     * @param tokenUrl     the province's token endpoint
     * @param clientId     the gateway's client id
     * @param clientSecret its secret (from a secret store)
     * @param scope        requested scope, or empty
     */
    public record OAuth2(String tokenUrl, String clientId, String clientSecret, String scope) {
        public boolean enabled() {
            return tokenUrl != null && !tokenUrl.isBlank();
        }
    }

    /** The upstream adapter; bound case-insensitively from {@code rest | sftp | kafka}. */
    public enum Transport {
        REST, SFTP, KAFKA, CAMEL
    }

    /**
     * Batch documents as records on a topic per dataset, key and {@code Idempotency-Key} header = batch id.
     *
     * @param bootstrapServers the province's Kafka cluster; when left out, the gateway's own cluster
     *                         ({@code gateway.kafka.*}) is used
     * @param topicPattern     topic name with {@code {dataset}} standing for the lower-cased dataset, e.g.
     *                         {@code province.exchange.{dataset}} → {@code province.exchange.admin_penalty}
     *                         (the default)
     * @param client           extra client properties for the province's cluster (security.protocol, sasl.*,
     *                         ssl.*, max.block.ms …); only together with {@code bootstrapServers}
     */
    public record Kafka(String bootstrapServers, String topicPattern, Map<String, String> client) {

        public static final String DEFAULT_TOPIC_PATTERN = "province.exchange.{dataset}";

        public Kafka {
            bootstrapServers = blankToNull(bootstrapServers);
            topicPattern = topicPattern == null || topicPattern.isBlank() ? DEFAULT_TOPIC_PATTERN : topicPattern.strip();
            client = client == null ? Map.of() : Map.copyOf(client);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    /**
     * The circuit breaker in front of the province: it opens when {@code failureRate} per cent of the last
     * {@code slidingWindow} deliveries failed (once at least {@code minimumCalls} were made), then lets one probe
     * through after {@code openWait}. While it is open batches wait in Kafka; nothing is dropped.
     */
    public record Circuit(Integer slidingWindow, Integer minimumCalls, Float failureRate, Duration openWait) {
        static final Circuit DEFAULTS = new Circuit(null, null, null, null);

        public Circuit {
            slidingWindow = slidingWindow == null ? 10 : slidingWindow;
            minimumCalls = minimumCalls == null ? 4 : minimumCalls;
            failureRate = failureRate == null ? 50f : failureRate;
            openWait = openWait == null ? Duration.ofSeconds(10) : openWait;
            if (slidingWindow < 1 || minimumCalls < 1 || failureRate <= 0 || failureRate > 100
                    || openWait.isNegative() || openWait.isZero()) {
                throw new IllegalArgumentException("gateway.upstream.circuit: sliding-window and minimum-calls must be at least 1, "
                        + "failure-rate in (0, 100], open-wait positive; got " + slidingWindow + ", " + minimumCalls + ", "
                        + failureRate + ", " + openWait);
            }
        }
    }
}
