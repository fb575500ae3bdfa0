package cn.bazhong.credit.gateway.feeds;

import cn.bazhong.credit.gateway.ingest.FeedIngestor;
import cn.bazhong.credit.gateway.ingest.FeedSource;
import cn.bazhong.credit.gateway.ingest.Receipt;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The pages of one database feed (called by the {@code jdbc-feed} route template, one instance per
 * feed): where the next page starts, and what is done with a page the route has read.
 *
 * <p>A page is mapped and its records made durable first ({@link FeedIngestor#ingestRows}: all of them
 * or an exception); only then does the feed move past it, by advancing its watermark
 * ({@link FeedWatermarks}) or, in the status-flag mode, by the route marking the page's rows taken.
 * A failure in between (Kafka unavailable, the gateway killed) leaves the page to be read again: its
 * records are then known to the deduplication and are not delivered twice.
 */
public final class JdbcFeedPages {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcFeedPages.class);

    /** Headers the route's queries read as named parameters. */
    public static final String FROM_TIME = "wmTime";
    public static final String FROM_KEY = "wmKey";
    public static final String TAKEN_KEYS = "takenKeys";
    /** Exchange property the route's page loop reads: whether the page was full (more may follow). */
    public static final String MORE = "morePages";
    private static final String FROM = "pageFrom";
    /** Where a feed that has read nothing starts: before any update time. */
    static final LocalDateTime START = LocalDateTime.of(1900, 1, 1, 0, 0);
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSSSSS");

    private final FeedIngestor ingestor;
    private final FeedWatermarks watermarks;
    private final String feed;
    private final String table;
    private final String keyColumn;
    private final boolean numericKey;
    private final String updatedColumn;
    private final int pageSize;
    private final long maxPageChars;

    private JdbcFeedPages(FeedIngestor ingestor, FeedWatermarks watermarks, String feed, String table, String keyColumn,
                          boolean numericKey, String updatedColumn, int pageSize, long maxPageChars) {
        this.ingestor = ingestor;
        this.watermarks = watermarks;
        this.feed = feed;
        this.table = table;
        this.keyColumn = keyColumn;
        this.numericKey = numericKey;
        this.updatedColumn = updatedColumn;
        this.pageSize = pageSize;
        this.maxPageChars = maxPageChars;
    }

    /** The pages of one feed (template beans take static factory methods only). */
    public static JdbcFeedPages of(FeedIngestor ingestor, FeedWatermarks watermarks, String feed, String table, String keyColumn,
                                   String keyType, String updatedColumn, int pageSize, long maxPageChars) {
        if (!"number".equals(keyType) && !"text".equals(keyType)) {
            throw new IllegalArgumentException("feed " + feed + ": keyType must be number or text, not " + keyType);
        }
        if (pageSize < 1) {
            throw new IllegalArgumentException("feed " + feed + ": page-size must be at least 1, not " + pageSize);
        }
        if (maxPageChars < 1) {
            throw new IllegalArgumentException("feed " + feed + ": maxPageChars must be at least 1, not " + maxPageChars);
        }
        return new JdbcFeedPages(ingestor, watermarks, feed, table, keyColumn, "number".equals(keyType), updatedColumn, pageSize, maxPageChars);
    }

    /** Watermark mode: sets the query's parameters to the row after which the next page starts. */
    public void startAfterWatermark(Exchange exchange) {
        Watermark from = watermarks.get(feed);
        exchange.setProperty(FROM, from);
        exchange.getIn().setHeader(FROM_TIME, Timestamp.valueOf(from == null ? START : from.updatedAt()));
        exchange.getIn().setHeader(FROM_KEY, from == null ? lowestKey() : typedKey(from.key()));
    }

    /**
     * Watermark mode: takes the page the route read (a list of column maps, in update-time and key
     * order), and when its records are durable, advances the watermark to its last row.
     */
    public void takeAfterWatermark(Exchange exchange) {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> read = exchange.getIn().getBody(List.class);
        if (read == null || read.isEmpty()) {
            exchange.setProperty(MORE, false);
            return;
        }
        List<Map<String, Object>> rows = withinBudget(read);
        Watermark from = exchange.getProperty(FROM, Watermark.class);
        Map<String, Object> lastRow = rows.get(rows.size() - 1);
        Watermark to = new Watermark(JdbcRows.time(JdbcRows.column(lastRow, updatedColumn), updatedColumn),
                JdbcRows.key(JdbcRows.column(lastRow, keyColumn), keyColumn));
        String start = from == null ? "start" : from.updatedAt().format(ID_TIME) + "-" + safe(from.key());
        String page = table + " rows after " + (from == null ? "the start" : from) + " to " + to;
        Receipt receipt = ingestor.ingestRows(FeedSource.page(feed, page, "JDBC-" + feed + "-" + start), JdbcRows.plain(rows));
        watermarks.advance(feed, to); // only now: the page's records are durable
        finish(exchange, rows, read.size(), receipt);
    }

    /**
     * The leading rows of a page whose text stays within {@code maxPageChars} (at least the first row, which
     * the mapping refuses by itself when it is larger than a record may be). The rows after them are not
     * taken: the feed does not move past them, and the next page starts with them.
     */
    private List<Map<String, Object>> withinBudget(List<Map<String, Object>> rows) {
        long total = 0;
        for (int i = 0; i < rows.size(); i++) {
            total += JdbcRows.chars(rows.get(i));
            if (total > maxPageChars && i > 0) {
                LOG.warn("feed {}: the page of {} rows holds more than {} characters of text (maxPageChars); taking its first {} rows,"
                        + " the next page starts after them", feed, rows.size(), maxPageChars, i);
                return rows.subList(0, i);
            }
        }
        return rows;
    }

    /**
     * Status-flag mode: takes the page the route read (rows still flagged new, in key order); when its
     * records are durable, hands the route their keys to flag them taken.
     */
    public void takeFlagged(Exchange exchange) {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> read = exchange.getIn().getBody(List.class);
        if (read == null || read.isEmpty()) {
            exchange.setProperty(MORE, false);
            exchange.getIn().setHeader(TAKEN_KEYS, List.of());
            return;
        }
        List<Map<String, Object>> rows = withinBudget(read);
        List<Object> keys = new ArrayList<>(rows.size());
        for (Map<String, Object> row : rows) {
            keys.add(JdbcRows.column(row, keyColumn));
        }
        String first = JdbcRows.key(keys.get(0), keyColumn);
        String last = JdbcRows.key(keys.get(keys.size() - 1), keyColumn);
        String page = table + " rows " + first + " to " + last;
        Receipt receipt = ingestor.ingestRows(FeedSource.page(feed, page, "JDBC-" + feed + "-" + safe(first) + "-" + safe(last)),
                JdbcRows.plain(rows));
        finish(exchange, rows, read.size(), receipt);
        exchange.getIn().setHeader(TAKEN_KEYS, keys);
    }

    private void finish(Exchange exchange, List<Map<String, Object>> rows, int read, Receipt receipt) {
        exchange.setProperty(MORE, rows.size() < read || rows.size() >= pageSize);
        exchange.getIn().setHeader("receiptId", receipt.receiptId());
        exchange.getIn().setBody(receipt);
        if (receipt.rejectedTotal() > 0) {
            LOG.warn("feed {}: {} of {} rows rejected, see receipt {}", feed, receipt.rejectedTotal(), rows.size(), receipt.receiptId());
        }
    }

    private Object lowestKey() {
        return numericKey ? Long.MIN_VALUE : "";
    }

    private Object typedKey(String key) {
        if (!numericKey) {
            return key;
        }
        BigDecimal n = new BigDecimal(key);
        try {
            return n.longValueExact();
        } catch (ArithmeticException e) {
            return n;
        }
    }

    private static String safe(String key) {
        return key.replaceAll("[^A-Za-z0-9_.-]", "_");
    }
}
