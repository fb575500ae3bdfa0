package cn.bazhong.credit.gateway.upstream;

import cn.bazhong.credit.gateway.support.FreePorts;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.List;

/**
 * A real SFTP server (Apache MINA SSHD) for the upstream adapter tests that, unlike the shared
 * {@code TestSftpServer}, can be stopped and started again on the same port with the same host
 * key and files — a province that goes away and comes back — and also accepts a client key.
 */
final class RestartableSftpServer implements AutoCloseable {

    static final String USER = "gateway";
    static final String PASSWORD = "province-sftp-secret";

    private final Path base;
    private final Path root;
    private final int port;
    private final SimpleGeneratorHostKeyProvider hostKeys;
    private final KeyPair clientKey;
    private final Path knownHosts;
    private final Path clientKeyFile;
    private SshServer server;

    private RestartableSftpServer(Path base) throws IOException, GeneralSecurityException {
        this.base = base;
        this.root = Files.createDirectories(base.resolve("root"));
        this.port = FreePorts.next();
        this.hostKeys = new SimpleGeneratorHostKeyProvider(base.resolve("hostkey.ser"));
        hostKeys.setAlgorithm(KeyUtils.EC_ALGORITHM);
        this.clientKey = KeyUtils.generateKeyPair(KeyPairProvider.ECDSA_SHA2_NISTP256, 256);
        this.clientKeyFile = base.resolve("gateway_ecdsa");
        try (OutputStream out = Files.newOutputStream(clientKeyFile)) {
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(clientKey, "gateway@test", null, out);
        }
        this.knownHosts = base.resolve("known_hosts");
    }

    /** A server in {@code base} (host key, served folder, known_hosts, client key), started. */
    static RestartableSftpServer start(Path base) {
        try {
            RestartableSftpServer s = new RestartableSftpServer(base);
            s.start();
            Files.writeString(s.knownHosts, "[127.0.0.1]:" + s.port + " "
                    + PublicKeyEntry.toString(s.hostKeys.loadKeys(null).iterator().next().getPublic()) + "\n");
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Starts (again) on the same port with the same host key; the files stay where they were. */
    synchronized void start() throws IOException {
        if (server != null) {
            throw new IllegalStateException("already running");
        }
        SshServer sshd = SshServer.setUpDefaultServer();
        sshd.setHost("127.0.0.1");
        sshd.setPort(port);
        sshd.setKeyPairProvider(hostKeys);
        sshd.setPasswordAuthenticator((user, password, session) -> USER.equals(user) && PASSWORD.equals(password));
        sshd.setPublickeyAuthenticator((user, key, session) -> USER.equals(user) && KeyUtils.compareKeys(key, clientKey.getPublic()));
        sshd.setSubsystemFactories(List.of(new SftpSubsystemFactory()));
        sshd.setFileSystemFactory(new VirtualFileSystemFactory(root));
        sshd.start();
        server = sshd;
    }

    /** Stops at once, closing every open session: the province is down. */
    synchronized void stop() throws IOException {
        if (server != null) {
            server.stop(true);
            server = null;
        }
    }

    synchronized int activeSessions() {
        return server == null ? 0 : server.getActiveSessions().size();
    }

    int port() {
        return port;
    }

    Path root() {
        return root;
    }

    Path knownHosts() {
        return knownHosts;
    }

    /** An OpenSSH private key (unencrypted) that the server accepts for {@link #USER}. */
    Path clientKeyFile() {
        return clientKeyFile;
    }

    Path base() {
        return base;
    }

    @Override
    public void close() throws IOException {
        stop();
    }
}
