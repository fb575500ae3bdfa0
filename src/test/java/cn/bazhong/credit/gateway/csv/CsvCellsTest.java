package cn.bazhong.credit.gateway.csv;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;

class CsvCellsTest {

    @Test
    void every_formula_trigger_of_owasp_is_neutralised_in_text() {
        for (String cell : new String[] {"=1+1", "+1", "-1", "@A1", "\tx", "\rx"}) {
            assertThat(CsvCells.neutralise(cell)).isEqualTo("'" + cell);
        }
        assertThat(CsvCells.neutralise("巴中市")).isEqualTo("巴中市");
        assertThat(CsvCells.neutralise("")).isEmpty();
        assertThat(CsvCells.neutralise(null)).isNull();
    }

    @Test
    void text_cells_are_neutralised_before_they_are_quoted() {
        assertThat(CsvCells.text("=A1,B1")).isEqualTo("\"'=A1,B1\"");
        assertThat(CsvCells.text("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(CsvCells.text(null)).isEmpty();
    }

    @Test
    void values_the_gateway_computes_are_not_neutralised_but_strings_are() {
        assertThat(CsvCells.value(-3L)).isEqualTo("-3");
        assertThat(CsvCells.value(new BigDecimal("-0.5"))).isEqualTo("-0.5");
        assertThat(CsvCells.value(false)).isEqualTo("false");
        assertThat(CsvCells.value("-3")).isEqualTo("'-3");
        assertThat(CsvCells.value(null)).isEmpty();
    }
}
