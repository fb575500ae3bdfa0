package cn.bazhong.credit.gateway.web;

import cn.bazhong.credit.gateway.publication.PublicationDeadLetters;
import cn.bazhong.credit.gateway.publication.PublicationSweep;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;

/**
 * Operators' API over the publication channel to the city credit website ({@code /api/v1/publication/...}):
 * viewers list the dead letters, admins replay them and run the 公示期 sweep at once. Answers 503 when
 * publication is off ({@code gateway.publication.enabled=false}).
 */
@RestController
public class PublicationController {

    private final ObjectProvider<PublicationDeadLetters> deadLetters;
    private final ObjectProvider<PublicationSweep> sweep;

    public PublicationController(ObjectProvider<PublicationDeadLetters> deadLetters, ObjectProvider<PublicationSweep> sweep) {
        this.deadLetters = deadLetters;
        this.sweep = sweep;
    }

    @GetMapping("/api/v1/publication/dead-letters")
    public ResponseEntity<byte[]> deadLetters() {
        return Answers.ok(Map.of("deadLetters", on(deadLetters).list()));
    }

    @PostMapping("/api/v1/publication/dead-letters/replay")
    public ResponseEntity<byte[]> replay() {
        return Answers.json(202, Map.of("replayed", on(deadLetters).replay()));
    }

    @PostMapping("/api/v1/publication/sweep")
    public ResponseEntity<byte[]> sweep() {
        return Answers.ok(Map.of("withdrawn", on(sweep).sweep()));
    }

    private static <T> T on(ObjectProvider<T> bean) {
        T t = bean.getIfAvailable();
        if (t == null) {
            throw new HttpProblem(503, "publication-off", "publication to the city credit website is off (gateway.publication.enabled=false)");
        }
        return t;
    }
}
