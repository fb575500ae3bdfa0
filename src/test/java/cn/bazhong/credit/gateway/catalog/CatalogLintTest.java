package cn.bazhong.credit.gateway.catalog;

import cn.bazhong.credit.gateway.schema.ListCategory;
import cn.bazhong.credit.gateway.yaml.ConfigFileException;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The catalog lint: the whole plan's catalog passes; each kind of problem is refused with its file and
 * line, and every problem of a file is reported at once.
 */
class CatalogLintTest {

    private static final Path SHIPPED = Path.of("config/catalog.yaml");

    /** A small valid catalog; the tests break it one way at a time. Line numbers below refer to it. */
    private static final String SMALL = """
            version: "t-1"
            units:
              SWJ: { name: 税务局 }
              XZSPJ: { name: 行政审批局 }
              TJX: { name: 通江县人民政府, region: "511921" }
            listTypes:
              TAX_A: { name: 纳税信用A级纳税人, category: RED, listedBy: SWJ }
            measures:
              GREEN:
                type: INCENTIVE
                listedBy: SWJ
                triggers: [TAX_A]
                content: 绿色通道
                legalBasis:
                  - { document: 巴府办发〔2018〕68号, article: 二(二)5 }
                  - { document: 国发〔2016〕33号, article: null, articleToConfirm: true }
                implementingUnits: [XZSPJ, TJX]
                evidence: 评定结果
                duration: 列入名单期间
            """;

    private static List<String> problems(String yaml) {
        try {
            CatalogLoader.load("catalog.yaml", new StringReader(yaml));
        } catch (CatalogRefused e) {
            return e.problems().stream().map(ConfigFileException::getMessage).toList();
        }
        throw new AssertionError("the catalog was accepted");
    }

    @Test
    void the_small_catalog_passes_and_keeps_confirmed_and_unconfirmed_articles_apart() {
        Catalog c = CatalogLoader.load("catalog.yaml", new StringReader(SMALL));

        Measure green = c.measure("GREEN");
        assertThat(green.legalBases()).containsExactly(new LegalBasis("巴府办发〔2018〕68号", "二(二)5", false),
                new LegalBasis("国发〔2016〕33号", null, true));
        assertThat(green.legalBasis()).isEqualTo("巴府办发〔2018〕68号 二(二)5；国发〔2016〕33号（条款待确认）");
        assertThat(green.articleToConfirm()).isTrue();
        assertThat(c.units().get("TJX").region()).isEqualTo("511921");
        assertThat(c.units().get("SWJ").region()).isEqualTo(CatalogLoader.CITY_REGION);
    }

    @Test
    void a_unit_named_by_a_measure_but_not_declared_is_refused_with_its_line() {
        assertThat(problems(SMALL.replace("implementingUnits: [XZSPJ, TJX]", "implementingUnits: [XZSPJ, TJX, NOBODY]")))
                .containsExactly("catalog.yaml:17: measures.GREEN.implementingUnits: unknown unit 'NOBODY' (not under units:)");
    }

    @Test
    void a_declared_unit_that_decides_nothing_and_applies_nothing_is_refused_as_dangling() {
        assertThat(problems(SMALL.replace("  TJX: { name: 通江县人民政府, region: \"511921\" }\n",
                "  TJX: { name: 通江县人民政府, region: \"511921\" }\n  NJX: { name: 南江县人民政府, region: \"511922\" }\n")))
                .singleElement().asString().startsWith("catalog.yaml:6: units.NJX: dangling unit");
    }

    @Test
    void a_list_type_no_measure_reacts_to_is_refused() {
        assertThat(problems(SMALL.replace("listTypes:\n", "listTypes:\n  TAX_M: { name: 重大税收违法, category: BLACK, listedBy: SWJ }\n")))
                .singleElement().asString().startsWith("catalog.yaml:7: listTypes.TAX_M: no measure reacts to list type TAX_M");
    }

    @Test
    void a_measure_without_legal_basis_is_refused_whether_the_key_is_missing_empty_or_an_empty_list() {
        String withoutBasis = SMALL.replace("""
                    legalBasis:
                      - { document: 巴府办发〔2018〕68号, article: 二(二)5 }
                      - { document: 国发〔2016〕33号, article: null, articleToConfirm: true }
                """, "");
        assertThat(problems(withoutBasis)).singleElement().asString()
                .startsWith("catalog.yaml:10: measures.GREEN.legalBasis: every measure needs its legal basis");
        assertThat(problems(withoutBasis.replace("    content: 绿色通道\n", "    content: 绿色通道\n    legalBasis: \"\"\n")))
                .singleElement().asString().startsWith("catalog.yaml:14: measures.GREEN.legalBasis: every measure needs its legal basis");
        assertThat(problems(withoutBasis.replace("    content: 绿色通道\n", "    content: 绿色通道\n    legalBasis: []\n")))
                .singleElement().asString().startsWith("catalog.yaml:14: measures.GREEN.legalBasis: every measure needs its legal basis");
    }

