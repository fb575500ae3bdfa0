/**
 * What the {@code production} profile checks before anything starts: no development default of a
 * secret left in place ({@link cn.bazhong.credit.gateway.production.DevelopmentDefaults}), no plain HTTP
 * unless behind a TLS-terminating proxy ({@link cn.bazhong.credit.gateway.production.TlsRequirement}), reported
 * in one start-up message ({@link cn.bazhong.credit.gateway.production.DevelopmentDefaultsFailureAnalyzer}).
 */
package cn.bazhong.credit.gateway.production;
