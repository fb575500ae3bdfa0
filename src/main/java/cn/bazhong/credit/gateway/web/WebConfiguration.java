package cn.bazhong.credit.gateway.web;

import cn.bazhong.credit.gateway.feeds.MappingCatalog;
import cn.bazhong.credit.gateway.ingest.FeedPushes;
import cn.bazhong.credit.gateway.ingest.ReceiptStore;
import cn.bazhong.credit.gateway.ingest.RecordTraces;
import cn.bazhong.credit.gateway.security.AccessSettings;
import cn.bazhong.credit.gateway.security.Authenticator;
import cn.bazhong.credit.gateway.infra.GatewayTopics;
import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.upstream.DeadLetters;
import com.hazelcast.core.HazelcastInstance;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

import java.time.Clock;

/** The beans the API routes call by name. */
@Configuration
@EnableConfigurationProperties(AccessSettings.class)
public class WebConfiguration {

    @Bean
    Authenticator authenticator(AccessSettings settings) {
        return new Authenticator(settings);
    }

    @Bean("feedPushHandler")
    FeedPushHandler feedPushHandler(Authenticator authenticator, MappingCatalog mappings, FeedPushes pushes,
                                    ReceiptStore receipts, RecordTraces traces,
                                    @Value("${gateway.rest.max-body-size:20MB}") DataSize maxBody) {
        return new FeedPushHandler(authenticator, mappings, pushes, receipts, traces, maxBody.toBytes());
    }

    @Bean(name = "deadLetters", destroyMethod = "close")
    DeadLetters deadLetters(KafkaClients clients, GatewayTopics topics, HazelcastInstance hazelcast, Clock clock) {
        return new DeadLetters(clients, topics, hazelcast, clock);
    }

    @Bean("upstreamAdminHandler")
    UpstreamAdminHandler upstreamAdminHandler(Authenticator authenticator, DeadLetters deadLetters, FeedPushes pushes) {
        return new UpstreamAdminHandler(authenticator, deadLetters, pushes);
    }

    @Bean("subjectMeasuresHandler")
    SubjectMeasuresHandler subjectMeasuresHandler(Authenticator authenticator, cn.bazhong.credit.gateway.lists.ListView view,
                                                  cn.bazhong.credit.gateway.lists.SubjectKeys keys,
                                                  cn.bazhong.credit.gateway.catalog.Catalog catalog, Clock clock) {
        return new SubjectMeasuresHandler(authenticator, view, keys, catalog, clock);
    }

    @Bean("fanoutAdminHandler")
    FanoutAdminHandler fanoutAdminHandler(Authenticator authenticator,
                                          org.springframework.beans.factory.ObjectProvider<cn.bazhong.credit.gateway.fanout.FanoutOperations> fanout,
                                          cn.bazhong.credit.gateway.lists.ExpirySweep expirySweep, Clock clock) {
        return new FanoutAdminHandler(authenticator, fanout, expirySweep, clock.getZone());
    }

    @Bean("initiationsHandler")
    InitiationsHandler initiationsHandler(Authenticator authenticator, cn.bazhong.credit.gateway.measures.Initiations initiations) {
        return new InitiationsHandler(authenticator, initiations);
    }

    @Bean("listDecisionsHandler")
    ListDecisionsHandler listDecisionsHandler(Authenticator authenticator, cn.bazhong.credit.gateway.lists.ListDecisions decisions,
                                              cn.bazhong.credit.gateway.lists.SubjectKeys keys, Clock clock,
                                              cn.bazhong.credit.gateway.lists.Objections objections) {
        return new ListDecisionsHandler(authenticator, decisions, keys, clock, objections);
    }

    @Bean("supervisionHandler")
    SupervisionHandler supervisionHandler(Authenticator authenticator, cn.bazhong.credit.gateway.measures.SupervisionReport report, Clock clock) {
        return new SupervisionHandler(authenticator, report, clock);
    }

    @Bean("problemResponses")
    ProblemResponses problemResponses() {
        return new ProblemResponses();
    }
}
