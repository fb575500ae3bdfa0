package cn.bazhong.credit.simulators.departments;

import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;

/**
 * The departments' SFTP server of the demo (Apache MINA SSHD): one folder tree, one user, a host
 * key kept between runs, and a known_hosts file the gateway checks the host key against.
 */
public final class DemoSftpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DemoSftpServer.class);

    private final SshServer server;
    private final Path root;

    private DemoSftpServer(SshServer server, Path root) {
        this.server = server;
        this.root = root;
    }

    public static DemoSftpServer start(Path home, int port, String user, String password, Path knownHostsFile) {
        try {
            Path root = Files.createDirectories(home.resolve("root"));
            // where the fan-out drops the environment bureau's NDJSON files (config/subscriptions.yaml, SSTHJJ)
            Files.createDirectories(root.resolve("inbox/credit"));
            SimpleGeneratorHostKeyProvider hostKeys = new SimpleGeneratorHostKeyProvider(home.resolve("hostkey.ser"));
            hostKeys.setAlgorithm("EC");
            SshServer sshd = SshServer.setUpDefaultServer();
            sshd.setHost("127.0.0.1");
            sshd.setPort(port);
            sshd.setKeyPairProvider(hostKeys);
            sshd.setPasswordAuthenticator((u, p, session) -> user.equals(u) && password.equals(p));
            sshd.setSubsystemFactories(List.of(new SftpSubsystemFactory()));
            sshd.setFileSystemFactory(new VirtualFileSystemFactory(root));
            sshd.start();
            PublicKey hostKey = hostKeys.loadKeys(null).iterator().next().getPublic();
            Files.createDirectories(knownHostsFile.toAbsolutePath().getParent());
            Files.writeString(knownHostsFile, "[127.0.0.1]:" + sshd.getPort() + " " + PublicKeyEntry.toString(hostKey) + "\n");
            LOG.info("simulated departments' SFTP server on 127.0.0.1:{} serving {}", sshd.getPort(), root.toAbsolutePath());
            return new DemoSftpServer(sshd, root);
        } catch (IOException e) {
            throw new IllegalStateException("the demo SFTP server did not start", e);
        }
    }

    /** Writes a file the way a department does: the data, then its empty .ok marker. */
    public void drop(String folder, String name, byte[] content) {
        try {
            Path dir = Files.createDirectories(root.resolve(folder));
            Files.write(dir.resolve(name), content);
            Files.write(dir.resolve(name + ".ok"), new byte[0]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        server.stop(true);
    }
}
