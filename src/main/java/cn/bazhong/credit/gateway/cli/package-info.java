/**
 * Command-line tools for integrators and operators, run from the gateway's jar without starting the gateway
 * ({@link cn.bazhong.credit.gateway.cli.GatewayCommands}, on picocli): {@code mapping check}, {@code mapping draft},
 * {@code catalog check}, {@code keys …}, {@code access new-key}; each answers {@code --help}.
 */
package cn.bazhong.credit.gateway.cli;
