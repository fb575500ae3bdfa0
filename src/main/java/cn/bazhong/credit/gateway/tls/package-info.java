/**
 * TLS on the gateway's listeners and calls (docs/security.md, "TLS"): HTTPS on the API from the Spring
 * Boot SSL bundle {@code gateway-server} ({@code server.ssl.*}), the optional plain connector that only
 * redirects to it ({@link cn.bazhong.credit.gateway.tls.TlsConfiguration}), and the trust and client
 * certificate of outbound HTTPS to the province and the departments' webhooks
 * ({@link cn.bazhong.credit.gateway.tls.OutboundTls}).
 */
package cn.bazhong.credit.gateway.tls;
