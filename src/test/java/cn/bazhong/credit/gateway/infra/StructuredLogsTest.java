package cn.bazhong.credit.gateway.infra;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import cn.bazhong.credit.gateway.infra.logging.LogContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.springframework.core.env.Environment;
import org.springframework.core.env.StandardEnvironment;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Structured JSON logs ({@code logging.structured.format.console=ecs|logstash}) as logback-spring.xml sets
 * them up: one JSON document per line, the MDC ids of {@link LogContext} as fields, and personal ID numbers
 * masked everywhere in the line, as in the text logs. Checked here through logback alone; a gateway
 * started from the distribution archive with {@code ecs} is checked by {@code dist.DistributionArchiveIT}.
 */
class StructuredLogsTest {

    static final String ID_NUMBER = "511902195009250256";
    static final String MASKED_START = "511902";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A logback context of its own, sharing the MDC that {@link LogContext} writes to. */
    private static LoggerContext newContext() {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(org.slf4j.MDC.getMDCAdapter());
        return context;
    }

    /** Lines the gateway's logback configuration writes for what {@code logging} does, with a structured format. */
    private static List<JsonNode> logThroughTheGatewaysConfiguration(String format, java.util.function.Consumer<Logger> logging)
            throws Exception {
        LoggerContext context = newContext();
        context.putProperty("CONSOLE_LOG_STRUCTURED_FORMAT", format);
        context.putObject(Environment.class.getName(), new StandardEnvironment());
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(context);
            configurator.doConfigure(Path.of("src/main/resources/logback-spring.xml").toFile());
            logging.accept(context.getLogger("cn.bazhong.credit.gateway.test"));
        } finally {
            context.stop();
            System.setOut(out);
        }
        List<JsonNode> lines = new ArrayList<>();
        for (String line : captured.toString(StandardCharsets.UTF_8).split("\n")) {
            // System.out is the JVM's: a thread left over from another test class (a producer still retrying a
            // stopped broker) may write a plain line of the JVM's own logging meanwhile; only this context's count
            if (line.isBlank() || (!line.startsWith("{") && !line.contains("gateway.test"))) {
                continue;
            }
            assertThat(line).as("a structured log line").startsWith("{");
            lines.add(JSON.readTree(line));
        }
        return lines;
    }

    @ParameterizedTest
    @ValueSource(strings = {"ecs", "logstash"})
    void each_line_is_json_with_the_mdc_ids_as_fields_and_id_numbers_masked_in_message_exception_and_mdc(String format)
            throws Exception {
        List<JsonNode> lines = logThroughTheGatewaysConfiguration(format, log -> {
            try (LogContext ignored = LogContext.with(LogContext.DEPARTMENT, "SWJ").and(LogContext.RECEIPT, "REQ-1")
                    .and(LogContext.RECORD, "SWJ:" + ID_NUMBER)) {
                try (LogContext inner = LogContext.with(LogContext.BATCH, "B-7")) {
                    log.warn("record of {} refused\r\nFORGED line", ID_NUMBER, new IllegalStateException("bad holder " + ID_NUMBER));
                }
                log.info("after the batch");
            }
            log.info("outside");
        });
        assertThat(lines).hasSize(3);
        String first = lines.get(0).toString();
        assertThat(first).doesNotContain(ID_NUMBER).contains(MASKED_START).contains("refused").contains("bad holder")
                .contains("IllegalStateException");
        assertThat(lines.get(0).findValuesAsText("department")).contains("SWJ");
        assertThat(lines.get(0).findValuesAsText("receiptId")).contains("REQ-1");
        assertThat(lines.get(0).findValuesAsText("batchId")).contains("B-7");
        assertThat(lines.get(0).findValuesAsText("recordId")).singleElement().asString().startsWith("SWJ:" + MASKED_START)
                .doesNotContain(ID_NUMBER);
        // the forged line break stays inside the message, escaped by JSON
        assertThat(lines.get(0).findValuesAsText("message").get(0)).contains("\r\nFORGED line");

        assertThat(lines.get(1).findValuesAsText("batchId")).as("closed with its context").isEmpty();
        assertThat(lines.get(1).findValuesAsText("receiptId")).contains("REQ-1");
        assertThat(lines.get(2).findValuesAsText("department")).isEmpty();
    }

    @Test
    void without_a_structured_format_the_text_lines_stay_as_they_were_masked_and_on_one_line() throws Exception {
        LoggerContext context = newContext();
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(context);
            configurator.doConfigure(Path.of("src/main/resources/logback-spring.xml").toFile());
            context.getLogger("cn.bazhong.credit.gateway.test").warn("holder {}\nFORGED", ID_NUMBER);
        } finally {
            context.stop();
            System.setOut(out);
        }
        String text = captured.toString(StandardCharsets.UTF_8);
        // System.out is the JVM's: a thread left over from another test class (a producer still retrying a stopped
        // broker) may write lines of its own meanwhile; only this logger's line counts
        assertThat(text.lines().filter(l -> l.contains("gateway.test"))).singleElement().asString().doesNotStartWith("{")
                .contains("WARN").contains(MASKED_START).doesNotContain(ID_NUMBER).contains("\\nFORGED");
        assertThat(text.lines()).as("the forged line break made no line of its own").noneMatch(l -> l.startsWith("FORGED"));
        assertThat(text).doesNotContain(ID_NUMBER);
    }
}
