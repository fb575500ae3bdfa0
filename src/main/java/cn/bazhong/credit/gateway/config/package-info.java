/**
 * Checks of the configuration as a whole, run before any bean exists: every {@code gateway.*} key must be
 * one the gateway reads ({@link cn.bazhong.credit.gateway.config.ConfigurationKeysCheck}, against Spring
 * Boot's configuration metadata, {@link cn.bazhong.credit.gateway.config.KnownKeys}), reported in one
 * start-up message ({@link cn.bazhong.credit.gateway.config.UnknownConfigurationKeysFailureAnalyzer}).
 */
package cn.bazhong.credit.gateway.config;
