/**
 * What the {@code production} profile checks before anything starts: every required {@code GATEWAY_*}
 * variable set ({@link cn.bazhong.credit.gateway.production.MissingVariables}), no development default of a
 * secret left in place ({@link cn.bazhong.credit.gateway.production.DevelopmentDefaults}), no plain HTTP
 * unless behind a TLS-terminating proxy ({@link cn.bazhong.credit.gateway.production.TlsRequirement}), no
 * personal fields in the clear ({@link cn.bazhong.credit.gateway.production.EncryptionRequirement}), all
 * reported in one start-up message ({@link cn.bazhong.credit.gateway.production.DevelopmentDefaultsFailureAnalyzer}).
 */
package cn.bazhong.credit.gateway.production;
