package cn.bazhong.credit.gateway.transport;

import java.io.IOException;

/**
 * The gateway itself cannot send yet: its Camel context, which carries every outbound HTTP call and Camel channel,
 * has not finished starting (the Kafka stages start first and may already hold work). The receiver was never asked,
 * so this is not its failure: the delivery waits and tries again, and no circuit breaker counts it
 * ({@code infra.DeliveryPolicy#breakerSettings}).
 */
public final class NotStartedYet extends IOException {

    public NotStartedYet() {
        super("the gateway's Camel context has not started yet");
    }
}
