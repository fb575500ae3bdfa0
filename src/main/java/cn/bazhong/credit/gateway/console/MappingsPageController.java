package cn.bazhong.credit.gateway.console;

import cn.bazhong.credit.gateway.cli.MappingCheckCommand;
import cn.bazhong.credit.gateway.ingest.MappingCatalog;
import cn.bazhong.credit.gateway.mapping.MappingDefinition;
import cn.bazhong.credit.gateway.schema.RecordJson;
import cn.bazhong.credit.gateway.validation.IdNumbers;
import com.fasterxml.jackson.databind.JsonNode;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * 映射: the loaded mappings with their versions ({@link MappingCatalog}, as {@code GET /api/v1/mappings}), and
 * the {@code mapping check} dry-run on a sample an operator uploads: the same command as on the command line
 * ({@link MappingCheckCommand}, with {@code --mask-ids}), run on the file in a temporary folder; nothing is
 * deduplicated or sent. Shows how many records pass, the rejections by rule, the first rejections and the
 * first records.
 */
@Controller
public class MappingsPageController {

    static final int SHOWN = 20;

    private final MappingCatalog mappings;
    private final Clock clock;

    public MappingsPageController(MappingCatalog mappings, Clock clock) {
        this.mappings = mappings;
        this.clock = clock;
    }

    /** What the dry-run said, as the page shows it. */
    public record CheckResult(String mapping, String file, int exitCode, long accepted, long rejectedCount, Map<String, Long> byRule,
                              List<Map<String, String>> rejections, List<Map<String, String>> records, String unusable) {
    }

    @GetMapping("/console/mappings")
    public String list(Model model) {
        model.addAttribute("mappings", mappings.describe());
        return "console/mappings";
    }

    @PostMapping("/console/mappings/check")
    public String check(@RequestParam(name = "mapping", defaultValue = "") String id, @RequestParam(name = "sample") MultipartFile sample,
                        Model model) throws IOException {
        MappingDefinition mapping = mappings.get(id);
        if (mapping == null || sample.isEmpty()) {
            model.addAttribute("checkProblem", true);
            return list(model);
        }
        Path dir = Files.createTempDirectory("console-mapping-check-");
        try {
            String name = sample.getOriginalFilename() == null ? "sample" : Path.of(sample.getOriginalFilename()).getFileName().toString();
            Path input = dir.resolve(name.isBlank() || name.startsWith(".") ? "sample" : name);
            try (InputStream in = sample.getInputStream()) {
                Files.copy(in, input);
            }
            Path report = dir.resolve("report.json");
            ByteArrayOutputStream stdout = new ByteArrayOutputStream();
            ByteArrayOutputStream stderr = new ByteArrayOutputStream();
            int exit;
            try (PrintStream err = new PrintStream(stderr, true, StandardCharsets.UTF_8)) {
                exit = new MappingCheckCommand(clock).run(List.of("--mapping", mapping.file().toString(), "--input", input.toString(),
                        "--report", report.toString(), "--mask-ids"), stdout, err);
            }
            model.addAttribute("result", result(mapping, input.getFileName().toString(), exit, stdout, stderr, report));
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(dir);
        }
        model.addAttribute("chosen", id);
        return list(model);
    }

    private static CheckResult result(MappingDefinition mapping, String file, int exit, ByteArrayOutputStream stdout,
                                      ByteArrayOutputStream stderr, Path report) throws IOException {
        if (exit == MappingCheckCommand.UNUSABLE || !Files.exists(report)) {
            return new CheckResult(mapping.id(), file, exit, 0, 0, Map.of(), List.of(), List.of(),
                    IdNumbers.maskAll(stderr.toString(StandardCharsets.UTF_8).strip()));
        }
        JsonNode r = RecordJson.mapper().readTree(report.toFile());
        Map<String, Long> byRule = new TreeMap<>();
        List<Map<String, String>> rejections = new ArrayList<>();
        for (JsonNode x : r.path("rejected")) {
            byRule.merge(x.path("rule").asText(), 1L, Long::sum);
            if (rejections.size() < SHOWN) {
                Map<String, String> row = new LinkedHashMap<>();
                row.put("position", x.path("position").asText());
                row.put("field", x.path("field").asText());
                row.put("rule", x.path("rule").asText());
                row.put("message", IdNumbers.maskAll(x.path("message").asText()));
                rejections.add(row);
            }
        }
        List<Map<String, String>> records = new ArrayList<>();
        for (String line : stdout.toString(StandardCharsets.UTF_8).lines().limit(SHOWN).toList()) {
            JsonNode record = RecordJson.mapper().readTree(line);
            Map<String, String> row = new LinkedHashMap<>();
            row.put("recordId", IdNumbers.maskAll(record.path("recordId").asText()));
            row.put("subject", IdNumbers.maskAll(record.path("subject").path("name").asText()));
            JsonNode subject = record.path("subject");
            row.put("code", IdNumbers.maskAll(subject.hasNonNull("uscc") ? subject.path("uscc").asText() : subject.path("idNumber").asText()));
            row.put("operation", record.path("operation").asText());
            records.add(row);
        }
        long rejected = r.path("rejected").size();
        return new CheckResult(mapping.id(), file, exit, r.path("accepted").asLong(), rejected, byRule, rejections, records, null);
    }
}
