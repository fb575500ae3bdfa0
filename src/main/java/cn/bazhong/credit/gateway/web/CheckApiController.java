package cn.bazhong.credit.gateway.web;

import cn.bazhong.credit.gateway.schema.RecordJson;
import com.fasterxml.jackson.core.JsonProcessingException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;

/**
 * {@code GET /api/v1/subjects/{code}/measures?matter=<item code>} on the servlet container's own
 * thread. Camel's platform-http hands every request to a task executor and back; for this call, whose
 * answer must come in milliseconds at a thousand requests a second, that hop is most of the cost. The
 * answers and errors are the same as the routes' ({@code {"error": "..."}} with the status).
 */
@RestController
public class CheckApiController {

    private final SubjectMeasuresHandler handler;

    public CheckApiController(SubjectMeasuresHandler handler) {
        this.handler = handler;
    }

    @GetMapping(path = "/api/v1/subjects/{code}/measures", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<byte[]> check(@PathVariable("code") String code,
                                        @RequestParam(name = "matter", required = false) String matter,
                                        @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization)
            throws JsonProcessingException {
        try {
            return json(200, handler.check(authorization, code, matter));
        } catch (HttpProblem p) {
            return json(p.status(), Map.of("error", p.getMessage()));
        }
    }

    private static ResponseEntity<byte[]> json(int status, Object body) throws JsonProcessingException {
        return ResponseEntity.status(status).contentType(new MediaType("application", "json", java.nio.charset.StandardCharsets.UTF_8))
                .body(RecordJson.mapper().writeValueAsBytes(body));
    }
}
