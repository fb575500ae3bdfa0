package cn.bazhong.credit.gateway.web;

import cn.bazhong.credit.gateway.ingest.MappingCatalog;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/mappings}: which department feeds the gateway takes and with which mapping version,
 * so that an operator or a department can confirm a deployment picked up a change.
 */
@RestController
public class MappingsController {

    private final MappingCatalog mappings;

    public MappingsController(MappingCatalog mappings) {
        this.mappings = mappings;
    }

    @GetMapping("/api/v1/mappings")
    public ResponseEntity<byte[]> list() {
        return Answers.ok(mappings.describe());
    }
}
