package cn.bazhong.credit.gateway.bench;

import cn.bazhong.credit.gateway.validation.IdNumber;
import cn.bazhong.credit.gateway.validation.OrgCode;
import cn.bazhong.credit.gateway.validation.Rule;
import cn.bazhong.credit.gateway.validation.Uscc;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;

/**
 * Writes a synthetic SCJGJ penalty file (行政处罚, {@code XZCF_*.csv}) in exactly the department's
 * format: the 23-column Chinese header of the real export, GBK, CRLF line ends, RFC 4180 quoting
 * only where a field needs it. Values look like the real feed: organisations, 个体工商户 (credit
 * codes starting 92) and natural persons, credit codes and ID numbers with correct check
 * characters, several penalty kinds joined with {@code ；}, amounts in 元, dates {@code yyyy/MM/dd}
 * with some rows in older styles.
 *
 * <p>A few percent of the rows are dirty on purpose, and the generator counts what the mapping
 * must make of them (see {@link Dirt}): a quoted 违法事实 holding a comma, a double quote and a
 * line break, a code written in full-width characters (both accepted after normalisation), and a
 * wrong check character (rejected). Output depends only on the record count and the seed.
 *
 * <p>Command line: {@code ScjgjCsvGenerator <file> [records] [seed]}.
 */
public final class ScjgjCsvGenerator {

    public static final Charset GBK = Charset.forName("GBK");
    public static final int DEFAULT_RECORDS = 1_000_000;
    public static final long DEFAULT_SEED = 20_261_127L;
    /** Bump when the output for a given (records, seed) changes, so stale benchmark files are regenerated. */
    public static final int FORMAT_VERSION = 1;

    /** The header of the real export, column for column. */
    public static final List<String> HEADER = List.of(
            "行政相对人名称", "行政相对人类别", "统一社会信用代码", "法定代表人", "法定代表人证件类型", "法定代表人证件号码",
            "证件类型", "证件号码", "行政处罚决定书文号", "违法行为类型", "违法事实", "处罚依据", "处罚类别", "处罚内容",
            "罚款金额（元）", "没收违法所得金额（元）", "暂扣或吊销证照名称及编号", "处罚决定日期", "处罚有效期", "公示截止期",
            "处罚机关", "处罚机关统一社会信用代码", "备注");

    /** The date the generated decisions are at most; the mapping's clock must not be earlier. */
    public static final LocalDate LATEST_DECISION = LocalDate.of(2025, 12, 31);
    private static final LocalDate EARLIEST_DECISION = LocalDate.of(2019, 1, 1);

    /** The kind of party a row is about. */
    public enum Subject {
        ORGANISATION("法人及非法人组织"),
        INDIVIDUAL_BUSINESS("个体工商户"),
        PERSON("自然人");

        final String category;

        Subject(String category) {
            this.category = category;
        }
    }

    /** What is deliberately wrong with a row, and what the mapping has to make of it. */
    public enum Dirt {
        /** Nothing. Accepted. */
        NONE(null, null),
        /** 违法事实 holds a comma, double quotes and a CRLF line break, so it is quoted. Accepted. */
        QUOTED_MULTILINE(null, null),
        /** The subject's credit code or ID number is written in full-width characters. Accepted (normalised). */
        FULL_WIDTH_CODE(null, null),
        /** The subject's credit code has a wrong GB 32100 check character. Rejected. */
        BAD_USCC_CHECK(Rule.USCC_CHECK, "统一社会信用代码"),
        /** The legal representative's ID number has a wrong GB 11643 check character. Rejected. */
        BAD_LEGAL_REP_ID_CHECK(Rule.ID_CHECK, "法定代表人证件号码"),
        /** The person's ID number has a wrong GB 11643 check character. Rejected. */
        BAD_PERSON_ID_CHECK(Rule.ID_CHECK, "证件号码");

