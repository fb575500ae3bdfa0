package cn.bazhong.credit.gateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/** Runs the dry-run command in-process and captures what it printed. */
public record MappingCheckRun(int exitCode, List<JsonNode> records, JsonNode report, String stderr) {

    public static final Clock TODAY = Clock.fixed(Instant.parse("2026-11-27T02:00:00Z"), ZoneId.of("Asia/Shanghai"));
    private static final ObjectMapper JSON = new ObjectMapper();

    public static MappingCheckRun of(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new MappingCheckCommand(TODAY).run(List.of(args), out, new PrintStream(err, true, StandardCharsets.UTF_8));
        String stderr = err.toString(StandardCharsets.UTF_8);
        List<JsonNode> records = new ArrayList<>();
        try {
            for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    records.add(JSON.readTree(line));
                }
            }
            JsonNode report = code == MappingCheckCommand.UNUSABLE ? null : JSON.readTree(stderr);
            return new MappingCheckRun(code, records, report, stderr);
        } catch (IOException e) {
            throw new UncheckedIOException("the command printed something that is not JSON: " + stderr, e);
        }
    }
}
