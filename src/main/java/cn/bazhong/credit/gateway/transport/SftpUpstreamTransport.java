package cn.bazhong.credit.gateway.transport;

import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.SftpATTRS;
import com.jcraft.jsch.SftpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Puts each batch document on the province's SFTP server as {@code <directory>/<batchId>.json},
 * the same way the departments hand files to the gateway: the content is written under a temporary
 * name ({@code <batchId>.json.part}) and renamed, then an empty {@code <batchId>.json.ok} marker
 * says the file is complete. Writing a batch again replaces the file with the same content and
 * leaves one marker, so a resend is harmless.
 *
 * <p>The server's host key is checked strictly against a known_hosts file; the gateway logs in
 * with a password, a private key, or both. One session is kept open between sends; when it has
 * broken, the send reconnects once before it gives up. Any failure to connect, log in or write is
 * an {@link IOException}, which the sender ({@code upstream.BatchDelivery}) retries. A completed write is a delivery:
 * the answer is 200 without per-record results (the province reports those out of band).
 *
 * <p>Sends are serialised; the sender stage uses one thread.
 */
public class SftpUpstreamTransport implements UpstreamTransport, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SftpUpstreamTransport.class);
    static final String TEMPORARY_SUFFIX = ".part";
    static final String MARKER_SUFFIX = ".ok";

    private final SftpSettings settings;
    private final Path knownHosts;
    private final Path privateKey;
    private final int timeoutMillis;
    private final String fileSuffix;
    private final String owner;
    private final String credentialsHint;

    private Session session;
    private ChannelSftp channel;

    public SftpUpstreamTransport(SftpSettings settings, Duration timeout) {
        this(settings, timeout, ".json", "the province's SFTP server", "gateway.upstream.sftp.password / private-key-file");
    }

    /**
     * The same writer for another server: the fan-out's SFTP drops write {@code .ndjson} files;
     * {@code owner} and {@code credentialsHint} make its alerts name the right server and settings.
     */
    public SftpUpstreamTransport(SftpSettings settings, Duration timeout, String fileSuffix, String owner,
                                 String credentialsHint) {
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
        boolean reusing = isOpen();
        try {
            write(openChannel(), batchId, document);
        } catch (IOException first) {
            disconnect();
            if (!reusing) {
                throw first;
            }
            // the kept session may have died while idle (server restart, firewall): one fresh try
            LOG.info("the SFTP session to {} failed ({}); reconnecting", where(), first.getMessage());
            try {
                write(openChannel(), batchId, document);
            } catch (IOException second) {
                disconnect();
                second.addSuppressed(first);
                throw second;
            }
        }
        return UpstreamAnswers.delivered(batchId);
    }

    private void write(ChannelSftp sftp, String batchId, byte[] document) throws IOException {
        String target = remotePath(batchId + fileSuffix);
        String temporary = target + TEMPORARY_SUFFIX;
        String marker = target + MARKER_SUFFIX;
        try {
            sftp.put(new ByteArrayInputStream(document), temporary, ChannelSftp.OVERWRITE);
            SftpATTRS written = sftp.stat(temporary);
            if (written.getSize() != document.length) {
                throw new IOException("the SFTP server kept " + written.getSize() + " of " + document.length
                        + " bytes of " + temporary);
            }
            replace(sftp, temporary, target);
            sftp.put(new ByteArrayInputStream(new byte[0]), marker, ChannelSftp.OVERWRITE);
        } catch (SftpException e) {
            throw new IOException("SFTP " + where() + ": writing " + target + " failed: " + describe(e), e);
        }
    }

    /** Renames over an existing file; servers without posix-rename refuse that, so the old file goes first. */
    private static void replace(ChannelSftp sftp, String from, String to) throws SftpException {
        try {
            sftp.rename(from, to);
        } catch (SftpException e) {
            if (!exists(sftp, to)) {
                throw e;
            }
            sftp.rm(to);
            sftp.rename(from, to);
        }
    }

    private static boolean exists(ChannelSftp sftp, String path) throws SftpException {
        try {
            sftp.lstat(path);
            return true;
        } catch (SftpException e) {
            if (e.id == ChannelSftp.SSH_FX_NO_SUCH_FILE) {
                return false;
            }
            throw e;
        }
    }

    private String remotePath(String name) {
        String dir = settings.directory();
        if (dir.equals(".")) {
            return name;
        }
        return dir.replaceAll("/+$", "") + "/" + name; // "/" becomes "/<name>"
    }

    private boolean isOpen() {
        return session != null && session.isConnected() && channel != null && channel.isConnected() && !channel.isClosed();
    }

    private ChannelSftp openChannel() throws IOException {
        if (isOpen()) {
            return channel;
        }
        disconnect();
        try {
            // a new JSch per connection: known_hosts and the key file are read again, so replacing them needs no restart
            JSch jsch = new JSch();
            jsch.setKnownHosts(knownHosts.toString());
            if (privateKey != null) {
                jsch.addIdentity(privateKey.toString());
            }
            Session s = jsch.getSession(settings.username(), settings.host(), settings.port());
            if (settings.password() != null) {
                s.setPassword(settings.password());
            }
            s.setConfig("StrictHostKeyChecking", "yes");
            s.setConfig("HashKnownHosts", "no");
            s.setConfig("prefer_known_host_key_types", "yes");
            s.setConfig("PreferredAuthentications", privateKey != null && settings.password() != null ? "publickey,password"
                    : privateKey != null ? "publickey" : "password");
            s.setTimeout(timeoutMillis);
            session = s;
            s.connect(timeoutMillis);
            ChannelSftp c = (ChannelSftp) s.openChannel("sftp");
            channel = c;
            c.connect(timeoutMillis);
            LOG.info("SFTP session to {} opened", where());
            return c;
        } catch (JSchException e) {
            disconnect();
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            if (message.contains("HostKey")) {
                LOG.error("ALERT: the host key of {} {} does not match {} ({}); nothing is sent until it does",
                        owner, where(), knownHosts, message);
            } else if (message.contains("Auth fail") || message.contains("Auth cancel")) {
                LOG.error("ALERT: {} {} refused the gateway's credentials ({}); check {}", owner, where(), message, credentialsHint);
            }
            throw new IOException("SFTP " + where() + ": " + message, e);
        }
    }

    private void disconnect() {
        ChannelSftp c = channel;
        Session s = session;
        channel = null;
        session = null;
        if (c != null) {
            c.disconnect();
        }
        if (s != null) {
            s.disconnect();
        }
    }

    private String where() {
        return settings.username() + "@" + settings.host() + ":" + settings.port();
    }

    private static String describe(SftpException e) {
        return e.getMessage() == null ? "status " + e.id : e.getMessage() + " (status " + e.id + ")";
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

    @Override
    public synchronized void close() {
        disconnect();
    }
}
