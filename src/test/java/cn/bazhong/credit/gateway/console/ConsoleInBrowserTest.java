package cn.bazhong.credit.gateway.console;

import cn.bazhong.credit.gateway.GatewayApplication;
import cn.bazhong.credit.gateway.support.FanoutFixtures;
import cn.bazhong.credit.gateway.support.Http;
import cn.bazhong.credit.gateway.support.MutableClock;
import cn.bazhong.credit.gateway.support.TestGateway;
import cn.bazhong.credit.gateway.support.WebhookReceivers;
import cn.bazhong.credit.gateway.validation.IdNumber;
import cn.bazhong.credit.simulators.province.ProvincialSimulator;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIf;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.File;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The console in a real browser: Debian's chromium, headless, driven by Selenium. The gateway runs with
 * the provincial simulator and two webhook departments (D02 answers 410); the tests push the samples and a
 * court snapshot through the API, then do in the browser what an operator does: sign in and read the
 * overview, look a person up, trace a record, replay a dead-lettered batch and see it delivered, enable the
 * department again, approve the withheld snapshot exits, download the supervision CSV; as a viewer, be
 * refused the admin's actions; with a forged form, be refused; without a session, be sent to sign-in. No
 * page's HTML holds a full ID number. Every page is photographed into {@code target/console-screenshots/}.
 *
 * <p>Skipped (not failed) where chromium or chromedriver is missing: {@code apt-get install chromium
 * chromium-driver} (.ci/run does it), or point {@code -Dconsole.chromium=} and {@code -Dconsole.chromedriver=}
 * at them.
 */
