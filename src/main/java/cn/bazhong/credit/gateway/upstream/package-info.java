/**
 * Delivery to the provincial platform: deduplication (each record version forwarded exactly once),
 * batching (a batch keeps its id and content across crashes), and sending with retries, a circuit
 * breaker, dead letters and replay. Each stage is a Kafka consumer group, so the work spreads over
 * the gateway's nodes by partition.
 */
package cn.bazhong.credit.gateway.upstream;
