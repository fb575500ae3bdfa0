package cn.bazhong.credit.gateway.web;

import cn.bazhong.credit.gateway.audit.AccessLog;
import cn.bazhong.credit.gateway.infra.GatewayTopics;
import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.infra.NodeSettings;
import cn.bazhong.credit.gateway.ingest.RestSettings;
import cn.bazhong.credit.gateway.lists.ListView;
import cn.bazhong.credit.gateway.lists.SubjectKeys;
import cn.bazhong.credit.gateway.security.AccessSettings;
import cn.bazhong.credit.gateway.security.Authenticator;
import cn.bazhong.credit.gateway.upstream.DeadLetters;
import com.hazelcast.core.HazelcastInstance;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.method.support.HandlerMethodReturnValueHandler;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The gateway's own HTTP API: Spring MVC controllers behind {@link ApiAccessFilter}, which runs before
 * every other filter so that nothing reads a request body before its caller is known.
 */
@Configuration
@EnableConfigurationProperties(AccessSettings.class)
public class WebConfiguration {

    @Bean
    Authenticator authenticator(AccessSettings settings) {
        return new Authenticator(settings);
    }

    @Bean
    FilterRegistrationBean<ApiAccessFilter> apiAccessFilter(Authenticator authenticator, MeterRegistry registry,
                                                            RestSettings rest) {
        FilterRegistrationBean<ApiAccessFilter> registration = new FilterRegistrationBean<>(
                new ApiAccessFilter(authenticator, registry, rest.maxBodySize().toBytes(), rest.maxSmallBodySize().toBytes()));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        registration.addUrlPatterns("/*");
        return registration;
    }

    @Bean(name = "deadLetters", destroyMethod = "close")
    DeadLetters deadLetters(KafkaClients clients, GatewayTopics topics, HazelcastInstance hazelcast, Clock clock) {
        return new DeadLetters(clients, topics, hazelcast, clock);
    }

    @Bean
    AccessLogInterceptor accessLogInterceptor(AccessLog accessLog, SubjectKeys keys, Clock clock, NodeSettings node) {
        return new AccessLogInterceptor(accessLog, keys, clock, node.nodeId());
    }

    /** Every call the gate let through passes {@link AccessLogInterceptor} once it is answered. */
    @Bean
    WebMvcConfigurer accessLogging(AccessLogInterceptor interceptor) {
        return new WebMvcConfigurer() {
            @Override
            public void addInterceptors(InterceptorRegistry registry) {
                registry.addInterceptor(interceptor).addPathPatterns("/api/**");
            }
        };
    }

    /** The API's answers written as the controllers made them, before Spring MVC's own handlers look at them ({@link ByteAnswers}). */
    @Bean
    static BeanPostProcessor byteAnswersFirst() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String name) {
                if (bean instanceof RequestMappingHandlerAdapter adapter
                        && adapter.getReturnValueHandlers() != null) {
                    List<HandlerMethodReturnValueHandler> handlers = new ArrayList<>();
                    handlers.add(new ByteAnswers());
                    handlers.addAll(adapter.getReturnValueHandlers());
                    adapter.setReturnValueHandlers(handlers);
                }
                return bean;
            }
        };
    }

    /** What springdoc's generated document of the API leaves out (served at GET /api/v1/openapi.json). */
    @Bean
    OpenApiDocument openApiDocument() {
        return new OpenApiDocument("1");
    }

    @Bean
    io.swagger.v3.oas.models.OpenAPI openApiBase(OpenApiDocument document) {
        return document.base();
    }

    @Bean
    SubjectMeasuresHandler subjectMeasuresHandler(ListView view, SubjectKeys keys, cn.bazhong.credit.gateway.catalog.ActiveCatalog catalog, Clock clock,
                                                  cn.bazhong.credit.gateway.lists.SubjectRecords records,
                                                  cn.bazhong.credit.gateway.measures.CheckLog checks,
                                                  cn.bazhong.credit.gateway.privacy.PersonalFields personal) {
        return new SubjectMeasuresHandler(view, keys, catalog, clock, records, checks, personal);
    }
}
