package cn.bazhong.credit.gateway.feeds;

import com.zaxxer.hikari.HikariDataSource;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One connection pool per database feed, closed with the gateway. A pool connects on first use (the
 * first poll on the node holding the feed's lease), so a disabled feed or a department database that is
 * down does not stop the gateway from starting: the poll fails, is logged, and the next one tries again.
 * Used by the {@code jdbc-feed} route template as a template bean:
 *
 * <pre>
 *   - name: feedDataSource
 *     type: "#class:cn.bazhong.credit.gateway.feeds.JdbcFeedDataSources"
 *     factoryMethod: pool
 * </pre>
 */
public class JdbcFeedDataSources implements AutoCloseable {

    private final Map<String, FeedPool> pools = new ConcurrentHashMap<>();

    /**
     * The pool of a feed, made on first call (template beans take static factory methods only). The
     * template sets the connection settings on it as bean properties ({@code jdbcUrl}, {@code username},
     * {@code password}, {@code maximumPoolSize}, {@code driverClass}): properties rather than factory
     * arguments, because a factory argument list is split at commas and drops empty values, which a
     * password or an unset driver class may well be.
     */
    public static FeedPool pool(JdbcFeedDataSources pools, String feed) {
        return pools.open(feed);
    }

    FeedPool open(String feed) {
        return pools.computeIfAbsent(feed, f -> {
            FeedPool pool = new FeedPool(); // starts on the first getConnection()
            pool.setPoolName("feed-" + feed);
            pool.setMaximumPoolSize(2);
            pool.setMinimumIdle(0);
            pool.setConnectionTimeout(15_000);
            pool.setInitializationFailTimeout(-1);
            return pool;
        });
    }

    /** A feed's pool: Hikari's, with a driver class that may be left empty (found from the URL). */
    public static final class FeedPool extends HikariDataSource {
        public void setDriverClass(String driverClass) {
            if (driverClass != null && !driverClass.isBlank()) {
                setDriverClassName(driverClass.strip());
            }
        }
    }

    @Override
    public void close() {
        pools.values().forEach(HikariDataSource::close);
        pools.clear();
    }
}
