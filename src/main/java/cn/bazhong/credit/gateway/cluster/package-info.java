/**
 * Leadership across gateway nodes: which node polls each SFTP feed. A Camel cluster service whose
 * leases are the partitions of a Kafka topic assigned by a consumer group (see docs/deployment.md).
 */
package cn.bazhong.credit.gateway.cluster;
