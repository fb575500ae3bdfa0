package cn.bazhong.credit.gateway.feeds;

import com.zaxxer.hikari.HikariDataSource;

import javax.sql.DataSource;
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

    private final Map<String, HikariDataSource> pools = new ConcurrentHashMap<>();

    /** The pool of a feed, made on first call (template beans take static factory methods only). */
    public static DataSource pool(JdbcFeedDataSources pools, String feed, String url, String user, String password, int poolSize) {
        return pools.open(feed, url, user, password, poolSize);
    }

    DataSource open(String feed, String url, String user, String password, int poolSize) {
        if (poolSize < 1) {
            throw new IllegalArgumentException("feed " + feed + ": jdbc pool-size must be at least 1, not " + poolSize);
        }
        return pools.computeIfAbsent(feed, f -> {
            HikariDataSource pool = new HikariDataSource(); // starts on the first getConnection()
            pool.setPoolName("feed-" + feed);
            pool.setJdbcUrl(url);
            pool.setUsername(user);
            pool.setPassword(password == null || password.isEmpty() ? null : password);
            pool.setMaximumPoolSize(poolSize);
            pool.setMinimumIdle(0);
            pool.setConnectionTimeout(15_000);
            pool.setInitializationFailTimeout(-1);
            pool.setReadOnly(false); // the status-flag mode writes the flag back
            return pool;
        });
    }

    @Override
    public void close() {
        pools.values().forEach(HikariDataSource::close);
        pools.clear();
    }
}
