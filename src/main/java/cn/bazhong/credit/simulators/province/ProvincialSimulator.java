package cn.bazhong.credit.simulators.province;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local stand-in for the provincial credit platform, implementing the exchange API of
 * {@code provincial-exchange.md}: {@code POST /exchange/v1/batches} and
 * {@code GET /exchange/v1/list-updates}, both with {@code Authorization: Bearer <token>}, plus an
 * unauthenticated control API under {@code /sim/} (see {@link ControlEndpoint}).
 *
 * <p>It records what it accepts ({@link #batches()}, {@link #records()}), publishes list updates
 * ({@link #publishListUpdate}), and plays the faults the gateway must survive: failing requests
 * ({@link #failNext}, {@link #failFor}), slowness ({@link #delayResponses}), province-side rejections
 * ({@link #rejectRecords}) and refused connections ({@link #refuseConnections}). Faults can be switched
 * at any time, from any thread. Requests are served by 8 worker threads, so a delayed answer does
 * not hold up others. Record data is never logged.
 *
 * <pre>{@code
 * try (ProvincialSimulator province = ProvincialSimulator.start(ProvincialSimulator.Settings.defaults())) {
 *     URI base = province.baseUri();          // http://127.0.0.1:<free port>
 *     province.failNext(2, 503, Duration.ofSeconds(1));
 *     ... point the gateway's upstream adapter at base, token "province-dev-token" ...
 *     assertThat(province.records()).hasSize(3);
 * }
 * }</pre>
 */
public final class ProvincialSimulator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ProvincialSimulator.class);
    private static final int WORKER_THREADS = 8;

    /**
     * Where and how the simulator listens.
     *
     * @param host            interface to bind, {@code 127.0.0.1} by default (never exposed beyond the machine unless asked)
     * @param port            TCP port; 0 picks any free port (read it back with {@link #port()})
     * @param token           the bearer token clients must send
     * @param maxBatchRecords a batch with more records is answered 413
     */
    public record Settings(String host, int port, String token, int maxBatchRecords) {

        /** Default bearer token of the local demo. */
        public static final String DEV_TOKEN = "province-dev-token";

        public Settings {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(token, "token");
            if (host.isBlank()) {
                throw new IllegalArgumentException("host must not be blank");
            }
            if (token.isBlank()) {
                throw new IllegalArgumentException("token must not be blank");
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0..65535, was " + port);
            }
            if (maxBatchRecords < 1) {
                throw new IllegalArgumentException("maxBatchRecords must be at least 1, was " + maxBatchRecords);
            }
        }

        /** {@code 127.0.0.1}, port 0 (any free port), token {@value #DEV_TOKEN}, 500 records per batch. */
        public static Settings defaults() {
            return new Settings("127.0.0.1", 0, DEV_TOKEN, 500);
        }

        /** These settings with another port. */
        public Settings withPort(int port) {
            return new Settings(host, port, token, maxBatchRecords);
        }

        /** These settings with another bearer token. */
        public Settings withToken(String token) {
            return new Settings(host, port, token, maxBatchRecords);
        }

        /** These settings with another record limit per batch. */
        public Settings withMaxBatchRecords(int maxBatchRecords) {
            return new Settings(host, port, token, maxBatchRecords);
        }
    }

    private final Settings settings;
    /** HTTPS instead of HTTP when not null (server certificate, and the clients' CAs when client certificates are required). */
    private final SSLContext tls;
    private final boolean needClientAuth;
    private final Faults faults = new Faults();
    private final BatchLedger ledger = new BatchLedger();
    private final ListUpdateLog listUpdates = new ListUpdateLog();
    private final ExecutorService workers;
    private final ScheduledExecutorService delayer;
    private final BatchEndpoint batchEndpoint;
    private final ListUpdatesEndpoint listUpdatesEndpoint;
    private final ControlEndpoint controlEndpoint;

    private final Object lifecycle = new Object();
    private HttpServer server;       // guarded by lifecycle; null while refusing connections or closed
    private int port;                // guarded by lifecycle
    private boolean closed;          // guarded by lifecycle

    private ProvincialSimulator(Settings settings, SSLContext tls, boolean needClientAuth) {
        this.settings = settings;
        this.tls = tls;
        this.needClientAuth = needClientAuth;
        this.workers = Executors.newFixedThreadPool(WORKER_THREADS, threads("province-sim-http-"));
        this.delayer = Executors.newSingleThreadScheduledExecutor(threads("province-sim-delay-"));
        this.batchEndpoint = new BatchEndpoint(settings, faults, ledger, delayer);
        this.listUpdatesEndpoint = new ListUpdatesEndpoint(settings.token(), listUpdates);
        this.controlEndpoint = new ControlEndpoint(this);
    }

    /**
     * Starts a simulator listening on {@code settings.host():settings.port()}.
     *
     * @throws UncheckedIOException when the address cannot be bound
     */
    public static ProvincialSimulator start(Settings settings) {
        return start(new ProvincialSimulator(Objects.requireNonNull(settings, "settings"), null, false));
    }

    /**
     * Starts a simulator serving HTTPS with the certificate of {@code tls}; with {@code needClientAuth}, only
     * clients presenting a certificate that {@code tls} trusts get a connection (mutual TLS).
     */
    public static ProvincialSimulator startHttps(Settings settings, SSLContext tls, boolean needClientAuth) {
        return start(new ProvincialSimulator(Objects.requireNonNull(settings, "settings"), Objects.requireNonNull(tls, "tls"),
                needClientAuth));
    }

    private static ProvincialSimulator start(ProvincialSimulator simulator) {
        Settings settings = simulator.settings;
        try {
            synchronized (simulator.lifecycle) {
                simulator.listen(settings.port());
            }
        } catch (RuntimeException e) {
            simulator.close();
            throw e;
        }
        LOG.info("provincial simulator listening on {} (max {} records per batch)", simulator.baseUri(), settings.maxBatchRecords());
        return simulator;
    }

    /** {@code http://host:port} (https when started so), without a trailing slash; the exchange paths start with {@code /exchange/v1/}. */
    public URI baseUri() {
        String host = settings.host().contains(":") ? "[" + settings.host() + "]" : settings.host();
        return URI.create((tls == null ? "http://" : "https://") + host + ":" + port());
    }

    /** The port the simulator listens on (kept while connections are refused, and reused after). */
    public int port() {
        synchronized (lifecycle) {
            return port;
        }
    }

    /** The settings it was started with. */
    public Settings settings() {
        return settings;
    }

    /** Batches processed, in arrival order, each once (a resent batch is not listed again). */
    public List<ReceivedBatch> batches() {
        return ledger.batches();
    }

    /** Records ACCEPTED, in arrival order, each once (records of a resent batch are not counted again). */
    public List<ReceivedRecord> records() {
        return ledger.records();
    }

    /**
     * The last {@value BatchEndpoint#KEPT_REQUESTS} batch requests with a valid token and a body within the
     * limit, as they arrived (headers and exact body bytes), oldest first, whatever the answer.
     */
    public List<ReceivedRequest> receivedRequests() {
        return batchEndpoint.received();
    }

    /** Every {@code POST} to the batches endpoint since start (or reset): failed, refused, resent or processed. */
    public int batchRequests() {
        return batchEndpoint.requests();
    }

    /**
     * The next {@code count} batch requests are answered {@code status} (e.g. 503 or 429) and not
     * processed; replaces an earlier {@code failNext}. Taken before the token is checked.
     *
     * @param retryAfter sent as {@code Retry-After} in whole seconds (rounded up), or no header when null
     */
    public void failNext(int count, int status, Duration retryAfter) {
        faults.failNext(count, status, retryAfter);
        LOG.info("fault: the next {} batch requests get {}", count, status);
    }

    /**
     * Every batch request during {@code window} (from now) is answered {@code status} and not
     * processed; a 429 or 503 carries {@code Retry-After} with the seconds left. Replaces an earlier window.
     */
    public void failFor(Duration window, int status) {
        faults.failFor(window, status);
        LOG.info("fault: batch requests get {} for {}", status, window);
    }

    /**
     * Every batch answer is sent only after {@code delay} (the batch is processed at once); other
     * requests are not held up. {@link Duration#ZERO} stops it.
     */
    public void delayResponses(Duration delay) {
        faults.delay(delay);
        LOG.info("fault: batch answers delayed by {}", delay);
    }

    /**
     * Records whose recordId matches {@code recordIdRegex} (found anywhere in the id; anchor with
     * {@code ^...$} for a whole match) are REJECTED with this code and message, after the
     * {@link RecordChecks}. Rules add up; the first matching one wins.
     *
     * @throws java.util.regex.PatternSyntaxException when the regex is invalid
     */
    public void rejectRecords(String recordIdRegex, String code, String message) {
        faults.reject(recordIdRegex, code, message);
        LOG.info("fault: records matching /{}/ are rejected with {}", recordIdRegex, code);
    }

    /** Switches every fault off (failures, delay, rejection rules); keeps what was received. */
    public void clearFaults() {
        faults.clear();
        LOG.info("faults cleared");
    }

    /**
     * Stops listening: new connections are refused and open ones are closed. No-op when already refusing.
     * {@link #acceptConnections()} listens again on the same port.
     */
    public void refuseConnections() {
        synchronized (lifecycle) {
            checkOpen();
            if (server != null) {
                server.stop(0);
                server = null;
                LOG.info("fault: connections to port {} are refused", port);
            }
        }
    }

    /**
     * Listens again on the same port after {@link #refuseConnections()}. No-op when listening.
     *
     * @throws UncheckedIOException when the port has been taken meanwhile
     */
    public void acceptConnections() {
        synchronized (lifecycle) {
            checkOpen();
            if (server == null) {
                listen(port);
                LOG.info("connections to port {} are accepted again", port);
            }
        }
    }

    /**
     * Appends an update document to the list-update log, as given, adding {@code updateId}
     * {@code U-<n>} when it has none (or it is null).
     *
     * @return the stored document
     * @throws IllegalArgumentException when the update is not serialisable as JSON
     */
    public Map<String, Object> publishListUpdate(Map<String, Object> update) {
        Map<String, Object> stored = listUpdates.append(update);
        LOG.info("list update {} published", stored.get("updateId"));
        return stored;
    }

    /**
     * Every list-update page from now on carries the headers {@code signer} computes from its exact body
     * bytes (e.g. an SM2 signature); null stops it. The simulator does not sign by itself: the test, or
     * the demo, brings the key.
     */
    public void signListUpdatePages(java.util.function.Function<byte[], Map<String, String>> signer) {
        listUpdatesEndpoint.signPages(signer);
    }

    /** The whole list-update log, in order. */
    public List<Map<String, Object>> listUpdates() {
        return listUpdates.all();
    }

    /**
     * Clears faults, received batches and records, remembered batch ids, the list-update log and the
     * {@link #batchRequests()} counter. Connections are accepted again if they were refused.
     */
    public void reset() {
        faults.clear();
        ledger.clear();
        listUpdates.clear();
        batchEndpoint.resetRequests();
        synchronized (lifecycle) {
            if (!closed && server == null) {
                listen(port);
            }
        }
        LOG.info("provincial simulator reset");
    }

    /** Stops listening and ends its threads; idempotent. */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            if (server != null) {
                server.stop(0);
                server = null;
            }
        }
        delayer.shutdownNow();
        workers.shutdownNow();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("provincial simulator on port {} closed", port());
    }

    Faults faults() {
        return faults;
    }

    /** Binds and starts a server; caller holds {@code lifecycle}. */
    private void listen(int onPort) {
        try {
            HttpServer s = tls == null ? HttpServer.create(new InetSocketAddress(settings.host(), onPort), 64) : https(onPort);
            s.createContext(BatchEndpoint.PATH, batchEndpoint);
            s.createContext(ListUpdatesEndpoint.PATH, listUpdatesEndpoint);
            s.createContext(ControlEndpoint.PATH, controlEndpoint);
            s.createContext("/", exchange -> Answer.error(404, "no such resource: " + exchange.getRequestURI().getPath()).send(exchange));
            s.setExecutor(workers);
            s.start();
            server = s;
            port = s.getAddress().getPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + settings.host() + ":" + onPort, e);
        }
    }

    private HttpsServer https(int onPort) throws IOException {
        HttpsServer s = HttpsServer.create(new InetSocketAddress(settings.host(), onPort), 64);
        s.setHttpsConfigurator(new HttpsConfigurator(tls) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters parameters = tls.getDefaultSSLParameters();
                parameters.setNeedClientAuth(needClientAuth);
                params.setSSLParameters(parameters);
            }
        });
        return s;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the simulator is closed");
        }
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
