package cn.bazhong.credit.gateway.transport;

import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Producer;
import org.apache.camel.support.service.ServiceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Puts each batch document on the province's SFTP server as {@code <directory>/<batchId>.json},
 * the same way the departments hand files to the gateway: the content is written under a temporary
 * name ({@code <batchId>.json.part}) and renamed, then an empty {@code <batchId>.json.ok} marker
 * says the file is complete. Writing a batch again replaces the file with the same content and
 * leaves one marker, so a resend is harmless.
 *
 * <p>The writing is camel-ftp's SFTP producer ({@code sftp:} endpoint of the gateway's Camel context,
 * {@code tempFileName}, {@code doneFileName}, {@code fileExist=Override}, no directories created). The
 * server's host key is checked strictly against a known_hosts file ({@code strictHostKeyChecking=yes},
 * never the user's own known_hosts); the gateway logs in with a password, a private key, or both. The
 * producer keeps one session open between sends and checks it with a no-op before each; a broken one is
 * reopened once. Camel's own reconnect attempts are off: any failure to connect, log in or write is an
 * {@link IOException} at once, which the sender ({@code upstream.BatchDelivery}) retries with its back-off
 * and circuit breaker. A completed write is a delivery: the answer is 200 without per-record results (the
 * province reports those out of band).
 *
 * <p>The Camel context is asked for at the first send, not when the transport is made (a Spring bean that
 * needs the context while beans are made starts Camel early, and Camel then skips the routes of
 * {@code routes/}). Sends are serialised; the sender stage uses one thread.
 */
