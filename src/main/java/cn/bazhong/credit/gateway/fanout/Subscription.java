package cn.bazhong.credit.gateway.fanout;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One department's subscription: the single channel its events go to, whether it may receive full personal
 * ID numbers (otherwise masked), whether it is enabled, and the retry budget of its deliveries. Which list
 * changes it receives is not here: that follows from the catalog measures it implements.
 */
public record Subscription(String department, Channel channel, boolean fullIdNumbers, boolean enabled, RetryPolicy retry) {

    /** Exactly one of webhook, SFTP drop, Kafka topic or a Camel endpoint. */
    public sealed interface Channel permits WebhookChannel, SftpChannel, KafkaChannel, CamelChannel {
    }

    /**
     * Standard Webhooks delivery; more than one secret during rotation. With {@code signSm2} every delivery
     * also carries the gateway's SM2 signature of the body ({@code X-Signature-SM2}, docs/fanout.md).
     */
    public record WebhookChannel(URI url, List<String> secrets, boolean signSm2) implements Channel {

        public WebhookChannel(URI url, List<String> secrets) {
            this(url, secrets, false);
        }

        public WebhookSigner signer() {
            return new WebhookSigner(secrets);
        }

        @Override
        public String toString() {
            return "WebhookChannel[url=" + url + ", secrets=" + secrets.size() + " hidden" + (signSm2 ? ", SM2-signed" : "") + "]";
        }
    }

    /** NDJSON files dropped over SFTP; exactly one of password and privateKeyFile; the host key is always checked. */
    public record SftpChannel(String host, int port, String username, String password, Path privateKeyFile,
                              Path knownHostsFile, String directory) implements Channel {
        @Override
        public String toString() {
            return "SftpChannel[" + username + "@" + host + ":" + port + directory
                    + (password != null ? ", password hidden" : ", key " + privateKeyFile)
                    + ", knownHosts " + knownHostsFile + "]";
        }
    }

    /** One Kafka topic per department; key = subject code, value = event body. */
    public record KafkaChannel(String topic) implements Channel {
    }

    /**
     * Any Camel endpoint ({@code file:}, {@code jms:}, a {@code direct:} route of the integrator's in {@code routes/}, ...):
     * one event per exchange. {@code parameters} are the endpoint's options, values as written (placeholders resolved);
     * with {@code secrets} every message also carries the Standard Webhooks headers ({@link CamelEndpointSender}).
     */
    public record CamelChannel(String uri, Map<String, String> parameters, List<String> secrets) implements Channel {

        public CamelChannel {
            parameters = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(parameters));
            secrets = List.copyOf(secrets);
        }

        /** The Standard Webhooks signer, or null when the channel has no secrets. */
        public WebhookSigner signer() {
            return secrets.isEmpty() ? null : new WebhookSigner(secrets);
        }

        @Override
        public String toString() {
            // parameter values may hold passwords: only their names are shown
            return "CamelChannel[uri=" + org.apache.camel.util.URISupport.sanitizeUri(uri) + ", parameters=" + new java.util.TreeSet<>(parameters.keySet())
                    + (secrets.isEmpty() ? "" : ", secrets=" + secrets.size() + " hidden") + "]";
        }
    }

    /** Capped exponential back-off (jitter and Retry-After are the sender's business). */
    public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
        public static final RetryPolicy DEFAULT = new RetryPolicy(10, Duration.ofSeconds(5), Duration.ofMinutes(15));
    }
}
