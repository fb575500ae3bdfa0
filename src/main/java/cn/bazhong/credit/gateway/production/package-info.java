/**
 * What the {@code production} profile checks before anything starts: no development default of a
 * secret left in place ({@link cn.bazhong.credit.gateway.production.DevelopmentDefaults}), reported
 * in one start-up message ({@link cn.bazhong.credit.gateway.production.DevelopmentDefaultsFailureAnalyzer}).
 */
package cn.bazhong.credit.gateway.production;
