package cn.bazhong.credit.gateway.support;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/** Test JVMs that run at the same time hand out ports from slices of their own. */
class FreePortsTest {

    @Test
    void a_test_jvm_forked_by_maven_knows_its_fork_number_and_takes_ports_from_its_own_slice() {
        assumeThat(System.getProperty("surefire.real.class.path")).as("run by surefire or failsafe").isNotNull();

        assertThat(System.getProperty("fork.number")).as("fork.number").matches("[1-9][0-9]*");
        assertThat(FreePorts.fork()).isPositive();
        int port = FreePorts.next();
        assertThat(port).isBetween(FreePorts.BASE, FreePorts.BASE + 2_999);
    }
}
