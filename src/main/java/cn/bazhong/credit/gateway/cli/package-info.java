/** Command-line tools for integrators, run from the gateway's jar without starting the gateway. */
package cn.bazhong.credit.gateway.cli;
