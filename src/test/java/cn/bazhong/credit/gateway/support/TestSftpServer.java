package cn.bazhong.credit.gateway.support;

import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;

/**
 * A real SFTP server (Apache MINA SSHD) on a free loopback port, serving a folder, accepting one
 * user and password, with a known_hosts file holding its host key for strict checking.
 */
public final class TestSftpServer implements AutoCloseable {

    public static final String USER = "gateway";
    public static final String PASSWORD = "sftp-test-secret";

    private final SshServer server;
    private final Path root;
    private final Path knownHosts;

    private TestSftpServer(SshServer server, Path root, Path knownHosts) {
        this.server = server;
        this.root = root;
        this.knownHosts = knownHosts;
    }

    public static TestSftpServer start() {
        try {
            Path base = Files.createTempDirectory("sftp-test-");
            Path root = Files.createDirectories(base.resolve("root"));
            SimpleGeneratorHostKeyProvider hostKeys = new SimpleGeneratorHostKeyProvider(base.resolve("hostkey.ser"));
            hostKeys.setAlgorithm("EC");
            SshServer sshd = SshServer.setUpDefaultServer();
            sshd.setHost("127.0.0.1");
            sshd.setPort(0);
            sshd.setKeyPairProvider(hostKeys);
            sshd.setPasswordAuthenticator((user, password, session) -> USER.equals(user) && PASSWORD.equals(password));
            sshd.setSubsystemFactories(List.of(new SftpSubsystemFactory()));
            sshd.setFileSystemFactory(new VirtualFileSystemFactory(root));
            sshd.start();
            PublicKey hostKey = hostKeys.loadKeys(null).iterator().next().getPublic();
            Path knownHosts = base.resolve("known_hosts");
            Files.writeString(knownHosts, "[127.0.0.1]:" + sshd.getPort() + " " + PublicKeyEntry.toString(hostKey) + "\n");
            return new TestSftpServer(sshd, root, knownHosts);
        } catch (IOException e) {
            throw new IllegalStateException("the test SFTP server did not start", e);
        }
    }

    public int port() {
        return server.getPort();
    }

    public Path root() {
        return root;
    }

    public Path knownHosts() {
        return knownHosts;
    }

    /** Puts a file as a department would: the data first, then its done marker. */
    public Path drop(String folder, String name, byte[] content, boolean withMarker) {
        try {
            Path dir = Files.createDirectories(root.resolve(folder));
            Path file = Files.write(dir.resolve(name), content);
            if (withMarker) {
                Files.write(dir.resolve(name + ".ok"), new byte[0]);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            server.stop(true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
