package cn.bazhong.credit.gateway.web;

import cn.bazhong.credit.gateway.reload.LoadedFile;
import cn.bazhong.credit.gateway.reload.LoadedFiles;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/v1/loaded-files}: every mapping, route, catalog and subscriptions file this node runs with,
 * its version, content hash and when it was loaded, and a newer content refused by the live reload (with its
 * {@code file:line: problem}). Operators compare nodes with it after a change.
 */
@RestController
public class LoadedFilesController {

    private final LoadedFiles loaded;

    public LoadedFilesController(LoadedFiles loaded) {
        this.loaded = loaded;
    }

    @GetMapping("/api/v1/loaded-files")
    public ResponseEntity<byte[]> list() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (LoadedFile f : loaded.all()) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("kind", f.kind().name().toLowerCase());
            d.put("file", f.file());
            if (f.version() != null) {
                d.put("version", f.version());
            }
            d.put("sha256", f.sha256());
            d.put("loadedAt", String.valueOf(f.loadedAt()));
            if (f.refused() != null) {
                d.put("refused", f.refused());
                d.put("refusedAt", String.valueOf(f.refusedAt()));
            }
            out.add(d);
        }
        return Answers.ok(out);
    }
}
