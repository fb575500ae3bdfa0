/**
 * Department fan-out: who receives list changes over which channel ({@code config/subscriptions.yaml}),
 * and the Standard Webhooks 1.0 signature on every webhook delivery.
 */
package cn.bazhong.credit.gateway.fanout;
