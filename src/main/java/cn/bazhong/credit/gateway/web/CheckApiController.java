package cn.bazhong.credit.gateway.web;

import cn.bazhong.credit.gateway.schema.RecordJson;
import cn.bazhong.credit.gateway.security.Caller;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The check at the counter. A department gets the measures it applies; an operator names the
 * department ({@code ?department=}) or gets the subject's entries (and records) alone.
 * <ul>
 *   <li>{@code GET /api/v1/subjects/{code}/measures?matter=<item code>}: entries and measures;</li>
 *   <li>{@code GET /api/v1/subjects/{code}/credit?matter=}: entries, measures, and the penalties and
 *       licences of the last three years with source and date;</li>
 *   <li>{@code POST /api/v1/subjects/check?matter=}: up to {@value #MAX_CODES} codes as NDJSON
 *       ({@code {"code": "..."}} or a JSON string per line), answered as NDJSON, one credit answer per
 *       code in the input's order, streamed as they are computed.</li>
 * </ul>
 */
@RestController
public class CheckApiController {

    /** Codes a batch check takes. */
    public static final int MAX_CODES = 10_000;
    private static final ObjectWriter LINE = RecordJson.mapper().writer();

    private final SubjectMeasuresHandler handler;

    public CheckApiController(SubjectMeasuresHandler handler) {
        this.handler = handler;
    }

    @GetMapping("/api/v1/subjects/{code}/measures")
    public ResponseEntity<byte[]> check(@PathVariable("code") String code,
                                        @RequestParam(name = "matter", required = false) String matter,
                                        @RequestParam(name = "department", required = false) String department,
                                        @RequestAttribute(ApiAccessFilter.CALLER) Caller caller) {
        return Answers.ok(handler.check(asking(caller, department), code, matter, caller.isDepartment()));
    }

    @GetMapping("/api/v1/subjects/{code}/credit")
    public ResponseEntity<byte[]> credit(@PathVariable("code") String code,
                                         @RequestParam(name = "matter", required = false) String matter,
                                         @RequestParam(name = "department", required = false) String department,
                                         @RequestAttribute(ApiAccessFilter.CALLER) Caller caller) {
        return Answers.ok(handler.credit(asking(caller, department), code, matter, caller.isDepartment()));
    }

    /** The persons behind an organisation's black-list entries, by the organisation's code and a person's name (plan item 15). */
    @GetMapping("/api/v1/subjects/{code}/persons")
    public ResponseEntity<byte[]> persons(@PathVariable("code") String code,
                                          @RequestParam(name = "name", required = false) String name,
                                          @RequestParam(name = "matter", required = false) String matter,
                                          @RequestParam(name = "department", required = false) String department,
                                          @RequestAttribute(ApiAccessFilter.CALLER) Caller caller) {
        return Answers.ok(handler.persons(asking(caller, department), code, name, matter));
    }

    @PostMapping("/api/v1/subjects/check")
    public void checkMany(@RequestParam(name = "matter", required = false) String matter,
                          @RequestParam(name = "department", required = false) String department,
                          @RequestAttribute(ApiAccessFilter.CALLER) Caller caller,
                          HttpServletRequest request, HttpServletResponse response) throws IOException {
        List<String> codes = codes(request);
        request.setAttribute(AccessLogInterceptor.BATCH_CODES, codes); // each person asked about is an entry of the access log
        response.setStatus(200);
        response.setContentType("application/x-ndjson");
        response.setCharacterEncoding("UTF-8");
        OutputStream out = response.getOutputStream();
        int[] written = {0};
        handler.creditMany(asking(caller, department), codes, matter, caller.isDepartment(), line -> {
            try {
                out.write(LINE.writeValueAsBytes(line));
                out.write('\n');
                if (++written[0] % 256 == 0) {
                    out.flush(); // answers leave as they are computed, not all at the end
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        out.flush();
    }

    private static String asking(Caller caller, String department) {
        return caller.isDepartment() ? caller.departmentCode() : department == null ? null : department.toUpperCase(Locale.ROOT);
    }

    /**
     * The codes of a batch, read whole before anything is answered: a body that is not NDJSON of codes,
     * has none, or has more than {@value #MAX_CODES} gets a 400 problem naming the line, and nothing else.
     */
    static List<String> codes(HttpServletRequest request) throws IOException {
        List<String> codes = new ArrayList<>();
        BufferedReader reader = new BufferedReader(new InputStreamReader(request.getInputStream(), StandardCharsets.UTF_8));
        String line;
        int n = 0;
        while ((line = reader.readLine()) != null) {
            n++;
            if (line.isBlank()) {
                continue;
            }
            if (codes.size() == MAX_CODES) {
                throw new HttpProblem(400, "too-many-codes", "a batch check takes at most " + MAX_CODES
                        + " codes; line " + n + " is one more: split the list").with("limit", MAX_CODES).with("line", n);
            }
            JsonNode node;
            try {
                node = RecordJson.mapper().readTree(line);
            } catch (JsonProcessingException e) {
                throw new HttpProblem(400, "bad-body", "line " + n + " is not JSON: " + e.getOriginalMessage())
                        .with("line", n).with("rule", "syntax");
            }
            JsonNode code = node.isTextual() ? node : node.path("code");
            if (!code.isTextual()) {
                throw new HttpProblem(400, "bad-body", "line " + n + " is neither {\"code\": \"...\"} nor a JSON string")
                        .with("line", n).with("rule", "required").with("field", "code");
            }
            codes.add(code.asText());
        }
        if (codes.isEmpty()) {
            throw new HttpProblem(400, "bad-body", "the body holds no code: send one {\"code\": \"...\"} per line")
                    .with("rule", "required").with("field", "code");
        }
        return codes;
    }
}
