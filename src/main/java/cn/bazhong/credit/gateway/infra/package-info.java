/**
 * The engines under the gateway: Kafka (the durable log) and Hazelcast (cluster coordination and
 * fast views). With the embedded defaults both run inside the gateway's JVM; with configuration the
 * same code uses an external Kafka cluster and a Hazelcast cluster.
 */
package cn.bazhong.credit.gateway.infra;
