package cn.bazhong.credit.gateway.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * An open-loop load tool for the check API, run in its own small JVM: requests are due on a fixed
 * schedule (rate per second) whatever the answers do, and each latency is measured from the moment
 * the request was due, so a slow answer cannot hide the requests queued behind it (no coordinated
 * omission). Prints p50/p90/p99/p99.9/max in milliseconds and the count of non-200 answers.
 *
 * <p>It speaks HTTP/1.1 over plain keep-alive sockets, one per worker thread, with every request
 * prepared before the run, so that the tool itself allocates next to nothing while it measures: the
 * JDK's asynchronous {@code HttpClient} used before added its own queueing and garbage collections to
 * the tail it was measuring. A worker takes the next due slot, waits for its time, sends, and reads
 * the whole answer (Content-Length or chunked); with {@link #WORKERS} workers a stall of the server
 * delays the following slots, whose latency still counts from when they were due.
 *
 * <p>Arguments: base URL, API key, codes file (one subject code per line), rate, warm-up seconds, seconds.
 */
public final class CheckApiLoad {

    static final int WORKERS = 16;
    static final String MATTER = "5119-XK-0001";

    private CheckApiLoad() {
    }

    public static void main(String[] args) throws Exception {
        URI base = URI.create(args[0]);
        String key = args[1];
        List<String> codes = Files.readAllLines(Path.of(args[2]));
        int rate = Integer.parseInt(args[3]);
        int warmup = Integer.parseInt(args[4]);
        int seconds = Integer.parseInt(args[5]);
        byte[][] requests = new byte[codes.size()][];
        for (int i = 0; i < codes.size(); i++) {
            requests[i] = ("GET /api/v1/subjects/" + codes.get(i) + "/measures?matter=" + MATTER + " HTTP/1.1\r\n"
                    + "Host: " + base.getHost() + ":" + base.getPort() + "\r\n"
                    + "Authorization: Bearer " + key + "\r\n"
                    + "Accept: application/json\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        }
        InetSocketAddress address = new InetSocketAddress(base.getHost(), base.getPort());
        run(address, requests, rate, warmup);
        Result r = run(address, requests, rate, seconds);
        long[] sorted = Arrays.copyOf(r.micros, r.micros.length);
        Arrays.sort(sorted);
        System.out.printf("CHECK-API requests=%d rate=%d/s non200=%d errors=%d p50=%.2f p90=%.2f p99=%.2f p999=%.2f max=%.2f ms%n",
                sorted.length, rate, r.non200.get(), r.errors.get(), pct(sorted, 50), pct(sorted, 90), pct(sorted, 99), pct(sorted, 99.9),
                sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1000.0);
        System.exit(0);
    }

    record Result(long[] micros, AtomicInteger non200, AtomicInteger errors) {
    }

    private static Result run(InetSocketAddress address, byte[][] requests, int rate, int seconds) throws InterruptedException {
        int total = rate * seconds;
        long[] micros = new long[total];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger non200 = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        long periodNanos = 1_000_000_000L / rate;
        long start = System.nanoTime() + 100_000_000L;
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) {
            Thread t = new Thread(() -> {
                Connection connection = null;
                byte[] buffer = new byte[64 * 1024];
                for (int i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
                    long due = start + i * periodNanos;
                    for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                        LockSupport.parkNanos(wait);
                    }
                    byte[] request = requests[(int) ((i * 2654435761L) % requests.length + requests.length) % requests.length];
                    try {
                        if (connection == null) {
                            connection = new Connection(address);
                        }
                        int status = connection.exchange(request, buffer);
                        if (status != 200) {
                            non200.incrementAndGet();
                        }
                        if (connection.closing) {
                            connection = close(connection); // the server ends keep-alive (Tomcat: after 100 requests)
                        }
                    } catch (IOException e) {
                        errors.incrementAndGet();
                        connection = close(connection);
                    }
                    micros[i] = (System.nanoTime() - due) / 1000;
                }
                close(connection);
            }, "check-load-" + w);
            workers.add(t);
            t.start();
        }
        for (Thread t : workers) {
            t.join(); // also makes every worker's writes to micros visible here
        }
        return new Result(micros, non200, errors);
    }

    private static Connection close(Connection c) {
        if (c != null) {
            try {
                c.socket.close();
            } catch (IOException ignored) {
                // the connection is dropped either way
            }
        }
        return null;
    }

    /** One keep-alive connection: writes a prepared request and reads one whole answer. */
    private static final class Connection {
        final Socket socket;
        final OutputStream out;
        final InputStream in;
        boolean closing;

        Connection(InetSocketAddress address) throws IOException {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(address, 5000);
            socket.setSoTimeout(10_000);
            out = socket.getOutputStream();
            in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        }

        int exchange(byte[] request, byte[] buffer) throws IOException {
            out.write(request);
            out.flush();
            String statusLine = line(buffer);
            int status = Integer.parseInt(statusLine.substring(9, 12));
            long length = -1;
            boolean chunked = false;
            for (String header = line(buffer); !header.isEmpty(); header = line(buffer)) {
                int colon = header.indexOf(':');
                String name = header.substring(0, Math.max(colon, 0)).trim();
                if (name.equalsIgnoreCase("Content-Length")) {
                    length = Long.parseLong(header.substring(colon + 1).trim());
                } else if (name.equalsIgnoreCase("Transfer-Encoding") && header.toLowerCase().contains("chunked")) {
                    chunked = true;
                } else if (name.equalsIgnoreCase("Connection") && header.toLowerCase().contains("close")) {
                    closing = true;
                }
            }
            if (chunked) {
                for (long size = Long.parseLong(line(buffer).split(";")[0].trim(), 16); size > 0;
                     size = Long.parseLong(line(buffer).split(";")[0].trim(), 16)) {
                    skip(size, buffer);
                    line(buffer); // the CRLF after the chunk
                }
                for (String trailer = line(buffer); !trailer.isEmpty(); trailer = line(buffer)) {
                    // trailers are not used
                }
            } else if (length > 0) {
                skip(length, buffer);
            }
            return status;
        }

        private void skip(long n, byte[] buffer) throws IOException {
            while (n > 0) {
                int read = in.read(buffer, 0, (int) Math.min(buffer.length, n));
                if (read < 0) {
                    throw new IOException("the connection closed inside an answer");
                }
                n -= read;
            }
        }

        /** One header line without its CRLF (ASCII). */
        private String line(byte[] buffer) throws IOException {
            int n = 0;
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    throw new IOException("the connection closed");
                }
                if (b != '\r' && n < buffer.length) {
                    buffer[n++] = (byte) b;
                }
            }
            return new String(buffer, 0, n, StandardCharsets.US_ASCII);
        }
    }

    private static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int idx = (int) Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1);
        return sorted[Math.max(0, idx)] / 1000.0;
    }
}
