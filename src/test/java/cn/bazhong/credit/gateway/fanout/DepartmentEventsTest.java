package cn.bazhong.credit.gateway.fanout;

import cn.bazhong.credit.gateway.catalog.Catalog;
import cn.bazhong.credit.gateway.catalog.CatalogLoader;
import cn.bazhong.credit.gateway.lists.EntryState;
import cn.bazhong.credit.gateway.lists.ListChange;
import cn.bazhong.credit.gateway.lists.ListChangeEvent;
import cn.bazhong.credit.gateway.schema.ListCategory;
import cn.bazhong.credit.gateway.schema.ListStatus;
import cn.bazhong.credit.gateway.schema.Party;
import cn.bazhong.credit.gateway.schema.Subject;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a department's event carries: only changes of list types its catalog measures react to, each
 * measure with content and legal basis from the catalog, personal ID numbers masked unless allowed;
 * a measure the catalog does not back is never pushed.
 */
class DepartmentEventsTest {

    static final Catalog CATALOG = CatalogLoader.load(Path.of("config/catalog.yaml"));
    static final DepartmentEvents EVENTS = new DepartmentEvents(CATALOG);
    static final ObjectMapper JSON = new ObjectMapper();
    static final String PERSON_ID = "511903196012073255";

    static Subscription webhook(String dept, boolean fullIds) {
        return new Subscription(dept, new Subscription.WebhookChannel(URI.create("https://example.invalid/hook"),
                List.of("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")), fullIds, true, Subscription.RetryPolicy.DEFAULT);
    }

    static ListChangeEvent courtListing() {
        Subject person = new Subject(Subject.PERSON, "乔建", null, null, null, null, null, null, null, "身份证", PERSON_ID);
        EntryState state = new EntryState("ZJFY:defaulters:（2024）川19执102号:" + PERSON_ID, "COURT_DEFAULTER", ListCategory.BLACK,
                "四川省巴中市中级人民法院", "（2024）川19执102号", LocalDate.of(2024, 7, 25), LocalDate.of(2024, 7, 25), null,
                ListStatus.ACTIVE, null, null, "支付货款3万元", "违反财产报告制度", person, "v1", ListChange.LISTED.wireName(),
                Instant.parse("2026-11-27T08:00:00Z"), "evt_listing", "11511900MB1520024J", null);
        return ListChangeEvent.of("P:abc", state);
    }

    @Test
    void a_department_gets_the_catalog_measures_it_implements_for_that_list_with_content_and_legal_basis() throws IOException {
        OutboundEvent event = EVENTS.forDepartment(courtListing(), webhook("JTYSJ", true)).orElseThrow();
        JsonNode body = JSON.readTree(event.body());

        assertThat(body.path("type").asText()).isEqualTo("list.entry.listed");
        assertThat(body.path("id").asText()).isEqualTo(courtListing().id()).startsWith("evt_");
        assertThat(body.path("catalogVersion").asText()).isEqualTo(CATALOG.version());
        assertThat(body.path("measures")).isNotEmpty().allSatisfy(m -> {
            assertThat(CATALOG.measure(m.path("measureId").asText())).isNotNull();
            assertThat(m.path("legalBasis").asText()).isEqualTo(CATALOG.measure(m.path("measureId").asText()).legalBasis());
            assertThat(m.path("implementingUnit").asText()).isEqualTo("JTYSJ");
        });
        assertThat(body.path("subject").path("idNumber").asText()).isEqualTo(PERSON_ID);
    }

    @Test
    void without_full_id_numbers_the_subject_and_the_record_id_are_masked() throws IOException {
        OutboundEvent event = EVENTS.forDepartment(courtListing(), webhook("XZSPJ", false)).orElseThrow();

        assertThat(new String(event.body(), java.nio.charset.StandardCharsets.UTF_8)).doesNotContain(PERSON_ID);
        assertThat(JSON.readTree(event.body()).path("subject").path("idNumber").asText()).isEqualTo("511903********3255");
        assertThat(event.subjectCode()).isEqualTo("511903********3255");
    }

    @Test
    void a_department_implementing_no_measure_for_that_list_gets_nothing() {
        // LDXZ implements no measure triggered by COURT_DEFAULTER in the shipped catalog
        assertThat(CATALOG.listTypesWatchedBy("LDXZ")).doesNotContain("COURT_DEFAULTER");
        assertThat(EVENTS.forDepartment(courtListing(), webhook("LDXZ", false))).isEmpty();
    }

    @Test
    void an_uncatalogued_measure_or_one_the_department_does_not_implement_is_refused() {
        assertThatThrownBy(() -> EVENTS.measures(List.of("NOT-IN-CATALOG"), "XZSPJ"))
                .isInstanceOf(UncataloguedMeasureException.class).hasMessageContaining("NOT-IN-CATALOG");
        assertThatThrownBy(() -> EVENTS.measures(List.of("TAXA-GREEN-CHANNEL"), "JTYSJ"))
                .isInstanceOf(UncataloguedMeasureException.class).hasMessageContaining("not applied by JTYSJ");
        assertThat(EVENTS.measures(List.of("TAXA-GREEN-CHANNEL"), "XZSPJ")).singleElement()
                .satisfies(m -> assertThat(m.get("legalBasis")).asString().contains("国发〔2016〕33号"));
    }

    @Test
    void the_event_id_is_stable_for_the_same_change_and_differs_for_another() {
        assertThat(ListChangeEvent.idOf("r1", "v1", "list.entry.listed")).isEqualTo(ListChangeEvent.idOf("r1", "v1", "list.entry.listed"))
                .isNotEqualTo(ListChangeEvent.idOf("r1", "v2", "list.entry.listed"))
                .isNotEqualTo(ListChangeEvent.idOf("r1", "v1", "list.entry.exited"));
    }
}
