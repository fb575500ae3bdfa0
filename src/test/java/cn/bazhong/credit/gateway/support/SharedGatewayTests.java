package cn.bazhong.credit.gateway.support;

import org.junit.platform.suite.api.SelectClasses;
import org.junit.platform.suite.api.Suite;

/**
 * The classes that extend {@link SharedGateway}, run one after another in one test JVM, so that Spring's context
 * cache keeps their one gateway from the first to the last. Run on their own, surefire's balanced order spread them
 * over the four test JVMs and the gateway booted six times for seven classes. pom.xml leaves them out of the
 * classes surefire runs by themselves; {@code SharedGatewayMembershipTest} checks that every such class is here and
 * left out there.
 */
@Suite
@SelectClasses(names = { // by name: test classes are package-private
        "cn.bazhong.credit.gateway.feeds.GatewayStartupTest",
        "cn.bazhong.credit.gateway.web.OpenApiDocumentTest",
        "cn.bazhong.credit.gateway.hostile.AccessTableTest",
        "cn.bazhong.credit.gateway.hostile.HostileRequestsTest",
        "cn.bazhong.credit.gateway.cluster.PollerLeasesOverHttpTest",
        "cn.bazhong.credit.gateway.console.ConsoleRulesOverHttpTest",
        "cn.bazhong.credit.gateway.audit.AccessLogTest",
        "cn.bazhong.credit.gateway.hostile.TaxListRelistingTest",
        "cn.bazhong.credit.gateway.console.ListViewFillingOverHttpTest",
})
public class SharedGatewayTests {
}