        /** The rule of the first violation the mapping reports, or null when the row is accepted. */
        public final Rule rule;
        /** The source column the first violation names, or null when the row is accepted. */
        public final String field;

        Dirt(Rule rule, String field) {
            this.rule = rule;
            this.field = field;
        }

        public boolean rejected() {
            return rule != null;
        }
    }

    /** What was written and what the mapping is expected to make of it. */
    public record Summary(long records, long seed, int formatVersion, long lines, long bytes,
                          Map<Subject, Long> subjects, Map<Dirt, Long> dirt, long olderDateStyles) {

        public long expectedRejected() {
            return dirt.entrySet().stream().filter(e -> e.getKey().rejected()).mapToLong(Map.Entry::getValue).sum();
        }

        public long expectedAccepted() {
            return records - expectedRejected();
        }

        public long dirty() {
            return records - dirt.getOrDefault(Dirt.NONE, 0L);
        }

        Properties toProperties() {
            Properties p = new Properties();
            p.setProperty("records", Long.toString(records));
            p.setProperty("seed", Long.toString(seed));
            p.setProperty("formatVersion", Integer.toString(formatVersion));
            p.setProperty("lines", Long.toString(lines));
            p.setProperty("bytes", Long.toString(bytes));
            p.setProperty("olderDateStyles", Long.toString(olderDateStyles));
            subjects.forEach((k, v) -> p.setProperty("subject." + k.name(), Long.toString(v)));
            dirt.forEach((k, v) -> p.setProperty("dirt." + k.name(), Long.toString(v)));
            return p;
        }

        static Summary fromProperties(Properties p) {
            Map<Subject, Long> subjects = new EnumMap<>(Subject.class);
            for (Subject s : Subject.values()) {
                subjects.put(s, Long.parseLong(p.getProperty("subject." + s.name(), "0")));
            }
            Map<Dirt, Long> dirt = new EnumMap<>(Dirt.class);
            for (Dirt d : Dirt.values()) {
                dirt.put(d, Long.parseLong(p.getProperty("dirt." + d.name(), "0")));
            }
            return new Summary(Long.parseLong(p.getProperty("records")), Long.parseLong(p.getProperty("seed")),
                    Integer.parseInt(p.getProperty("formatVersion")), Long.parseLong(p.getProperty("lines")),
                    Long.parseLong(p.getProperty("bytes")), subjects, dirt,
                    Long.parseLong(p.getProperty("olderDateStyles")));
        }
    }

    // ---- value pools ---------------------------------------------------------------------------

