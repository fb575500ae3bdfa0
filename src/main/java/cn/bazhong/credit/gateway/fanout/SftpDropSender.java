package cn.bazhong.credit.gateway.fanout;

import cn.bazhong.credit.gateway.transport.SftpSettings;
import cn.bazhong.credit.gateway.transport.SftpUpstreamTransport;

import org.apache.camel.CamelContext;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * Drops a delivery batch on the department's SFTP server as one NDJSON file
 * {@code <directory>/<dept>-<first event id>-<count>.ndjson}, written under a temporary name, renamed
 * when complete, then marked with {@code .ok} (the same file hand-over the gateway expects from
 * departments). A retried batch has the same name and content, so it replaces itself. The writing is
 * camel-ftp's SFTP producer, through {@link SftpUpstreamTransport} (host key checked strictly, Camel's own
 * reconnects off: retries are the department's delivery policy).
 */
public final class SftpDropSender implements ChannelSender {

    private final Supplier<CamelContext> camel;
    private final Subscription.SftpChannel channel;
    private final Duration timeout;
    private SftpUpstreamTransport writer;

    private final String department;

    public SftpDropSender(Supplier<CamelContext> camel, String department, Subscription.SftpChannel channel, Duration timeout) {
        this.camel = camel;
        this.department = department;
        this.channel = channel;
        this.timeout = timeout;
    }

    /**
     * Opened at the first delivery, not at start-up: a missing known_hosts or key file is this
     * department's problem (retried, then dead-lettered, with the reason), never the others'.
     */
    private synchronized SftpUpstreamTransport writer() throws IOException {
        if (writer == null) {
            try {
                writer = new SftpUpstreamTransport(camel, new SftpSettings(channel.host(), channel.port(), channel.username(),
                        channel.password(), channel.privateKeyFile() == null ? null : channel.privateKeyFile().toString(),
                        channel.knownHostsFile().toString(), channel.directory()), timeout, ".ndjson",
                        department + "'s SFTP drop server", "the sftp password / privateKeyFile of " + department + " in the subscriptions file");
            } catch (IllegalStateException | IllegalArgumentException e) {
                throw new IOException(e.getMessage(), e);
            }
        }
        return writer;
    }

    @Override
    public boolean batches() {
        return true;
    }

    @Override
    public Attempt send(List<OutboundEvent> events) throws IOException {
        ByteArrayOutputStream ndjson = new ByteArrayOutputStream();
        for (OutboundEvent e : events) {
            ndjson.write(e.body());
            ndjson.write('\n');
        }
        String name = events.get(0).department() + "-" + events.get(0).id() + "-" + events.size();
        int status = writer().send(name, ndjson.toByteArray()).status();
        return new Attempt(status, null);
    }

    @Override
    public String describe() {
        return "SFTP drop " + channel.username() + "@" + channel.host() + ":" + channel.port() + channel.directory();
    }

    @Override
    public synchronized void close() {
        if (writer != null) {
            writer.close();
        }
    }
}
