package cn.bazhong.credit.gateway.fanout;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * Carries events to one department's channel. A webhook takes one event per call; an SFTP drop or a
 * Kafka topic takes a delivery batch. Transport failures are thrown as {@link IOException} and retried
 * by {@link FanoutDelivery}; an answer is returned as an {@link Attempt}.
 */
public interface ChannelSender extends AutoCloseable {

    /** True when the channel takes several events per call (SFTP drop, Kafka). */
    boolean batches();

    Attempt send(List<OutboundEvent> events) throws IOException, InterruptedException;

    /** Where it sends to, without secrets. */
    String describe();

    @Override
    default void close() {
    }

    /**
     * What the receiver answered.
     *
     * @param retryAfter the wait it asked for (Retry-After), or null
     */
    record Attempt(int status, Duration retryAfter) {
        public static final Attempt DELIVERED = new Attempt(200, null);

        public boolean delivered() {
            return status >= 200 && status < 300;
        }
    }

    /**
     * The one event of a call to a sender that does not batch ({@link #batches()} false).
     *
     * @param channel what the sender is, for the message when the dispatcher hands it more than one
     */
    static OutboundEvent single(java.util.List<OutboundEvent> events, String channel) {
        if (events.size() != 1) {
            throw new IllegalArgumentException(channel + " takes one event per call, not " + events.size());
        }
        return events.get(0);
    }
}
