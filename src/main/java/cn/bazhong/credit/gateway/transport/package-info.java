/**
 * Carrying documents to other systems, shared by the delivery packages below which it sits: the adapter
 * contract of the province's transports ({@link cn.bazhong.credit.gateway.transport.UpstreamTransport} and
 * the answers the one-way adapters give), the SFTP file drop that the province's SFTP adapter and the
 * fan-out's SFTP channel both use, the HTTP POST of the webhooks and of the province's REST adapter, and
 * the bearer token the province expects (batches and list-update pulls). It uses only {@code tls} and {@code schema} of the gateway, and Camel's sftp (camel-ftp) and http
 * (camel-http) producers; no Kafka or Hazelcast.
 */
package cn.bazhong.credit.gateway.transport;
