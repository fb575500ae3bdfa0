package cn.bazhong.credit.gateway.web;

import cn.bazhong.credit.gateway.feeds.MappingCatalog;
import cn.bazhong.credit.gateway.ingest.FeedIngestor;
import cn.bazhong.credit.gateway.ingest.ReceiptStore;
import cn.bazhong.credit.gateway.ingest.RecordTraces;
import cn.bazhong.credit.gateway.security.AccessSettings;
import cn.bazhong.credit.gateway.security.Authenticator;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

/** The beans the API routes call by name. */
@Configuration
@EnableConfigurationProperties(AccessSettings.class)
public class WebConfiguration {

    @Bean
    Authenticator authenticator(AccessSettings settings) {
        return new Authenticator(settings);
    }

    @Bean("feedPushHandler")
    FeedPushHandler feedPushHandler(Authenticator authenticator, MappingCatalog mappings, FeedIngestor ingestor,
                                    ReceiptStore receipts, RecordTraces traces,
                                    @Value("${gateway.rest.max-body-size:20MB}") DataSize maxBody) {
        return new FeedPushHandler(authenticator, mappings, ingestor, receipts, traces, maxBody.toBytes());
    }

    @Bean("problemResponses")
    ProblemResponses problemResponses() {
        return new ProblemResponses();
    }
}
