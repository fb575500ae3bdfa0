package cn.bazhong.credit.gateway.web;

import cn.bazhong.credit.gateway.schema.RecordJson;
import com.fasterxml.jackson.core.JsonProcessingException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

import java.nio.charset.StandardCharsets;

/** JSON answers of the API, written with the gateway's one JSON mapper ({@link RecordJson}). */
final class Answers {

    static final MediaType JSON = new MediaType("application", "json", StandardCharsets.UTF_8);

    private Answers() {
    }

    static ResponseEntity<byte[]> json(int status, Object body) {
        try {
            return ResponseEntity.status(status).contentType(JSON).body(RecordJson.mapper().writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an answer could not be written as JSON", e);
        }
    }

    static ResponseEntity<byte[]> ok(Object body) {
        return json(200, body);
    }
}
