/**
 * List state: the current red, black and attention list entries per subject, kept durably on a
 * compacted Kafka topic and served from a Hazelcast view with a near cache, so that the check API
 * answers from local memory.
 */
package cn.bazhong.credit.gateway.lists;
