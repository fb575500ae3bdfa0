/**
 * Joint measures (联合奖惩): the initiation of the catalog's measures at each implementing unit when a
 * subject is listed (发起), the unit's response (响应) and execution feedback (执行反馈), with deadlines in
 * working days, and the cancellation when the listing ends. Durable on a compacted Kafka topic, served
 * from a Hazelcast view.
 */
package cn.bazhong.credit.gateway.measures;