public class SftpUpstreamTransport implements UpstreamTransport, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SftpUpstreamTransport.class);
    static final String TEMPORARY_SUFFIX = ".part";
    static final String MARKER_SUFFIX = ".ok";

    private final Supplier<CamelContext> camel;
    private final SftpSettings settings;
    private final Path knownHosts;
    private final Path privateKey;
    private final int timeoutMillis;
    private final String fileSuffix;
    private final String owner;
    private final String credentialsHint;

    private Endpoint endpoint;
    private Producer producer;

    public SftpUpstreamTransport(Supplier<CamelContext> camel, SftpSettings settings, Duration timeout) {
        this(camel, settings, timeout, ".json", "the province's SFTP server", "gateway.upstream.sftp.password / private-key-file");
    }

    /**
     * The same writer for another server: the fan-out's SFTP drops write {@code .ndjson} files;
     * {@code owner} and {@code credentialsHint} make its alerts name the right server and settings.
     */
    public SftpUpstreamTransport(Supplier<CamelContext> camel, SftpSettings settings, Duration timeout, String fileSuffix,
                                 String owner, String credentialsHint) {
        this.camel = Objects.requireNonNull(camel, "camel");
        this.fileSuffix = fileSuffix;
        this.owner = owner;
        this.credentialsHint = credentialsHint;
        this.settings = Objects.requireNonNull(settings, "settings");
        require(settings.host(), "gateway.upstream.sftp.host");
        require(settings.username(), "gateway.upstream.sftp.username");
        require(settings.knownHostsFile(), "gateway.upstream.sftp.known-hosts-file");
        if (settings.password() == null && settings.privateKeyFile() == null) {
            throw new IllegalStateException("the upstream SFTP transport needs gateway.upstream.sftp.password or "
                    + "gateway.upstream.sftp.private-key-file");
        }
        this.knownHosts = readable(Path.of(settings.knownHostsFile()), "known_hosts file (gateway.upstream.sftp.known-hosts-file)");
        this.privateKey = settings.privateKeyFile() == null ? null
                : readable(Path.of(settings.privateKeyFile()), "private key (gateway.upstream.sftp.private-key-file)");
        long millis = timeout == null ? 30_000 : timeout.toMillis();
        this.timeoutMillis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, millis));
    }

    @Override
    public synchronized Answer send(String batchId, byte[] document) throws IOException {
        if (!UpstreamAnswers.isSafeBatchId(batchId)) {
            return UpstreamAnswers.malformed(batchId, "the batch id cannot be used as a file name");
        }
        Producer p = producer();
        Exchange exchange = p.getEndpoint().createExchange();
        exchange.getIn().setBody(document);
        exchange.getIn().setHeader(Exchange.FILE_NAME, remotePath(batchId + fileSuffix));
        try {
            p.process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        }
        if (exchange.getException() != null) {
            throw failure(exchange.getException(), batchId + fileSuffix);
        }
        return UpstreamAnswers.delivered(batchId);
    }

    /** The producer of this server's endpoint, made and started at the first send and kept (with its session). */
    private Producer producer() throws IOException {
        if (producer != null) {
            return producer;
        }
        CamelContext context = camel.get();
        try {
            // an endpoint of its own, not the context's cached one for this URI: another transport to the same server
            // may log in as someone else, check another known_hosts file
            Endpoint e = context.getComponent("sftp").createEndpoint("sftp://" + settings.host() + ":" + settings.port(),
                    endpointOptions());
            ServiceHelper.startService(e);
            endpoint = e;
            Producer p = e.createProducer();
            ServiceHelper.startService(p);
            producer = p;
            return p;
        } catch (Exception e) {
            throw new IOException("SFTP " + where() + ": the Camel sftp endpoint cannot be made: " + messages(e), e);
        }
    }

    /** Passed as values, not in the URI: nothing (a password least of all) needs URL encoding. */
    private Map<String, Object> endpointOptions() {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("username", settings.username());
        if (settings.password() != null) {
            o.put("password", settings.password());
        }
        if (privateKey != null) {
            o.put("privateKeyFile", privateKey.toString());
        }
        o.put("preferredAuthentications", privateKey != null && settings.password() != null ? "publickey,password"
                : privateKey != null ? "publickey" : "password");
        o.put("knownHostsFile", knownHosts.toString());
        o.put("strictHostKeyChecking", "yes");
        o.put("useUserKnownHostsFile", false);
        o.put("autoCreateKnownHostsFile", false);
        // the file name header carries the folder, absolute or relative to the login folder (camel-ftp trims a leading
        // slash of an endpoint's directory); the names are checked (UpstreamAnswers.isSafeBatchId), the folder is configuration
        o.put("jailStartingDirectory", false);
        o.put("autoCreate", false);
        o.put("tempFileName", "${file:onlyname}" + TEMPORARY_SUFFIX);
        o.put("doneFileName", "${file:name}" + MARKER_SUFFIX);
        o.put("fileExist", "Override");
        // the old file stays until the new one is complete: it is deleted only right before the rename
        o.put("eagerDeleteTargetFile", false);
        o.put("connectTimeout", timeoutMillis);
        o.put("soTimeout", timeoutMillis);
        // retries are the delivery policy's (back-off, circuit breaker, dead letters), not hidden inside one attempt
        o.put("maximumReconnectAttempts", 0);
        o.put("reconnectDelay", Duration.ofMillis(10)); // camel-ftp connects on a task that waits this long before its one attempt (default 1 s)
        return o;
    }

    /** An {@link IOException} naming the server and the cause; a host key or login refused is an alert too. */
    private IOException failure(Exception e, String name) {
        String message = messages(e);
        if (message.contains("HostKey")) {
            LOG.error("ALERT: the host key of {} {} does not match {} ({}); nothing is sent until it does",
                    owner, where(), knownHosts, message);
        } else if (message.contains("Auth fail") || message.contains("Auth cancel")) {
            LOG.error("ALERT: {} {} refused the gateway's credentials ({}); check {}", owner, where(), message, credentialsHint);
        }
        return new IOException("SFTP " + where() + ": writing " + remotePath(name) + " failed: " + message, e);
    }

    /** The messages of the exception and its causes, each once: Camel's words and the SSH library's reason. */
    private static String messages(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
            if (all.indexOf(m) < 0) {
                all.append(all.isEmpty() ? "" : ": ").append(m);
            }
        }
        return all.toString();
    }

    private String remotePath(String name) {
        String dir = settings.directory();
        if (dir.equals(".")) {
            return name;
        }
        return dir.replaceAll("/+$", "") + "/" + name; // "/" becomes "/<name>"
    }

    private String where() {
        return settings.username() + "@" + settings.host() + ":" + settings.port();
    }

    private static void require(String value, String key) {
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("the upstream SFTP transport needs " + key);
        }
    }

    private static Path readable(Path file, String what) {
        if (!Files.isReadable(file)) {
            throw new IllegalStateException("the " + what + " " + file.toAbsolutePath() + " cannot be read");
        }
        return file;
    }

    @Override
    public String describe() {
        return "SFTP " + where() + " folder " + settings.directory();
    }

    /** Stops the producer, which closes its session, and its endpoint. */
    @Override
    public synchronized void close() {
        Producer p = producer;
        Endpoint e = endpoint;
        producer = null;
        endpoint = null;
        ServiceHelper.stopAndShutdownServices(p, e);
    }
}
