package cn.bazhong.credit.gateway.fanout;

import cn.bazhong.credit.gateway.catalog.Catalog;
import cn.bazhong.credit.gateway.catalog.Regions;
import cn.bazhong.credit.gateway.lists.EntryState;
import cn.bazhong.credit.gateway.lists.ListChange;
import cn.bazhong.credit.gateway.lists.ListChangeEvent;
import cn.bazhong.credit.gateway.schema.ListCategory;
import cn.bazhong.credit.gateway.schema.ListStatus;
import cn.bazhong.credit.gateway.schema.Subject;
import cn.bazhong.credit.gateway.validation.OrgCode;
import cn.bazhong.credit.gateway.validation.Uscc;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A county-level unit's subscription receives the changes decided in its own county and those the city
 * (or the province) decides for everyone, and nothing decided in another county; the city's units
 * receive them all. The region of a change is that of its deciding unit.
 */
class CountySubscriptionsTest {

    static final Catalog CATALOG = DepartmentEventsTest.CATALOG;
    static final DepartmentEvents EVENTS = new DepartmentEvents(CATALOG);

    static String organ(String first16) {
        String first17 = first16 + OrgCode.checkChar(first16.substring(8));
        return first17 + Uscc.checkChar(first17);
    }

    static final String CITY_COURT = "11511900MB1520024J";
    static final String TONGJIANG_COURT = organ("11511921MB15200Q");
    static final String NANJIANG_COURT = organ("11511922MB15200R");
    static final String PROVINCE_COURT = organ("11510000MB15200T");

    static ListChangeEvent listing(String court, String courtName, String caseNo) {
        Subject org = new Subject(Subject.ORGANISATION, "巴中市某商贸有限公司", "91511900MA62XQ1B76", null, null, null, null, null, null, null, null);
        EntryState state = new EntryState("ZJFY:defaulters:" + caseNo, "COURT_DEFAULTER", ListCategory.BLACK, courtName, caseNo,
                LocalDate.of(2026, 7, 25), LocalDate.of(2026, 7, 25), null, ListStatus.ACTIVE, null, null, "支付货款3万元",
                "有履行能力而拒不履行", org, "v-" + caseNo, ListChange.LISTED.wireName(), Instant.parse("2026-11-27T08:00:00Z"),
                "evt_" + caseNo.hashCode(), court, null);
        return ListChangeEvent.of("O:abc", state);
    }

    private static boolean receives(String dept, ListChangeEvent change) {
        return EVENTS.forDepartment(change, DepartmentEventsTest.webhook(dept, false)).isPresent();
    }

    @Test
    void a_county_unit_receives_its_countys_and_the_citys_changes_and_nothing_else() throws Exception {
        ListChangeEvent city = listing(CITY_COURT, "四川省巴中市中级人民法院", "（2026）川19执1号");
        ListChangeEvent tongjiang = listing(TONGJIANG_COURT, "通江县人民法院", "（2026）川1921执2号");
        ListChangeEvent nanjiang = listing(NANJIANG_COURT, "南江县人民法院", "（2026）川1922执3号");
        ListChangeEvent province = listing(PROVINCE_COURT, "四川省高级人民法院", "（2026）川执4号");

        assertThat(receives("TJX", city)).isTrue();
        assertThat(receives("TJX", tongjiang)).isTrue();
        assertThat(receives("TJX", province)).isTrue();
        assertThat(receives("TJX", nanjiang)).isFalse();
        assertThat(receives("NJX", nanjiang)).isTrue();
        assertThat(receives("NJX", tongjiang)).isFalse();
        // the city's approval bureau hears of every county's decisions
        assertThat(receives("XZSPJ", tongjiang)).isTrue();
        assertThat(receives("XZSPJ", nanjiang)).isTrue();

        var body = new ObjectMapper().readTree(EVENTS.forDepartment(tongjiang, DepartmentEventsTest.webhook("TJX", false)).orElseThrow().body());
        assertThat(body.path("region").asText()).isEqualTo("511921");
        assertThat(body.path("measures")).extracting(m -> m.path("measureId").asText()).containsExactly("CD-STRICT-APPROVAL", "CD-FISCAL-FUNDS");
    }

    @Test
    void the_region_of_a_decision_is_its_deciding_units_and_regions_contain_their_counties() {
        assertThat(CATALOG.regionOfDecision(CITY_COURT, "COURT_DEFAULTER")).isEqualTo("511900");
        assertThat(CATALOG.regionOfDecision(TONGJIANG_COURT, "COURT_DEFAULTER")).isEqualTo("511921");
        // a deciding unit without an organ's credit code: the region of the unit the catalog says decides the list
        assertThat(CATALOG.regionOfDecision(null, "SECURITIES_SERIOUS")).isEqualTo("510000");
        assertThat(CATALOG.regionOfDecision("91511900MA62XQ1B76", "TAX_A")).isEqualTo("511900");
        assertThat(Regions.contains("511900", "511921")).isTrue();
        assertThat(Regions.contains("510000", "511921")).isTrue();
        assertThat(Regions.contains("511921", "511900")).isFalse();
        assertThat(Regions.contains("511922", "511921")).isFalse();
        assertThat(Regions.contains("520000", "511921")).isFalse();
        // the development zone has no code of its own yet: it stands with the city and hears of everything
        assertThat(CATALOG.reaches("JKQ", "511922")).isTrue();
    }
}
