package cn.bazhong.credit.gateway.catalog;

import cn.bazhong.credit.gateway.yaml.ConfigFileException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The catalog is checked whole when loaded; what applies to a subject follows from it alone. */
class CatalogLoaderTest {

    private static final Path SHIPPED = Path.of("config/catalog.yaml");

    private static String shipped() {
        try {
            return Files.readString(SHIPPED);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Catalog load(String yaml) {
        return CatalogLoader.load("config/catalog.yaml", new StringReader(yaml));
    }

    @Test
    void the_shipped_catalog_loads_with_every_measure_backed_by_a_legal_basis() {
        Catalog catalog = CatalogLoader.load(SHIPPED);

        assertThat(catalog.measures()).isNotEmpty();
        assertThat(catalog.measures().values()).allSatisfy(m -> assertThat(m.legalBasis()).isNotBlank());
        assertThat(catalog.triggeredBy("TAX_A")).extracting(Measure::type).containsOnly(MeasureType.INCENTIVE);
        assertThat(catalog.triggeredBy("COURT_DEFAULTER")).extracting(Measure::type).containsOnly(MeasureType.PUNISHMENT);
    }

    @Test
    void the_measures_that_apply_follow_the_active_lists_the_unit_and_the_matter() {
        Catalog catalog = CatalogLoader.load(SHIPPED);

        assertThat(catalog.applicable(List.of("TAX_A"), "XZSPJ", "5119-XK-0001")).extracting(Measure::id)
                .containsExactly("TAXA-GREEN-CHANNEL");
        assertThat(catalog.applicable(List.of("COURT_DEFAULTER"), "XZSPJ", "5119-XK-0002")).extracting(Measure::id)
                .containsExactly("CD-STRICT-APPROVAL");
        assertThat(catalog.applicable(List.of("COURT_DEFAULTER"), "XZSPJ", "5119-XK-9999")).isEmpty();
        assertThat(catalog.applicable(List.of(), "XZSPJ", null)).isEmpty();
        // the trading centre restricts every black list of the key fields and rewards A-level taxpayers
        assertThat(catalog.listTypesWatchedBy("GGZY")).containsExactly("CONSTRUCTION_SERIOUS", "COURT_DEFAULTER", "ENVIRONMENT_SERIOUS",
                "FINANCE_SERIOUS", "FIRE_SAFETY_SERIOUS", "FOOD_DRUG_SERIOUS", "MAJOR_TAX_VIOLATION", "MEDICAL_SERIOUS", "PRICE_SERIOUS",
                "QUALITY_SERIOUS", "SAFETY_SERIOUS", "SECURITIES_SERIOUS", "SERIOUS_ILLEGAL_ENTERPRISE", "TAX_A");
    }

    @Test
    void a_measure_without_its_legal_basis_refuses_to_load() throws IOException {
        String measure = "  TAXA-PUBLIC-SERVICE-PRIORITY:\n";
        int at = shipped().indexOf(measure);
        int from = shipped().indexOf("    legalBasis:\n", at);
        int to = shipped().indexOf("    implementingUnits:", from);
        String broken = shipped().substring(0, from) + shipped().substring(to);

        assertThatThrownBy(() -> load(broken)).isInstanceOf(ConfigFileException.class)
                .hasMessageContaining("measures.TAXA-PUBLIC-SERVICE-PRIORITY.legalBasis")
                .hasMessageContaining("legal basis");
    }

    @Test
    void an_unknown_unit_or_list_type_refuses_to_load_with_its_line() throws IOException {
        ConfigFileException unknownUnit = catchConfig(() -> load(shipped().replace("implementingUnits: [GGZY]", "implementingUnits: [GGZY, NOBODY]")));
        assertThat(unknownUnit.getMessage()).contains("unknown unit 'NOBODY'");
        assertThat(unknownUnit.line()).isGreaterThan(1);

        assertThat(catchConfig(() -> load(shipped().replace("triggers: [COURT_DEFAULTER]\n    content: 限制参与政府采购",
                "triggers: [COURT_DEFAULTERS]\n    content: 限制参与政府采购"))).getMessage()).contains("unknown list type 'COURT_DEFAULTERS'");
    }

    @Test
    void a_measure_triggered_by_another_units_list_or_of_the_wrong_kind_is_refused() throws IOException {
        assertThat(catchConfig(() -> load(shipped().replace("listedBy: ZJFY\n    triggers: [COURT_DEFAULTER]\n    content: 限制乘坐飞机",
                "listedBy: SWJ\n    triggers: [COURT_DEFAULTER]\n    content: 限制乘坐飞机"))).getMessage())
                .contains("decided by ZJFY");
        assertThat(catchConfig(() -> load(shipped().replace("type: INCENTIVE\n    listedBy: SWJ\n    triggers: [TAX_A]\n    content: 公共资源交易活动中",
                "type: INCENTIVE\n    listedBy: SWJ\n    triggers: [MAJOR_TAX_VIOLATION]\n    content: 公共资源交易活动中"))).getMessage())
                .contains("cannot be triggered by the BLACK list");
    }

    private static ConfigFileException catchConfig(Runnable r) {
        try {
            r.run();
        } catch (ConfigFileException e) {
            return e;
        }
        throw new AssertionError("the catalog was accepted");
    }

    @Test
    void only_punishment_measures_may_reach_legal_representatives_and_the_flag_is_a_boolean() {
        Catalog catalog = CatalogLoader.load(SHIPPED);
        assertThat(catalog.measure("MTV-LEGAL-REP-POSITIONS").legalRepresentatives()).isTrue();
        assertThat(catalog.measure("MTV-PUBLIC-TRADING").legalRepresentatives()).isFalse();
        assertThat(catalog.applicable(List.of(), List.of("MAJOR_TAX_VIOLATION"), "SCJGJ", null)).extracting(Measure::id)
                .containsExactly("MTV-LEGAL-REP-POSITIONS");

        String incentive = shipped().replace("    duration: 列入名单期间（评价年度有效期内）\n",
                "    duration: 列入名单期间（评价年度有效期内）\n    legalRepresentatives: true\n");
        assertThat(catchConfig(() -> load(incentive)).getMessage()).contains("legalRepresentatives").contains("only a punishment");
        String notBoolean = shipped().replace("    legalRepresentatives: true\n  CD-HIGH", "    legalRepresentatives: yes please\n  CD-HIGH");
        assertThat(catchConfig(() -> load(notBoolean)).getMessage()).contains("not true or false");
    }
}
