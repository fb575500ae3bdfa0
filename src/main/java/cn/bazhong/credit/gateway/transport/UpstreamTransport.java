package cn.bazhong.credit.gateway.transport;

import java.io.IOException;
import java.time.Duration;

/**
 * Carries one batch document to the province and brings back its answer. The REST adapter is the
 * default; SFTP-file and Kafka adapters carry the same document.
 */
public interface UpstreamTransport {

    Answer send(String batchId, byte[] document) throws IOException, InterruptedException;

    /** A description for logs and health, without secrets. */
    String describe();

    /**
     * The province's answer.
     *
     * @param retryAfter the Retry-After it asked for, or null
     */
    record Answer(int status, String body, Duration retryAfter) {
    }
}
