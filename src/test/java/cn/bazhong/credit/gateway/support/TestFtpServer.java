package cn.bazhong.credit.gateway.support;

import org.apache.ftpserver.DataConnectionConfigurationFactory;
import org.apache.ftpserver.FtpServer;
import org.apache.ftpserver.FtpServerFactory;
import org.apache.ftpserver.ftplet.DefaultFtplet;
import org.apache.ftpserver.ftplet.FtpException;
import org.apache.ftpserver.ftplet.FtpRequest;
import org.apache.ftpserver.ftplet.FtpSession;
import org.apache.ftpserver.ftplet.FtpletResult;
import org.apache.ftpserver.listener.ListenerFactory;
import org.apache.ftpserver.ssl.SslConfigurationFactory;
import org.apache.ftpserver.usermanager.ClearTextPasswordEncryptor;
import org.apache.ftpserver.usermanager.PropertiesUserManagerFactory;
import org.apache.ftpserver.usermanager.impl.BaseUser;
import org.apache.ftpserver.usermanager.impl.WritePermission;
import org.apache.ftpserver.ftplet.UserManager;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real FTP server (Apache FtpServer, on MINA) on a free loopback port, serving a folder to one user,
 * in passive mode only (active data connections are refused). With a server certificate it speaks
 * explicit FTPS (AUTH TLS) and encrypts the data connections too. It counts the connections it got
 * and the logins that succeeded, so that a test can see a client give up before logging in.
 */
public final class TestFtpServer implements AutoCloseable {

    public static final String USER = "gateway";
    public static final String PASSWORD = "ftp-test-secret";

    private final FtpServer server;
    private final Path root;
    private final int port;
    private final AtomicInteger connections;
    private final AtomicInteger logins;

    private TestFtpServer(FtpServer server, Path root, int port, AtomicInteger connections, AtomicInteger logins) {
        this.server = server;
        this.root = root;
        this.port = port;
        this.connections = connections;
        this.logins = logins;
    }

    /** Plain FTP. */
    public static TestFtpServer start() {
        return start(null);
    }

    /** FTPS presenting {@code certificate} (null: plain FTP). */
    public static TestFtpServer start(TestCertificates.Issued certificate) {
        try {
            Path base = Files.createTempDirectory("ftp-test-");
            Path root = Files.createDirectories(base.resolve("root"));
            int port = FreePorts.next();
            FtpServerFactory factory = new FtpServerFactory();
            ListenerFactory listener = new ListenerFactory();
            listener.setServerAddress("127.0.0.1");
            listener.setPort(port);
            DataConnectionConfigurationFactory data = new DataConnectionConfigurationFactory();
            data.setPassiveAddress("127.0.0.1");
            data.setActiveEnabled(false);
            if (certificate != null) {
                SslConfigurationFactory ssl = new SslConfigurationFactory();
                ssl.setKeystoreFile(keystore(base, certificate).toFile());
                ssl.setKeystorePassword("changeit");
                ssl.setKeystoreType("PKCS12");
                ssl.setSslProtocol("TLSv1.2");
                listener.setSslConfiguration(ssl.createSslConfiguration());
                listener.setImplicitSsl(false);
                data.setSslConfiguration(ssl.createSslConfiguration());
            }
            listener.setDataConnectionConfiguration(data.createDataConnectionConfiguration());
            factory.addListener("default", listener.createListener());

            PropertiesUserManagerFactory users = new PropertiesUserManagerFactory();
            users.setPasswordEncryptor(new ClearTextPasswordEncryptor());
            UserManager userManager = users.createUserManager();
            BaseUser user = new BaseUser();
            user.setName(USER);
            user.setPassword(PASSWORD);
            user.setHomeDirectory(root.toString());
            user.setAuthorities(new ArrayList<>(List.of(new WritePermission())));
            userManager.save(user);
            factory.setUserManager(userManager);

            AtomicInteger connections = new AtomicInteger();
            AtomicInteger logins = new AtomicInteger();
            factory.setFtplets(new java.util.HashMap<>(Map.of("counter", new DefaultFtplet() {
                @Override
                public FtpletResult onConnect(FtpSession session) {
                    connections.incrementAndGet();
                    return FtpletResult.DEFAULT;
                }

                @Override
                public FtpletResult onLogin(FtpSession session, FtpRequest request) {
                    logins.incrementAndGet();
                    return FtpletResult.DEFAULT;
                }
            })));
            FtpServer server = factory.createServer();
            server.start();
            return new TestFtpServer(server, root, port, connections, logins);
        } catch (IOException | FtpException e) {
            throw new IllegalStateException("the test FTP server did not start", e);
        }
    }

    private static Path keystore(Path dir, TestCertificates.Issued certificate) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            List<Certificate> chain = new ArrayList<>();
            chain.add(certificate.certificate());
            chain.addAll(certificate.chain());
            store.setKeyEntry("server", certificate.keys().getPrivate(), "changeit".toCharArray(), chain.toArray(Certificate[]::new));
            Path file = dir.resolve("server.p12");
            try (OutputStream out = Files.newOutputStream(file)) {
                store.store(out, "changeit".toCharArray());
            }
            return file;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return port;
    }

    public Path root() {
        return root;
    }

    public int connections() {
        return connections.get();
    }

    public int logins() {
        return logins.get();
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
        server.stop();
    }
}
