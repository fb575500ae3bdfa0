package cn.bazhong.credit.gateway.hostile;

import cn.bazhong.credit.gateway.measures.*;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The supervision report's CSV opens in a spreadsheet without running anything. */
class SupervisionCsvTest {

    private static SupervisionReport.Line line(String department, long accepted) {
        return new SupervisionReport.Line(department, 2, accepted, 1, 0.25, Instant.parse("2026-11-27T02:00:00Z"), true,
                3, 2, 2.0 / 3, 1, 0.5, 0, 1, 0, 0);
    }

    private static String[] rows(String csv) {
        return csv.split("\r\n");
    }

    @Test
    void a_text_cell_that_starts_like_a_formula_gets_a_leading_apostrophe() {
        SupervisionReport report = new SupervisionReport(null, null, Map.of(), Clock.systemUTC());
        String csv = report.csv(List.of(line("=HYPERLINK(\"http://x\",\"a\")", 1), line("+SWJ", 1), line("-2+3", 1), line("@SUM(A1)", 1),
                line("\tTAB", 1), line("SCJGJ", 1)));

        String[] rows = rows(csv);
        assertThat(rows[1]).startsWith("\"'=HYPERLINK(\"\"http://x\"\",\"\"a\"\")\",");
        assertThat(rows[2]).startsWith("'+SWJ,");
        assertThat(rows[3]).startsWith("'-2+3,");
        assertThat(rows[4]).startsWith("'@SUM(A1),");
        assertThat(rows[5]).startsWith("'\tTAB,");
        assertThat(rows[6]).startsWith("SCJGJ,2,1,1,0.2500,2026-11-27T02:00:00Z,true,");
    }

    @Test
    void numbers_the_report_computes_stay_numbers_even_when_negative() {
        SupervisionReport report = new SupervisionReport(null, null, Map.of(), Clock.systemUTC());

        assertThat(rows(report.csv(List.of(line("SCJGJ", -3))))[1]).startsWith("SCJGJ,2,-3,1,");
    }
}
