package cn.bazhong.credit.gateway.fanout;

import java.time.Instant;

/**
 * One event as one department receives it: the exact body (UTF-8 JSON, already masked as its
 * subscription requires) and what the senders need around it.
 *
 * @param subjectCode the subject's code as this department may see it (the Kafka key of a Kafka drop)
 */
public record OutboundEvent(String id, String type, String department, String subjectCode, Instant occurredAt, byte[] body) {
}