    @Test
    void a_basis_without_article_must_say_the_article_is_to_be_confirmed_and_every_basis_names_its_document() {
        assertThat(problems(SMALL.replace("article: null, articleToConfirm: true", "article: null")))
                .containsExactly("catalog.yaml:16: measures.GREEN.legalBasis[1].article: the basis in 国发〔2016〕33号 names no article:"
                        + " give it, or write article: null and articleToConfirm: true until it is confirmed");
        assertThat(problems(SMALL.replace("{ document: 巴府办发〔2018〕68号, article: 二(二)5 }", "{ article: 二(二)5 }")))
                .singleElement().asString().startsWith("catalog.yaml:15: measures.GREEN.legalBasis[0].document: a legal basis names its document");
    }

    @Test
    void every_problem_of_a_file_is_reported_at_once_in_line_order() {
        String broken = SMALL.replace("listTypes:\n", "listTypes:\n  TAX_M: { name: 重大税收违法, category: BLACK, listedBy: SWJ }\n")
                .replace("implementingUnits: [XZSPJ, TJX]", "implementingUnits: [XZSPJ, NOBODY]")
                .replace("article: null, articleToConfirm: true", "article: null")
                .replace("region: \"511921\"", "region: \"5119\"");

        List<String> problems = problems(broken);
        assertThat(problems).hasSize(5);
        assertThat(problems).extracting(p -> p.substring(0, p.indexOf(": ", "catalog.yaml:".length())))
                .containsExactly("catalog.yaml:5", "catalog.yaml:5", "catalog.yaml:7", "catalog.yaml:17", "catalog.yaml:18");
        assertThat(problems.get(0) + problems.get(1)).contains("'5119' is not a 行政区划代码").contains("dangling unit");
    }

    @Test
    void the_shipped_catalog_covers_the_whole_plan_counties_included() {
        Catalog c = CatalogLoader.load(SHIPPED);

        Set<String> fields = c.listTypes().values().stream().flatMap(l -> l.fields().stream()).collect(Collectors.toSet());
        assertThat(fields).contains("食品药品", "生态环境", "工程质量", "医疗卫生", "安全生产", "消防安全", "非法集资", "逃税骗税",
                "逃废债务", "欺诈", "价格垄断", "重大税收违法案件当事人", "失信企业协同监管", "工商/市场监管", "证监", "法院", "安监", "环保");
        assertThat(c.units()).extractingFromEntries(e -> e.getKey() + "=" + e.getValue().region())
                .contains("BZQ=511902", "EYQ=511903", "TJX=511921", "NJX=511922", "PCX=511923", "JKQ=511900", "XZSPJ=511900");
        assertThat(c.units().get("JKQ").note()).contains("511900").contains("确认");
        // incentives of items 5-9 for every red list
        for (String red : c.listTypes().values().stream().filter(l -> l.category() == ListCategory.RED).map(ListTypeDefinition::code).toList()) {
            assertThat(c.triggeredBy(red)).extracting(Measure::content).anySatisfy(t -> assertThat(t).contains("绿色通道"))
                    .anySatisfy(t -> assertThat(t).contains("优先")).anySatisfy(t -> assertThat(t).contains("检查频次"))
                    .anySatisfy(t -> assertThat(t).contains("信易")).anySatisfy(t -> assertThat(t).contains("网站"));
        }
        // a county government applies the green channel and strict approval like the city's approval bureau
        assertThat(c.applicable(List.of("TAX_A"), "TJX", null)).extracting(Measure::id).contains("TAXA-GREEN-CHANNEL");
        assertThat(c.applicable(List.of("FOOD_DRUG_SERIOUS"), "TJX", null)).extracting(Measure::id).contains("FDS-STRICT-APPROVAL");
        // every basis names its document; every article is either given or marked to confirm; the plan's own articles are given
        assertThat(c.measures().values()).allSatisfy(m -> assertThat(m.legalBases()).isNotEmpty()
                .allSatisfy(b -> assertThat(b.document()).isNotBlank())
                .allSatisfy(b -> assertThat(b.article() != null || b.articleToConfirm()).isTrue())
                .anySatisfy(b -> assertThat(b.document() + " " + b.article()).matches("巴府办发〔2018〕68号 二\\(.\\)\\d+")));
    }
}