    private static final String USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    private static final String DIGITS = "0123456789";
    private static final String ID_CHECKS = "10X98765432";
    private static final String[] REGIONS = {"511902", "511903", "511921", "511922", "511923", "511900"};
    private static final String[] DISTRICTS = {"巴州区", "恩阳区", "通江县", "南江县", "平昌县"};
    private static final String[] ID_REGIONS = {"511902", "511903", "511921", "511922", "511923", "513701", "510106", "500233"};
    private static final String[] SURNAMES = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高",
        "林", "何", "郭", "马", "罗", "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于", "董", "萧", "程", "曹", "袁", "邓", "许",
        "傅", "沈", "曾", "彭", "吕", "苏", "卢", "蒋", "蔡", "贾", "丁", "魏", "薛", "叶", "阎", "余", "潘", "杜", "戴", "夏",
        "钟", "汪", "田", "任", "姜", "范", "方", "石", "姚", "谭", "廖", "邹", "熊", "金", "陆", "郝", "孔", "白", "崔", "康",
        "毛", "邱", "秦", "江", "史", "顾", "侯", "邵", "孟", "龙", "万", "段", "漕", "钱", "汤", "尹", "黎", "易", "常", "武",
        "乔", "贺", "赖", "龚", "文"};
    private static final String[] GIVEN = {"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟",
        "涛", "明", "超", "秀", "霞", "平", "刚", "桂", "英", "华", "玉", "兰", "萍", "建", "国", "志", "红", "林", "成",
        "荣", "斌", "波", "辉", "宇", "浩", "鹏", "婷", "雪", "琳", "晨", "欣", "怡", "俊", "文", "海", "峰"};
    private static final String[] TRADE_NAMES = {"天府", "米仓", "光雾山", "巴山", "秦巴", "川陕", "红军", "恒通", "华信",
        "兴达", "宏远", "金桥", "瑞丰", "嘉禾", "蜀道", "银耳", "绿野", "通江", "平昌", "恩阳", "诺水", "龙湖", "翠屏", "云顶"};
    private static final String[] INDUSTRIES = {"食品", "药业", "商贸", "建筑工程", "运输", "物流", "医疗器械", "茶业", "矿业",
        "环保科技", "农业开发", "餐饮管理", "酒业", "建材", "电子科技", "旅游开发"};
    private static final String[] COMPANY_FORMS = {"有限公司", "有限责任公司", "股份有限公司"};
    private static final String[] SHOPS = {"五金店", "副食店", "餐馆", "便利店", "小吃店", "药房", "农资店", "烟酒店",
        "服装店", "理发店", "修理部", "水果店"};
    private static final String[] STREETS = {"江北大道", "回风路", "兴文大道", "望王山路", "巴人广场路", "白马路", "诺江路",
        "光雾山大道", "江口路", "南池路"};

    /** 违法行为类型, the base of its 违法事实, and 处罚依据. */
    private static final String[][] VIOLATIONS = {
        {"无照经营", "当事人未依法取得营业执照从事经营活动", "《无证无照经营查处办法》第十三条"},
        {"产品质量", "当事人生产不符合保障人体健康标准的产品", "《中华人民共和国产品质量法》第四十九条"},
        {"价格违法", "当事人不执行政府指导价", "《中华人民共和国价格法》第三十九条"},
        {"广告违法", "当事人发布虚假广告", "《中华人民共和国广告法》第五十五条"},
        {"食品安全", "当事人经营超过保质期的食品", "《中华人民共和国食品安全法》第一百二十四条"},
        {"特种设备", "当事人使用未经定期检验的特种设备", "《中华人民共和国特种设备安全法》第八十四条"},
        {"计量违法", "当事人使用不合格的计量器具", "《中华人民共和国计量法实施细则》第四十三条"},
        {"商标侵权", "当事人销售侵犯注册商标专用权的商品", "《中华人民共和国商标法》第六十条"},
    };

    /** 处罚类别 values with a relative weight; 罚款 dominates as in the real feed. */
    private static final String[] KINDS = {"罚款", "警告", "没收违法所得", "责令停产停业", "没收非法财物", "暂扣许可证件",
        "吊销许可证件", "通报批评"};
    private static final int[] KIND_WEIGHTS = {40, 20, 15, 10, 5, 4, 3, 3};
    private static final int[] FINES = {500, 1000, 2000, 3000, 5000, 6200, 10000, 20000, 30000, 50000, 80000, 100000,
        120000, 200000, 500000};
    private static final String[] REMARKS = {"当事人已缴纳罚款", "已履行", "当事人已整改到位", "涉案物品已依法处置", "依法从轻处罚"};

    /** 处罚机关 and its credit code; the first is the city bureau of the real sample. */
    private static final String[][] AUTHORITIES = authorities();

    // ---- writing -------------------------------------------------------------------------------

    private ScjgjCsvGenerator() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: ScjgjCsvGenerator <file> [records] [seed]");
            System.exit(2);
        }
        Path file = Path.of(args[0]);
        int records = args.length > 1 ? Integer.parseInt(args[1]) : DEFAULT_RECORDS;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : DEFAULT_SEED;
        Summary s = write(file, records, seed);
        System.out.println("wrote " + file + ": " + s);
    }

    /** The summary written next to a generated file, or null when there is none. */
    public static Summary readSummary(Path file) throws IOException {
        Path sidecar = summaryFile(file);
        if (!Files.isRegularFile(sidecar) || !Files.isRegularFile(file)) {
            return null;
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(sidecar)) {
            p.load(in);
        }
        return Summary.fromProperties(p);
    }

    public static Path summaryFile(Path file) {
        return file.resolveSibling(file.getFileName() + ".summary");
    }

    /**
     * Writes {@code records} rows (plus the header) to {@code file}, through a temporary file so a
     * half-written file is never mistaken for a complete one, then a {@code .summary} next to it.
     */
    public static Summary write(Path file, int records, long seed) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve(file.getFileName() + ".tmp");
        Summary summary;
        try (OutputStream out = Files.newOutputStream(tmp);
             // A fresh encoder reports unmappable characters: every value must really be GBK.
             Writer w = new BufferedWriter(new OutputStreamWriter(out, GBK.newEncoder()), 1 << 16)) {
            summary = new Rows(new Random(seed), records, seed).writeTo(w);
        }
        long bytes = Files.size(tmp);
        summary = new Summary(summary.records(), seed, FORMAT_VERSION, summary.lines(), bytes, summary.subjects(),
                summary.dirt(), summary.olderDateStyles());
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        try (OutputStream out = Files.newOutputStream(summaryFile(file))) {
            summary.toProperties().store(out, "ScjgjCsvGenerator output summary");
        }
        return summary;
    }

    /** One generation run: the random source and the counters. */
    private static final class Rows {
        private final Random random;
        private final int records;
        private final long seed;
        private final Map<Subject, Long> subjects = new EnumMap<>(Subject.class);
        private final Map<Dirt, Long> dirt = new EnumMap<>(Dirt.class);
        private final String[] fields = new String[HEADER.size()];
        private final StringBuilder line = new StringBuilder(1024);
        private final List<String> kinds = new ArrayList<>(4);
        private long lines;
        private long olderDateStyles;

        Rows(Random random, int records, long seed) {
            this.random = random;
            this.records = records;
            this.seed = seed;
            for (Subject s : Subject.values()) {
                subjects.put(s, 0L);
            }
            for (Dirt d : Dirt.values()) {
                dirt.put(d, 0L);
            }
        }

        Summary writeTo(Writer w) throws IOException {
            writeLine(w, HEADER.toArray(String[]::new));
            for (int i = 0; i < records; i++) {
                row(i);
                writeLine(w, fields);
            }
            return new Summary(records, seed, FORMAT_VERSION, lines, -1, subjects, dirt, olderDateStyles);
        }

        private void writeLine(Writer w, String[] values) throws IOException {
            line.setLength(0);
            for (int i = 0; i < values.length; i++) {
                if (i > 0) {
                    line.append(',');
                }
                appendField(line, values[i]);
            }
            line.append("\r\n");
            lines++;
            for (int i = 0; i < line.length() - 2; i++) {
                if (line.charAt(i) == '\n') {
                    lines++; // a line break inside a quoted field
                }
            }
            w.append(line);
        }

        private void row(int index) {
            java.util.Arrays.fill(fields, "");
            Subject subject = pickSubject();
            subjects.merge(subject, 1L, Long::sum);
            Dirt d = pickDirt(subject);
            dirt.merge(d, 1L, Long::sum);

            String district = DISTRICTS[random.nextInt(DISTRICTS.length)];
            switch (subject) {
                case ORGANISATION -> {
                    fields[0] = "巴中市" + pick(TRADE_NAMES) + pick(TRADE_NAMES) + pick(INDUSTRIES) + pick(COMPANY_FORMS);
                    fields[2] = organisationUscc();
                    legalRep();
                }
                case INDIVIDUAL_BUSINESS -> {
                    String operator = personName();
                    fields[0] = district + operator + pick(SHOPS);
                    fields[2] = uscc("92" + pick(REGIONS) + "MA" + chars(USCC_CHARS, 6));
                    fields[3] = operator;
                    fields[4] = "身份证";
                    fields[5] = idNumber();
                }
                case PERSON -> {
                    fields[0] = personName();
                    fields[6] = "身份证";
                    fields[7] = idNumber();
                }
            }
            fields[1] = subject.category;

            LocalDate decided = EARLIEST_DECISION.plusDays(
                    random.nextInt((int) (LATEST_DECISION.toEpochDay() - EARLIEST_DECISION.toEpochDay()) + 1));
            String[] authority = AUTHORITIES[random.nextInt(10) < 5 ? 0 : 1 + random.nextInt(AUTHORITIES.length - 1)];
            fields[8] = authority[2] + "〔" + decided.getYear() + "〕" + (1000 + index) + "号";

            String[] violation = VIOLATIONS[random.nextInt(VIOLATIONS.length)];
            fields[9] = violation[0];
            fields[10] = facts(decided, district, violation[1], d == Dirt.QUOTED_MULTILINE);
            fields[11] = violation[2];
            penalty(violation[0]);

            int style = random.nextInt(100);
            if (style >= 94) {
                olderDateStyles++;
            }
            fields[17] = date(decided, style);
            LocalDate until = decided.plusYears(3).minusDays(random.nextInt(4) == 0 ? 0 : 1);
            fields[18] = date(until, style);
            fields[19] = date(until, style);
            fields[20] = authority[0];
            fields[21] = authority[1];
            if (random.nextInt(100) < 6) {
                fields[22] = pick(REMARKS);
            }
            applyDirt(d, subject);
        }

        private Subject pickSubject() {
            int r = random.nextInt(100);
            return r < 60 ? Subject.ORGANISATION : r < 80 ? Subject.INDIVIDUAL_BUSINESS : Subject.PERSON;
        }

        /** About 5% dirty rows: 2% quoted multi-line, 1.5% full-width codes, 1.5% wrong check characters. */
        private Dirt pickDirt(Subject subject) {
            int r = random.nextInt(1000);
            if (r < 20) {
                return Dirt.QUOTED_MULTILINE;
            }
            if (r < 35) {
                return Dirt.FULL_WIDTH_CODE;
            }
            if (r < 50) {
                if (subject == Subject.PERSON) {
                    return Dirt.BAD_PERSON_ID_CHECK;
                }
                return random.nextInt(3) == 0 ? Dirt.BAD_LEGAL_REP_ID_CHECK : Dirt.BAD_USCC_CHECK;
            }
            return Dirt.NONE;
        }

        private void applyDirt(Dirt d, Subject subject) {
            switch (d) {
                case NONE, QUOTED_MULTILINE -> {
                }
                case FULL_WIDTH_CODE -> {
                    int column = subject == Subject.PERSON ? 7 : 2;
                    fields[column] = fullWidth(fields[column]);
                }
                case BAD_USCC_CHECK -> fields[2] = wrongLast(fields[2], USCC_CHARS);
                case BAD_LEGAL_REP_ID_CHECK -> fields[5] = wrongLast(fields[5], ID_CHECKS);
                case BAD_PERSON_ID_CHECK -> fields[7] = wrongLast(fields[7], ID_CHECKS);
            }
        }

        private String organisationUscc() {
            int r = random.nextInt(100);
            String prefix = r < 85 ? "91" : r < 92 ? "93" : r < 96 ? "52" : "12";
            // New registrations carry MA…, older ones the former organisation code (mostly digits).
            String body = random.nextInt(10) < 6 ? "MA" + chars(USCC_CHARS, 6)
                    : chars(DIGITS, 4) + chars(USCC_CHARS, 4);
            return uscc(prefix + pick(REGIONS) + body);
        }

        private void legalRep() {
            fields[3] = personName();
            fields[4] = "身份证";
            fields[5] = idNumber();
        }

        private String personName() {
            StringBuilder n = new StringBuilder(3).append(pick(SURNAMES)).append(pick(GIVEN));
            if (random.nextInt(10) < 6) {
                n.append(pick(GIVEN));
            }
            return n.toString();
        }

        private String idNumber() {
            LocalDate birth = LocalDate.of(1950, 1, 1).plusDays(random.nextInt(365 * 54));
            StringBuilder id = new StringBuilder(18).append(pick(ID_REGIONS)).append(birth.getYear());
            pad2(id, birth.getMonthValue());
            pad2(id, birth.getDayOfMonth());
            id.append(chars(DIGITS, 3));
            return id.append(IdNumber.checkChar(id.toString())).toString();
        }

        private String facts(LocalDate decided, String district, String base, boolean multiline) {
            LocalDate inspected = decided.minusDays(10 + random.nextInt(80));
            StringBuilder f = new StringBuilder(160)
                    .append(inspected.getYear()).append('年').append(inspected.getMonthValue()).append('月')
                    .append(inspected.getDayOfMonth()).append("日，执法人员依法对当事人位于巴中市").append(district)
                    .append(pick(STREETS)).append(1 + random.nextInt(300)).append("号的经营场所进行检查，发现")
                    .append(base).append("，经查证属实。");
            if (multiline) {
                int goods = 10 + random.nextInt(900);
                f.append("\r\n现场检查笔录记载：货值金额").append(goods).append(",").append(100 + random.nextInt(900))
                        .append("元,涉案产品\"").append(pick(TRADE_NAMES)).append("牌\"").append(goods % 50 + 1)
                        .append("件。");
            }
            return f.toString();
        }

        /** 处罚类别, 处罚内容 and the amounts that go with them. */
        private void penalty(String violationType) {
            kinds.clear();
            int count = 1 + (random.nextInt(10) < 5 ? 1 : 0) + (random.nextInt(10) < 1 ? 1 : 0);
            while (kinds.size() < count) {
                String k = weightedKind();
                if (!kinds.contains(k)) {
                    kinds.add(k);
                }
            }
            fields[12] = String.join(random.nextInt(10) == 0 ? "、" : "；", kinds);
            long fineFen = 0;
            StringBuilder content = new StringBuilder(48);
            for (String k : kinds) {
                if (content.length() > 0) {
                    content.append('、');
                }
                if (k.equals("罚款")) {
                    fineFen = random.nextInt(10) < 7 ? FINES[random.nextInt(FINES.length)] * 100L
                            : (2 + random.nextInt(3000)) * 10_000L + (random.nextInt(4) == 0 ? 50 : 0);
                    content.append("罚款人民币").append(yuan(fineFen, false)).append('元');
                } else {
                    content.append(k);
                }
            }
            fields[13] = content.toString();
            if (fineFen > 0) {
                fields[14] = yuan(fineFen, true);
            }
            if (kinds.contains("没收违法所得")) {
                fields[15] = yuan((50 + random.nextInt(20_000)) * 10L * (random.nextInt(3) == 0 ? 10 : 1), true);
            }
            if (kinds.contains("暂扣许可证件") || kinds.contains("吊销许可证件")) {
                String licence = violationType.equals("食品安全") ? "食品经营许可证" : "营业执照";
                fields[16] = licence + "（JY" + chars(DIGITS, 14) + "）";
            }
        }

        private String weightedKind() {
            int r = random.nextInt(100);
            for (int i = 0; i < KINDS.length; i++) {
                r -= KIND_WEIGHTS[i];
                if (r < 0) {
                    return KINDS[i];
                }
            }
            return KINDS[0];
        }

        /** 94% yyyy/MM/dd; the rest in the older styles the contract mentions. */
        private static String date(LocalDate d, int style) {
            StringBuilder s = new StringBuilder(12);
            if (style < 94) {
                s.append(d.getYear()).append('/');
                pad2(s, d.getMonthValue());
                s.append('/');
                pad2(s, d.getDayOfMonth());
            } else if (style < 96) {
                s.append(d.getYear()).append('-').append(d.getMonthValue()).append('-').append(d.getDayOfMonth());
            } else if (style < 98) {
                s.append(d.getYear()).append('年').append(d.getMonthValue()).append('月').append(d.getDayOfMonth()).append('日');
            } else {
                s.append(d.getYear());
                pad2(s, d.getMonthValue());
                pad2(s, d.getDayOfMonth());
            }
            return s.toString();
        }

        private String chars(String from, int n) {
            char[] c = new char[n];
            for (int i = 0; i < n; i++) {
                c[i] = from.charAt(random.nextInt(from.length()));
            }
            return new String(c);
        }

        private String pick(String[] values) {
            return values[random.nextInt(values.length)];
        }

        /** Replaces the last character by another one from {@code alphabet}, so the check fails. */
        private String wrongLast(String code, String alphabet) {
            char right = code.charAt(code.length() - 1);
            char wrong;
            do {
                wrong = alphabet.charAt(random.nextInt(alphabet.length()));
            } while (wrong == right);
            return code.substring(0, code.length() - 1) + wrong;
        }
    }

    // ---- helpers -------------------------------------------------------------------------------

    /** Completes 8 characters of body after the 8-character prefix into a valid 18-character credit code. */
    static String uscc(String first16) {
        if (first16.length() != 16) {
            throw new IllegalArgumentException(first16);
        }
        String first17 = first16 + OrgCode.checkChar(first16.substring(8));
        return first17 + Uscc.checkChar(first17);
    }

    private static String[][] authorities() {
        String[][] a = new String[DISTRICTS.length + 1][];
        a[0] = new String[] {"巴中市市场监督管理局", "11511900MB1510010D", "巴市监处罚"};
        String[] regions = {"511902", "511903", "511921", "511922", "511923"};
        String[] names = {"巴中市巴州区市场监督管理局", "巴中市恩阳区市场监督管理局", "通江县市场监督管理局", "南江县市场监督管理局",
            "平昌县市场监督管理局"};
        String[] prefixes = {"巴州市监罚", "恩阳市监罚", "通江市监罚", "南江市监罚", "平昌市监罚"};
        for (int i = 0; i < regions.length; i++) {
            a[i + 1] = new String[] {names[i], uscc("11" + regions[i] + "MB" + regions[i].substring(3) + "001"), prefixes[i]};
        }
        return a;
    }

    /** RFC 4180: quote a field that holds the delimiter, a quote or a line break; double inner quotes. */
    static void appendField(StringBuilder out, String value) {
        boolean quote = false;
        for (int i = 0; i < value.length() && !quote; i++) {
            char c = value.charAt(i);
            quote = c == ',' || c == '"' || c == '\r' || c == '\n';
        }
        if (!quote) {
            out.append(value);
            return;
        }
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"') {
                out.append('"');
            }
            out.append(c);
        }
        out.append('"');
    }

    /** ASCII digits and letters to their full-width forms (０-９, Ａ-Ｚ), as some exports write codes. */
    static String fullWidth(String s) {
        char[] c = s.toCharArray();
        for (int i = 0; i < c.length; i++) {
            if ((c[i] >= '0' && c[i] <= '9') || (c[i] >= 'A' && c[i] <= 'Z')) {
                c[i] = (char) (c[i] + 0xFEE0);
            }
        }
        return new String(c);
    }

    private static String yuan(long fen, boolean withCents) {
        long whole = fen / 100;
        int cents = (int) (fen % 100);
        if (!withCents && cents == 0) {
            return Long.toString(whole);
        }
        StringBuilder s = new StringBuilder(16).append(whole).append('.');
        pad2(s, cents);
        return s.toString();
    }

    private static void pad2(StringBuilder s, int n) {
        if (n < 10) {
            s.append('0');
        }
        s.append(n);
    }
}
