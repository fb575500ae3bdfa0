package cn.bazhong.credit.gateway.console;

import cn.bazhong.credit.gateway.audit.AccessLog;
import cn.bazhong.credit.gateway.infra.NodeSettings;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.MessageSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.support.ResourceBundleMessageSource;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.LocaleResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.i18n.CookieLocaleResolver;
import org.springframework.web.servlet.i18n.LocaleChangeInterceptor;

import java.time.Clock;
import java.util.List;
import java.util.Locale;

/**
 * The operator console at {@code /console/} (docs/console.md): its sessions, its gate, its texts in
 * Chinese (the default) and English ({@code ?lang=en}, kept in a cookie).
 */
@Configuration
@EnableConfigurationProperties(ConsoleSettings.class)
public class ConsoleConfiguration {

    @Bean
    ConsoleSessions consoleSessions(ConsoleSettings settings, Clock clock) {
        return new ConsoleSessions(settings.sessionTimeout(), clock);
    }

    /** Which node holds each feed's lease, read from the lease group on the ops admin client (the overview). */
    @Bean
    cn.bazhong.credit.gateway.cluster.LeaseHolders consoleLeaseHolders(
            @org.springframework.beans.factory.annotation.Qualifier("opsKafkaAdmin") org.apache.kafka.clients.admin.Admin admin,
            cn.bazhong.credit.gateway.cluster.ClusterSettings cluster, cn.bazhong.credit.gateway.ops.OpsSettings ops) {
        return new cn.bazhong.credit.gateway.cluster.LeaseHolders(admin, cluster, ops.kafkaTimeout());
    }

    @Bean
    RecordRefs consoleRecordRefs() {
        return new RecordRefs();
    }

    @Bean
    ConsoleAudit consoleAudit(AccessLog accessLog, NodeSettings node) {
        return new ConsoleAudit(accessLog, node.nodeId());
    }

    @Bean
    FilterRegistrationBean<ConsoleGuard> consoleGuard(ConsoleSessions sessions, ConsoleAudit audit) {
        FilterRegistrationBean<ConsoleGuard> registration = new FilterRegistrationBean<>(new ConsoleGuard(sessions, audit));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        registration.setUrlPatterns(List.of("/console", "/console/*"));
        return registration;
    }

    /** The console's texts: {@code console/messages_zh_CN.properties} and {@code console/messages_en.properties}. */
    @Bean
    MessageSource messageSource() {
        ResourceBundleMessageSource source = new ResourceBundleMessageSource();
        source.setBasename("console/messages");
        source.setDefaultEncoding("UTF-8");
        source.setFallbackToSystemLocale(false);
        source.setDefaultLocale(Locale.SIMPLIFIED_CHINESE);
        return source;
    }

    /** Chinese unless the operator chose English with {@code ?lang=en}; the choice is kept in a console cookie. */
    @Bean
    LocaleResolver localeResolver() {
        CookieLocaleResolver resolver = new CookieLocaleResolver("CONSOLE_LANG");
        resolver.setDefaultLocale(Locale.SIMPLIFIED_CHINESE);
        resolver.setCookiePath("/console");
        resolver.setCookieHttpOnly(true);
        resolver.setCookieSameSite("Strict");
        return resolver;
    }

    @Bean
    WebMvcConfigurer consoleLanguage() {
        return new WebMvcConfigurer() {
            @Override
            public void addInterceptors(InterceptorRegistry registry) {
                LocaleChangeInterceptor change = new LocaleChangeInterceptor();
                change.setParamName("lang");
                change.setIgnoreInvalidLocale(true);
                registry.addInterceptor(change).addPathPatterns("/console", "/console/**");
            }
        };
    }
}
