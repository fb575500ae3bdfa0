package cn.bazhong.credit.gateway.cluster;

import cn.bazhong.credit.gateway.infra.GatewayTopics;
import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.infra.NodeSettings;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * One active poller per feed across the nodes. The cluster service is added to the CamelContext as
 * a service (started after the context, stopped with it); the SFTP route template makes its route
 * policy from it by the bean name {@code kafkaLeaseClusterService} ({@link FeedPollerLeases}).
 */
@Configuration
@EnableConfigurationProperties(ClusterSettings.class)
public class ClusterConfiguration {

    @Bean
    KafkaLeaseClusterService kafkaLeaseClusterService(KafkaClients clients, ClusterSettings settings, GatewayTopics topics,
                                                      NodeSettings node) {
        KafkaLeaseClusterService.provision(clients, settings, topics.replicationFactor());
        return new KafkaLeaseClusterService(clients, settings, node.nodeId());
    }

    /**
     * Camel's own pick-up of {@code CamelClusterService} beans (a registry look-up by type while the
     * CamelContext bean is being created) does not see this one, whose configuration class is not
     * instantiated yet at that moment, so it is added here, before the context starts.
     */
    @Bean
    CamelContextConfiguration kafkaLeasesInCamel(KafkaLeaseClusterService leases) {
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext camel) {
                if (!camel.hasService(leases)) {
                    try {
                        camel.addService(leases);
                    } catch (Exception e) {
                        throw new IllegalStateException("cannot add the lease cluster service to Camel", e);
                    }
                }
            }

            @Override
            public void afterApplicationStart(CamelContext camel) {
                // nothing to do
            }
        };
    }

    @Bean
    PollerLeaderGauges pollerLeaderGauges(MeterRegistry registry, KafkaLeaseClusterService leases) {
        return new PollerLeaderGauges(registry, leases);
    }

    @Bean
    LeasesInfoContributor leasesInfoContributor(KafkaLeaseClusterService leases) {
        return new LeasesInfoContributor(leases);
    }
}
