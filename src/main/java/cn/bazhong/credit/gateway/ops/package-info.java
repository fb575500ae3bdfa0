/**
 * Operability: the Actuator health components {@code kafka}, {@code hazelcast}, {@code pipeline} and
 * {@code upstream}, the consumer-lag gauges refreshed in the background and the upstream circuit
 * gauge. Everything here only observes the gateway; nothing changes its behaviour. See
 * docs/operations.md for what each component and metric means and what to do about it.
 */
package cn.bazhong.credit.gateway.ops;