@SpringBootTest(classes = {GatewayApplication.class, ConsoleInBrowserTest.TestClock.class}, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@EnabledIf(value = "browserPresent", disabledReason = "chromium or chromedriver missing: apt-get install chromium chromium-driver")
class ConsoleInBrowserTest {

    static final String CHROMIUM = System.getProperty("console.chromium", "/usr/bin/chromium");
    static final String CHROMEDRIVER = System.getProperty("console.chromedriver", "/usr/bin/chromedriver");
    static final Path SHOTS = Path.of("target", "console-screenshots");

    static final ProvincialSimulator PROVINCE = ProvincialSimulator.start(ProvincialSimulator.Settings.defaults());
    static final WebhookReceivers HOOKS = new WebhookReceivers();
    static final String HEALTHY = "D01";
    static final String GONE = "D02";
    static final String COURT_ORG = "91511900MA6L7UDG0K";
    static final String COURT_PERSON = "511903196012073255";
    static final String LICENCE = "XZSPJ:ADMIN_LICENSE:11511900MB1530038P:巴审批许〔2023〕2000号";
    static final Pattern ID_LIKE = Pattern.compile("(?<![0-9A-Za-z])[0-9]{17}[0-9X](?![0-9A-Za-z])");
    /** Every page the browser showed, by screenshot name: the HTML the last test searches for ID numbers. */
    static final Map<String, String> PAGES = new ConcurrentHashMap<>();

    static WebDriver browser;

    /** The gateway's clock, moved forward to let the initiations' deadlines pass. */
    static final MutableClock CLOCK = new MutableClock(ZoneId.of("Asia/Shanghai"));

    @TestConfiguration
    static class TestClock {
        @Bean
        @Primary
        Clock movableClock() {
            return CLOCK;
        }
    }

    @DynamicPropertySource
    static void gateway(DynamicPropertyRegistry registry) throws IOException {
        TestGateway.register(registry, "console-browser");
        registry.add("gateway.upstream.base-url", () -> PROVINCE.baseUri().toString());
        Path config = Files.createTempDirectory("console-config-");
        Files.writeString(config.resolve("catalog.yaml"), FanoutFixtures.catalog("console-1", List.of(HEALTHY, GONE), List.of(HEALTHY, GONE)));
        Files.writeString(config.resolve("subscriptions.yaml"), "subscriptions:\n" + FanoutFixtures.webhooks(HOOKS, List.of(HEALTHY, GONE),
                d -> "    retry: { maxAttempts: 50, initialBackoff: 200ms, maxBackoff: 1s }\n"));
        HOOKS.answer(GONE, 410);
        registry.add("gateway.catalog.file", () -> config.resolve("catalog.yaml").toString());
        registry.add("gateway.fanout.enabled", () -> "true");
        registry.add("gateway.fanout.subscriptions-file", () -> config.resolve("subscriptions.yaml").toString());
        registry.add("gateway.fanout.attempt-timeout", () -> "1s");
    }

    /** Whether chromium and chromedriver are here; when not, says so on stderr (the Maven output) and the class is skipped. */
    static boolean browserPresent() {
        boolean present = new File(CHROMIUM).canExecute() && new File(CHROMEDRIVER).canExecute();
        if (!present) {
            System.err.println("SKIPPED ConsoleInBrowserTest: the console's browser tests need chromium and chromedriver (" + CHROMIUM
                    + ", " + CHROMEDRIVER + "): apt-get install chromium chromium-driver, as .ci/run does");
        }
        return present;
    }

    @BeforeAll
    static void startBrowser() throws IOException {
        Assumptions.assumeTrue(browserPresent(), "chromium or chromedriver missing");
        Files.createDirectories(SHOTS);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1366,768", "--lang=zh-CN");
        // the browser's profile and scratch files go to the test JVM's temporary directory (support.TestTempDirectory)
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER))
                .withEnvironment(java.util.Map.of("TMPDIR", System.getProperty("java.io.tmpdir"))).build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        HOOKS.close();
        PROVINCE.close();
    }

    @LocalServerPort
    int port;

    @org.springframework.beans.factory.annotation.Autowired
    cn.bazhong.credit.gateway.audit.AccessLog accessLog;

    @org.springframework.beans.factory.annotation.Autowired
    com.hazelcast.core.HazelcastInstance hazelcast;

    @org.springframework.beans.factory.annotation.Autowired
    cn.bazhong.credit.gateway.audit.AccessLogQuery accessLogQuery;

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    WebDriverWait waiting() {
        return new WebDriverWait(browser, Duration.ofSeconds(30));
    }

    /** Photographs the page and keeps its HTML. */
    void shoot(String name) throws IOException {
        PAGES.put(name, browser.getPageSource());
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    void open(String path) {
        browser.get(url(path));
    }

    void signIn(String key) {
        open("/console/login");
        browser.findElement(By.id("key")).sendKeys(key);
        browser.findElement(By.id("sign-in-button")).click();
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("operator")));
    }

    static byte[] sample(String path) {
        try {
            return Files.readAllBytes(Path.of(path));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String courtSnapshot(boolean withPerson) {
        String org = "<record><ah>（2024）川19执900号</ah><zxfy>四川省巴中市中级人民法院</zxfy><bzxrmc>巴中市测试商贸有限公司</bzxrmc>"
                + "<bzxrlx>法人或其他组织</bzxrlx><zjhm>" + COURT_ORG + "</zjhm><fddbr>崔刚刚</fddbr><yjdw>巴中仲裁委员会</yjdw>"
                + "<yw>支付货款8万元</yw><lxqk>全部未履行</lxqk><sxqx>有履行能力而拒不履行生效法律文书确定义务</sxqx>"
                + "<fbsj>2024-09-05</fbsj><zt>在列</zt></record>";
        String person = "<record><ah>（2024）川19执901号</ah><zxfy>四川省巴中市中级人民法院</zxfy><bzxrmc>乔建</bzxrmc>"
                + "<bzxrlx>自然人</bzxrlx><zjhm>" + COURT_PERSON + "</zjhm><yjdw>通江县人民法院</yjdw><yw>支付货款3万元</yw>"
                + "<lxqk>部分未履行</lxqk><sxqx>违反财产报告制度</sxqx><fbsj>2024-07-25</fbsj><zt>在列</zt></record>";
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sxbzxrList xmlns=\"urn:court:sxbzxr:1\">" + org
                + (withPerson ? person : "") + "</sxbzxrList>";
    }

    long licencesAtTheProvince() {
        return PROVINCE.records().stream().filter(r -> r.recordId().startsWith("XZSPJ:")).count();
    }

    JsonNode personsEntries() {
        return Http.get(url("/api/v1/subjects/" + COURT_PERSON + "/measures"), TestGateway.OPERATOR_KEY).json().path("entries");
    }

    @Test
    @Order(1)
    void an_admin_signs_in_and_the_overview_shows_what_the_departments_sent() throws IOException {
        // the province refuses the first batch: the licences' batch becomes a dead letter
        PROVINCE.failNext(1, 400, null);
        Http.Response licences = Http.post(url("/api/v1/feeds/xzspj/licences"), TestGateway.KEYS.get("XZSPJ"),
                sample("samples/feeds/rest/xzspj/licences-001.json"), "Content-Type", "application/json");
        assertThat(licences.status()).as(licences.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(60)).until(() ->
                Http.get(url("/api/v1/upstream/dead-letters"), TestGateway.OPERATOR_KEY).json().path("deadLetters").size() == 1);
        // the court lists two parties, then one: the person's exit is half the list, and the guard holds it
        Http.Response first = Http.post(url("/api/v1/feeds/ZJFY/defaulters"), TestGateway.KEYS.get("ZJFY"),
                courtSnapshot(true).getBytes(StandardCharsets.UTF_8), "Content-Type", "application/xml");
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(60)).until(() -> personsEntries().size() == 1);
        Http.Response second = Http.post(url("/api/v1/feeds/ZJFY/defaulters"), TestGateway.KEYS.get("ZJFY"),
                courtSnapshot(false).getBytes(StandardCharsets.UTF_8), "Content-Type", "application/xml");
        assertThat(second.status()).as(second.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(60)).until(() ->
                Http.get(url("/api/v1/lists/snapshot-holds"), TestGateway.OPERATOR_KEY).json().path("holds").size() == 1);

        signIn(TestGateway.OPERATOR_KEY);
        assertThat(browser.getCurrentUrl()).endsWith("/console/");
        assertThat(browser.getTitle()).contains("总览");
        assertThat(browser.findElement(By.id("role")).getText()).isEqualTo("管理员");
        WebElement xzspj = browser.findElement(By.xpath("//table[@id='counts']//tr[th='XZSPJ']"));
        List<String> cells = xzspj.findElements(By.tagName("td")).stream().map(WebElement::getText).toList();
        assertThat(cells.subList(0, 3)).as("received, accepted, rejected").containsExactly("40", "34", "6");
        WebElement today = browser.findElement(By.xpath("//table[@id='periods']//tr[th='XZSPJ']"));
        assertThat(today.findElements(By.tagName("td")).get(1).getText()).as("accepted today").isEqualTo("34");
        assertThat(browser.findElement(By.id("circuit")).getText()).isIn("CLOSED", "HALF_OPEN", "OPEN");
        assertThat(browser.findElements(By.cssSelector("svg.chart rect"))).isNotEmpty();
        shoot("01-overview");
        WebElement leases = browser.findElement(By.id("leases"));
        ((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView()", browser.findElement(By.id("lag")));
        assertThat(browser.findElements(By.cssSelector("#lag tr[data-group='gateway-fanout-" + HEALTHY + "']"))).hasSize(1);
        assertThat(leases.findElement(By.cssSelector("tr[data-feed='zjfy-defaulters'] td.schedule")).getText()).isEqualTo("every 30s");
        shoot("01-overview-lag-and-leases");
        open("/console/?lang=en");
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Overview");
        shoot("01-overview-en");
        open("/console/?lang=zh_CN");
    }

    @Test
    @Order(2)
    void a_person_is_looked_up_with_the_measures_and_their_legal_basis_and_the_number_shown_masked() throws IOException {
        open("/console/lists");
        browser.findElement(By.id("code")).sendKeys(COURT_PERSON);
        browser.findElement(By.id("department")).sendKeys(HEALTHY);
        browser.findElement(By.cssSelector("#lookup button[type=submit]")).click();
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("measures")));
        assertThat(browser.findElement(By.id("subject")).getText()).isEqualTo("511903********3255");
        assertThat(browser.findElement(By.id("code")).getAttribute("value")).as("the form shows the number masked too")
                .isEqualTo("511903********3255");
        assertThat(browser.findElement(By.id("entries")).getText()).contains("COURT_DEFAULTER");
        assertThat(browser.findElement(By.cssSelector("#measures td.basis")).getText()).contains("最高人民法院关于限制被执行人高消费");
        shoot("02-lists-lookup");
    }

    @Test
    @Order(3)
    void a_record_is_found_by_its_id_and_its_trace_read_as_a_timeline() throws IOException {
        open("/console/records");
        browser.findElement(By.id("recordId")).sendKeys(LICENCE);
        browser.findElement(By.cssSelector("#trace-form button[type=submit]")).click();
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("timeline")));
        assertThat(browser.findElements(By.cssSelector("#timeline li")).size()).isGreaterThanOrEqualTo(2);
        assertThat(browser.findElement(By.id("timeline")).getText()).contains("received");
        shoot("03-records-trace");
    }

    @Test
    @Order(4)
    void a_dead_lettered_batch_is_replayed_after_confirmation_and_reaches_the_province() throws IOException {
        long before = licencesAtTheProvince();
        open("/console/dead-letters");
        WebElement row = browser.findElement(By.cssSelector("#upstream-dead-letters tr[data-batch]"));
        int lettered = Integer.parseInt(row.findElements(By.tagName("td")).get(2).getText());
        assertThat(before).isEqualTo(34 - lettered);
        shoot("04-dead-letters");
        row.findElement(By.cssSelector("a.replay")).click();
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("confirm")));
        assertThat(browser.findElement(By.id("confirm-text")).getText()).contains(String.valueOf(lettered));
        assertThat(licencesAtTheProvince()).as("nothing is sent before the confirmation").isEqualTo(before);
        shoot("04-dead-letters-confirm");
        browser.findElement(By.id("confirm")).click();
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("result")));
        assertThat(browser.findElement(By.id("result")).getText()).contains("已重新投递");
        await().atMost(Duration.ofSeconds(60)).until(() -> licencesAtTheProvince() == 34);
        open("/console/dead-letters");
        assertThat(browser.findElement(By.cssSelector("#upstream-dead-letters td.replayed-at")).getText()).isNotBlank();
        shoot("04-dead-letters-replayed");
    }

    @Test
    @Order(5)
    void a_department_disabled_by_410_is_enabled_again_and_receives_what_it_missed() throws IOException {
        await().atMost(Duration.ofSeconds(60)).until(() -> HOOKS.attempts(GONE) >= 1);
        assertThat(HOOKS.received(GONE)).isEmpty();
        HOOKS.answer(GONE, 204);
        open("/console/departments");
        WebElement row = browser.findElement(By.cssSelector("#departments tr[data-department='" + GONE + "']"));
        assertThat(row.findElement(By.cssSelector("td.state")).getText()).contains("410");
        assertThat(browser.findElement(By.cssSelector("#departments tr[data-department='" + HEALTHY + "']")).findElements(By.cssSelector("button.enable")))
                .as("a department that delivers has nothing to enable").isEmpty();
        shoot("05-departments");
        row.findElement(By.cssSelector("button.enable")).click();
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("result")));
        assertThat(browser.findElement(By.id("result")).getText()).contains(GONE).contains("重新启用");
        await().atMost(Duration.ofSeconds(60)).until(() -> !HOOKS.received(GONE).isEmpty());
        open("/console/departments");
        assertThat(browser.findElement(By.cssSelector("#departments tr[data-department='" + GONE + "'] td.state")).getText()).doesNotContain("410");
        shoot("05-departments-enabled");
    }

    @Test
    @Order(6)
    void the_withheld_snapshot_exits_are_approved_and_the_person_leaves_the_list() throws IOException {
        open("/console/lists");
        WebElement hold = browser.findElement(By.cssSelector("article.hold"));
        assertThat(hold.getText()).contains("511903********3255").doesNotContain(COURT_PERSON);
        shoot("06-lists-holds");
        hold.findElement(By.cssSelector("button.approve")).click();
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("result")));
        assertThat(browser.findElement(By.id("result")).getText()).contains("已批准");
        assertThat(browser.findElements(By.cssSelector("article.hold"))).isEmpty();
        await().atMost(Duration.ofSeconds(60)).until(() -> personsEntries().isEmpty());
        shoot("06-lists-approved");
    }

    @Test
    @Order(7)
    void the_supervision_report_is_shown_and_downloaded_as_csv() throws IOException {
        open("/console/supervision");
        assertThat(browser.findElement(By.xpath("//table[@id='supervision']//tr[th='XZSPJ']")).getText()).contains("34");
        shoot("07-supervision");
        String href = browser.findElement(By.id("csv")).getAttribute("href");
        Object csv = ((JavascriptExecutor) browser).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "fetch(arguments[0]).then(r => r.text().then(t => done(r.status + ' ' + r.headers.get('content-disposition') + '\\n' + t)));",
                href);
        assertThat(String.valueOf(csv)).startsWith("200 attachment; filename=\"supervision-")
                .contains("department,deliveries,accepted,rejected").contains("XZSPJ,1,34,6");
    }

    @Test
    @Order(8)
    void the_admin_reads_the_consoles_actions_in_the_access_log() throws IOException {
        open("/console/audit");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            browser.navigate().refresh();
            assertThat(browser.findElement(By.id("audit")).getText())
                    .contains("console POST /console/dead-letters/upstream/{batchId}/replay")
                    .contains("console POST /console/departments/{dept}/enable")
                    .contains("console POST /console/lists/holds/{holdId}/approve")
                    .contains("console POST /console/lists");
        });
        shoot("08-audit");
    }

    @Test
    @Order(9)
    void a_forged_form_without_the_csrf_token_is_refused() throws IOException {
        open("/console/departments");
        ((JavascriptExecutor) browser).executeScript(
                "const f = document.createElement('form'); f.method = 'post'; f.action = '/console/departments/" + GONE + "/enable';"
                        + "document.body.appendChild(f); f.submit();");
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("refusal")));
        assertThat(browser.findElement(By.id("refusal")).getText()).contains("表单校验失败");
        shoot("09-forged-form-refused");
    }

    @Test
    @Order(10)
    void after_signing_out_no_page_opens_and_a_viewer_is_refused_the_admins_actions() throws IOException {
        open("/console/");
        browser.findElement(By.id("sign-out")).click();
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("key")));
        for (String page : List.of("/console/", "/console/dead-letters", "/console/departments", "/console/lists", "/console/audit")) {
            open(page);
            assertThat(browser.getCurrentUrl()).as(page).endsWith("/console/login");
        }
        shoot("10-sign-in");

        signIn(TestGateway.VIEWER_KEY);
        assertThat(browser.findElement(By.id("role")).getText()).isEqualTo("查看员");
        open("/console/dead-letters");
        assertThat(browser.findElements(By.cssSelector("a.replay"))).isEmpty();
        open("/console/departments");
        assertThat(browser.findElements(By.cssSelector("button.enable"))).isEmpty();
        open("/console/dead-letters/upstream/any/replay");
        assertThat(browser.findElement(By.id("refusal")).getText()).contains("仅管理员");
        shoot("10-viewer-refused");
        open("/console/departments");
        String token = browser.findElement(By.cssSelector("input[name=_csrf]")).getAttribute("value");
        ((JavascriptExecutor) browser).executeScript(
                "const f = document.createElement('form'); f.method = 'post'; f.action = '/console/departments/" + GONE + "/enable';"
                        + "const t = document.createElement('input'); t.name = '_csrf'; t.value = arguments[0]; f.appendChild(t);"
                        + "document.body.appendChild(f); f.submit();", token);
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("refusal")));
        assertThat(browser.findElement(By.id("refusal")).getText()).as("even with the session's token").contains("仅管理员");
    }

    @Test
    @Order(11)
    void a_persons_record_is_found_by_the_id_number_and_its_timeline_shows_the_delivery_to_a_department() throws IOException {
        signIn(TestGateway.OPERATOR_KEY);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            open("/console/records");
            browser.findElement(By.id("code")).sendKeys(COURT_PERSON);
            browser.findElement(By.cssSelector("#subject-form button[type=submit]")).click();
            waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("subject-records")));
            assertThat(browser.findElements(By.cssSelector("#subject-records li.step-fanout[data-department='" + HEALTHY + "']")))
                    .as("the listing and the exit delivered to " + HEALTHY).hasSizeGreaterThanOrEqualTo(2);
        });
        assertThat(browser.findElement(By.id("subject")).getText()).isEqualTo("511903********3255");
        assertThat(browser.findElement(By.id("code")).getAttribute("value")).isEqualTo("511903********3255");
        WebElement record = browser.findElement(By.cssSelector("#subject-records details.record"));
        assertThat(record.findElement(By.cssSelector("summary")).getText()).contains("COURT_DEFAULTER").contains("EXITED");
        String timeline = record.findElement(By.cssSelector("ol.timeline")).getText();
        assertThat(timeline).contains("接收").contains("去重").contains("分发至部门");
        assertThat(record.findElement(By.cssSelector("li.step-fanout[data-department='" + HEALTHY + "']")).getText())
                .contains("list.entry.listed").contains("DELIVERED");
        List<String> steps = record.findElements(By.cssSelector("ol.timeline li code")).stream().map(WebElement::getText).toList();
        assertThat(steps.indexOf("received")).as("received before the delivery").isLessThan(steps.indexOf("fanout"));
        shoot("11-records-subject");
    }

    @Test
    @Order(12)
    void a_receipt_is_found_by_department_and_read_with_its_rejections() throws IOException {
        open("/console/receipts?dept=XZSPJ");
        WebElement link = browser.findElement(By.cssSelector("#receipts td.id a"));
        assertThat(browser.findElements(By.cssSelector("#receipts tbody tr"))).hasSize(1);
        shoot("12-receipts");
        link.click();
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("receipt")));
        assertThat(browser.findElement(By.id("accepted")).getText()).isEqualTo("34");
        assertThat(browser.findElement(By.id("rejected")).getText()).isEqualTo("6");
        assertThat(browser.findElements(By.cssSelector("#rejections tbody tr"))).hasSize(6);
        shoot("12-receipt");
        open("/console/receipts?dept=XZSPJ&status=clean");
        assertThat(browser.findElement(By.id("receipts")).getText()).doesNotContain("XZSPJ");
    }

    @Test
    @Order(13)
    void a_sample_file_is_checked_against_a_mapping_without_sending_anything() throws IOException {
        int atTheProvince = PROVINCE.records().size();
        open("/console/mappings");
        assertThat(browser.findElement(By.id("mappings")).getText()).contains("xzspj-licences");
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("mapping"))).selectByValue("xzspj-licences");
        browser.findElement(By.id("sample")).sendKeys(Path.of("samples/feeds/rest/xzspj/licences-001.json").toAbsolutePath().toString());
        browser.findElement(By.cssSelector("#mapping-check button[type=submit]")).click();
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("check-result")));
        assertThat(browser.findElement(By.id("check-accepted")).getText()).isEqualTo("34");
        assertThat(browser.findElement(By.id("check-rejected")).getText()).isEqualTo("6");
        assertThat(browser.findElements(By.cssSelector("#check-records tbody tr"))).hasSize(20);
        shoot("13-mappings-check");
        assertThat(PROVINCE.records()).hasSize(atTheProvince);
    }

    /** The rows of the initiations table: department and subject of each. */
    List<String> initiationRows() {
        return browser.findElements(By.cssSelector("#initiations tr[data-initiation]")).stream()
                .map(r -> r.getAttribute("data-department") + " " + r.findElement(By.cssSelector("span.subject")).getText()).sorted().toList();
    }

    void filterInitiations(String overdue, String department) {
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("overdue"))).selectByValue(overdue);
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("dept"))).selectByValue(department);
        browser.findElement(By.cssSelector("#initiation-filters button[type=submit]")).click();
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("initiations")));
    }

    @Test
    @Order(14)
    void the_overdue_filter_shows_the_initiations_nobody_answered_once_their_deadline_has_passed() throws IOException {
        signIn(TestGateway.OPERATOR_KEY);
        open("/console/measures");
        assertThat(initiationRows()).as("the court's listings initiated at both departments; the person's were cancelled by the exit")
                .containsExactlyInAnyOrder(HEALTHY + " " + COURT_ORG, GONE + " " + COURT_ORG,
                        HEALTHY + " 511903********3255", GONE + " 511903********3255");
        filterInitiations("response", "");
        assertThat(initiationRows()).as("nothing is overdue yet").isEmpty();

        CLOCK.advance(Duration.ofDays(10)); // more than the three working days to respond, whatever the weekday
        signIn(TestGateway.OPERATOR_KEY);   // the session has been idle for ten days
        open("/console/measures");
        filterInitiations("response", "");
        assertThat(initiationRows()).containsExactly(HEALTHY + " " + COURT_ORG, GONE + " " + COURT_ORG);
        assertThat(browser.findElements(By.cssSelector("#initiations tr.overdue strong.response-overdue"))).hasSize(2);
        shoot("14-measures-overdue");
        filterInitiations("response", HEALTHY);
        assertThat(initiationRows()).containsExactly(HEALTHY + " " + COURT_ORG);
        filterInitiations("feedback", "");
        assertThat(initiationRows()).as("fifteen working days to give feedback have not passed").isEmpty();
        open("/console/measures?lang=en");
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Joint measures · initiations and objections");
        open("/console/measures?lang=zh_CN");
    }

    @Test
    @Order(15)
    void a_subjects_list_history_shows_the_exit_and_a_list_type_is_browsed_by_status() throws IOException {
        // ten days have passed (the clock moved in the test before): the fan-out's delivery log would have
        // forgotten the listing and the exit after its 7 days; the history comes from the entry's state
        hazelcast.getMap(cn.bazhong.credit.gateway.fanout.DeliveryLog.MAP).clear();
        LocalDate weekAgo = LocalDate.now(CLOCK).minusDays(7);
        open("/console/lists");
        browser.findElement(By.id("code")).sendKeys(COURT_PERSON);
        browser.findElement(By.cssSelector("#lookup button[type=submit]")).click();
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("history")));
        WebElement exited = browser.findElement(By.cssSelector("#history tr[data-status='EXITED']"));
        assertThat(exited.findElement(By.cssSelector("td.exit span.exit-reason")).getText()).isNotBlank();
        assertThat(exited.getText()).contains("COURT_DEFAULTER").contains("list.entry.listed").contains("list.entry.exited").contains("列入");
        assertThat(exited.findElements(By.cssSelector("ol.changes li")).stream().map(WebElement::getText).toList())
                .as("listed, then exited, both more than 7 days ago").hasSize(2)
                .allSatisfy(change -> assertThat(LocalDate.parse(change.substring(0, 10))).isBefore(weekAgo));
        shoot("15-lists-history");

        open("/console/lists?listType=COURT_DEFAULTER&status=ACTIVE");
        assertThat(browser.findElements(By.cssSelector("#browse span.subject")).stream().map(WebElement::getText).toList())
                .containsExactly(COURT_ORG);
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("status"))).selectByValue("EXITED");
        browser.findElement(By.cssSelector("#browse-form button[type=submit]")).click();
        waiting().until(ExpectedConditions.urlContains("status=EXITED"));
        assertThat(browser.findElements(By.cssSelector("#browse span.subject")).stream().map(WebElement::getText).toList())
                .containsExactly("511903********3255");
        shoot("15-lists-browse");
    }

    @Test
    @Order(16)
    void an_admin_upholds_a_pending_objection_after_a_confirmation_and_the_organisation_leaves_the_list() throws IOException {
        String recordId = Http.get(url("/api/v1/subjects/" + COURT_ORG + "/measures"), TestGateway.OPERATOR_KEY).json()
                .path("entries").get(0).path("recordId").asText();
        Http.Response filed = Http.post(url("/api/v1/subjects/" + COURT_ORG + "/entries/" + URLEncoder.encode(recordId, StandardCharsets.UTF_8)
                + "/objections"), TestGateway.OPERATOR_KEY, "{\"reason\": \"案款已全部执行到位\"}".getBytes(StandardCharsets.UTF_8),
                "Content-Type", "application/json");
        assertThat(filed.status()).as(filed.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(60)).until(() ->
                Http.get(url("/api/v1/objections"), TestGateway.OPERATOR_KEY).json().path("objections").size() == 1);

        open("/console/measures");
        WebElement row = browser.findElement(By.cssSelector("#objections tbody tr"));
        assertThat(row.getText()).contains(recordId).contains("案款已全部执行到位");
        row.findElement(By.cssSelector("a.decide")).click();
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("decide-form")));
        assertThat(browser.findElement(By.id("objection")).getText()).contains(recordId);
        shoot("16-objection-decide");
        browser.findElement(By.id("outcome-UPHELD")).click();
        browser.findElement(By.id("decision-reason")).sendKeys("执行法院确认已履行");
        assertThat(Http.get(url("/api/v1/objections"), TestGateway.OPERATOR_KEY).json().path("objections"))
                .as("nothing is decided before the confirmation").hasSize(1);
        browser.findElement(By.id("confirm")).click();
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("result")));
        assertThat(browser.findElement(By.id("result")).getText()).contains("移出名单").contains("DECISION-");
        await().atMost(Duration.ofSeconds(60)).until(() ->
                Http.get(url("/api/v1/subjects/" + COURT_ORG + "/measures"), TestGateway.OPERATOR_KEY).json().path("entries").isEmpty());
        assertThat(Http.get(url("/api/v1/objections"), TestGateway.OPERATOR_KEY).json().path("objections")).isEmpty();
        open("/console/measures");
        assertThat(browser.findElements(By.cssSelector("#objections a.decide"))).isEmpty();
        shoot("16-objection-decided");

        assertThat(accessLog.flush(Duration.ofSeconds(30))).isTrue();
        assertThat(accessLogQuery.find(java.time.Instant.EPOCH, java.time.Instant.now().plus(Duration.ofDays(30)),
                e -> e.endpoint().equals(ConsoleAudit.PREFIX + ObjectionDecisionsController.ENDPOINT), 10).entries())
                .singleElement().satisfies(e -> {
                    assertThat(e.caller()).isEqualTo("ops");
                    assertThat(e.status()).isEqualTo(200);
                    assertThat(e.target()).contains("outcome=UPHELD").contains("receipt=DECISION-");
                });
    }

    @Test
    @Order(20)
    void no_page_shown_holds_a_full_id_number() {
        assertThat(PAGES).hasSizeGreaterThanOrEqualTo(22);
        List<String> found = new ArrayList<>();
        PAGES.forEach((name, html) -> {
            Matcher m = ID_LIKE.matcher(html);
            while (m.find()) {
                if (IdNumber.check(m.group(), LocalDate.now()).isOk()) {
                    found.add(name + ": " + m.group());
                }
            }
            if (html.contains(COURT_PERSON)) {
                found.add(name + ": " + COURT_PERSON);
            }
        });
        assertThat(found).isEmpty();
        assertThat(PAGES.get("02-lists-lookup")).contains("511903********3255");
    }
}
