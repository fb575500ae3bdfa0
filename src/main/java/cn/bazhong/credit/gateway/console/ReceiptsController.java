package cn.bazhong.credit.gateway.console;

import cn.bazhong.credit.gateway.csv.CsvCells;
import cn.bazhong.credit.gateway.ingest.Receipt;
import cn.bazhong.credit.gateway.ingest.ReceiptStore;
import cn.bazhong.credit.gateway.validation.IdNumbers;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;

/**
 * 回执: receipts found by department, feed, period and status ({@link ReceiptStore}, the store behind
 * {@code GET /api/v1/receipts/{id}}), newest first and paged; a receipt's page with its rejections
 * (position, field, rule, message) and the province's later rejections, and the rejections as CSV. The
 * search asks the store's indexes for the page ({@link ReceiptStore#search}). Opening a receipt is an entry of
 * the access log, as on the API.
 */
@Controller
public class ReceiptsController {

    private final ReceiptStore receipts;
    private final ConsoleAudit audit;
    private final ConsoleSettings settings;
    private final Clock clock;

    public ReceiptsController(ReceiptStore receipts, ConsoleAudit audit, ConsoleSettings settings, Clock clock) {
        this.receipts = receipts;
        this.audit = audit;
        this.settings = settings;
        this.clock = clock;
    }

    /** A receipt as a search result: its figures, not its rejections. */
    public record Found(String receiptId, String department, String feed, String channel, String source, Instant receivedAt,
                        long accepted, long duplicates, long rejected, long rejectedUpstream, long exitsWithheld) {
        static Found of(Receipt r) {
            return new Found(r.receiptId(), r.department(), r.feed(), r.channel(), IdNumbers.maskAll(r.source()), r.receivedAt(),
                    r.accepted(), r.duplicates(), r.rejectedTotal(), r.upstreamTotal(), r.exitsWithheld());
        }
    }

    @GetMapping("/console/receipts")
    public String search(@RequestParam(name = "dept", required = false) String dept, @RequestParam(name = "feed", required = false) String feed,
                         @RequestParam(name = "from", required = false) String from, @RequestParam(name = "to", required = false) String to,
                         @RequestParam(name = "status", required = false) String status,
                         @RequestParam(name = "page", defaultValue = "1") int page, Model model) {
        String d = blank(dept) ? null : dept.strip().toUpperCase(Locale.ROOT);
        String f = blank(feed) ? null : feed.strip();
        LocalDate end = date(to, LocalDate.now(clock).plusDays(1));
        LocalDate start = date(from, end.minusDays(30));
        Instant startAt = start.atStartOfDay(clock.getZone()).toInstant();
        Instant endAt = end.atStartOfDay(clock.getZone()).toInstant();
        int p = Math.max(1, Math.min(page, 1000));
        Boolean troubled = "rejected".equals(status) ? Boolean.TRUE : "clean".equals(status) ? Boolean.FALSE : null;
        ReceiptStore.Found found = receipts.search(d, f, startAt, endAt, troubled, (p - 1) * settings.pageSize(), settings.pageSize());
        List<Found> pageRows = found.rows().stream().map(Found::of).toList();
        long[] total = {found.total()};
        int pages = (int) Math.max(1, (total[0] + settings.pageSize() - 1) / settings.pageSize());
        model.addAttribute("found", new Paged<>(pageRows, p, pages, total[0]));
        model.addAttribute("dept", d);
        model.addAttribute("feed", f);
        model.addAttribute("from", start);
        model.addAttribute("to", end);
        model.addAttribute("status", blank(status) ? "" : status);
        return "console/receipts";
    }

    @GetMapping("/console/receipts/{id}")
    public String receipt(@PathVariable("id") String id, HttpServletRequest request, HttpServletResponse response, Model model) {
        Receipt r = receipts.find(id);
        audit.read(ConsoleModel.session(request).caller(), "GET /console/receipts/{id}", null, null, null,
                IdNumbers.maskAll("receiptId=" + id), r == null ? 404 : 200);
        if (r == null) {
            response.setStatus(404);
            model.addAttribute("missing", IdNumbers.maskAll(id));
            return "console/receipt";
        }
        model.addAttribute("receipt", Found.of(r));
        model.addAttribute("byRule", r.rejectedByRule());
        model.addAttribute("rejections", r.rejected().stream().limit(500).map(x -> new Receipt.RejectedRecord(x.position(),
                IdNumbers.maskAll(x.field()), x.rule(), IdNumbers.maskAll(x.message()))).toList());
        model.addAttribute("upstream", r.upstream().stream().limit(500).map(x -> new Receipt.UpstreamRejection(IdNumbers.maskAll(x.recordId()),
                x.position(), x.code(), IdNumbers.maskAll(x.message()), x.at())).toList());
        model.addAttribute("withheldReason", IdNumbers.maskAll(r.exitsWithheldReason()));
        return "console/receipt";
    }

    @GetMapping("/console/receipts/{id}/csv")
    public ResponseEntity<byte[]> csv(@PathVariable("id") String id, HttpServletRequest request) {
        Receipt r = receipts.find(id);
        audit.read(ConsoleModel.session(request).caller(), "GET /console/receipts/{id}/csv", null, null, null,
                IdNumbers.maskAll("receiptId=" + id), r == null ? 404 : 200);
        if (r == null) {
            return ResponseEntity.notFound().build();
        }
        StringBuilder out = new StringBuilder("position,field,rule,message\r\n");
        for (Receipt.RejectedRecord x : r.rejected()) {
            out.append(CsvCells.value(x.position())).append(',').append(CsvCells.text(IdNumbers.maskAll(x.field()))).append(',')
                    .append(CsvCells.text(x.rule())).append(',').append(CsvCells.text(IdNumbers.maskAll(x.message()))).append("\r\n");
        }
        return ResponseEntity.ok().contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"receipt-rejections.csv\"")
                .body(out.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static LocalDate date(String raw, LocalDate otherwise) {
        try {
            return blank(raw) ? otherwise : LocalDate.parse(raw.strip());
        } catch (DateTimeParseException e) {
            return otherwise;
        }
    }
}
