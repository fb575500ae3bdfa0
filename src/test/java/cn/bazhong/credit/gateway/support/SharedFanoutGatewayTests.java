package cn.bazhong.credit.gateway.support;

import org.junit.platform.suite.api.SelectClasses;
import org.junit.platform.suite.api.Suite;

/**
 * The classes that extend {@link SharedFanoutGateway}, run one after another in one test JVM so that they boot one
 * gateway between them (as {@link SharedGatewayTests} does for {@link SharedGateway}); pom.xml leaves them out of the
 * classes surefire runs by themselves, and {@code SharedGatewayMembershipTest} checks both.
 */
@Suite
@SelectClasses(names = { // by name: test classes are package-private
        "cn.bazhong.credit.gateway.infra.TopicRetentionDocsTest",
        "cn.bazhong.credit.gateway.fanout.CountySubscriptionDeliveryTest",
        "cn.bazhong.credit.gateway.ops.ExportedMetricsTest",
})
public class SharedFanoutGatewayTests {
}
