package cn.bazhong.credit.gateway.web;

import cn.bazhong.credit.gateway.catalog.ActiveCatalog;
import cn.bazhong.credit.gateway.catalog.Catalog;
import cn.bazhong.credit.gateway.catalog.CatalogUnit;
import cn.bazhong.credit.gateway.lists.CommitmentRow;
import cn.bazhong.credit.gateway.lists.Commitments;
import cn.bazhong.credit.gateway.security.Caller;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code GET /api/v1/commitments/overdue[?department=X]}: the written commitments (信用承诺, plan item 5)
 * still open after their deadline, for the unit that accepted them to follow up. A department sees those
 * it accepted (by its catalog unit's credit code) and those it delivered for a unit the catalog does not
 * know; viewers and admins see every unit's, or one department's with {@code ?department=}.
 */
@RestController
public class CommitmentsController {

    private final Commitments commitments;
    private final ActiveCatalog catalogs;
    private final Clock clock;

    public CommitmentsController(Commitments commitments, ActiveCatalog catalogs, Clock clock) {
        this.commitments = commitments;
        this.catalogs = catalogs;
        this.clock = clock;
    }

    @GetMapping("/api/v1/commitments/overdue")
    public ResponseEntity<byte[]> overdue(@RequestAttribute(ApiAccessFilter.CALLER) Caller caller,
                                          @RequestParam(name = "department", required = false) String department) {
        String asked = department == null || department.isBlank() ? null : department.strip().toUpperCase(Locale.ROOT);
        if (caller.isDepartment() && asked != null && !caller.isDepartment(asked)) {
            throw new HttpProblem(403, "forbidden", "a department sees the commitments it accepted, not those of " + asked);
        }
        String whose = caller.isDepartment() ? caller.departmentCode() : asked;
        LocalDate today = LocalDate.now(clock);
        Catalog catalog = catalogs.get();
        CatalogUnit unit = whose == null ? null : catalog.units().get(whose);
        Set<String> known = catalog.units().values().stream().map(CatalogUnit::uscc).filter(Objects::nonNull).collect(Collectors.toSet());
        List<CommitmentRow> rows = commitments.overdue(whose, unit == null ? null : unit.uscc(), known, today);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("department", whose);
        body.put("asOf", today);
        body.put("count", rows.size());
        body.put("commitments", rows.stream().map(r -> r.view(today)).toList());
        body.values().removeIf(Objects::isNull);
        return Answers.ok(body);
    }
}
