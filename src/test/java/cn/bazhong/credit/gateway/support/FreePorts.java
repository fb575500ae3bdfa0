package cn.bazhong.credit.gateway.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Free ports for the servers a test starts, picked once and kept in fields (a supplier called twice would
 * pick two).
 *
 * <p>Not from the kernel's ephemeral range (32768–60999 on Linux), which is where {@code new ServerSocket(0)}
 * would pick: every outgoing connection of the brokers, clients and members of the whole suite takes its
 * local port from that range too, and one did take a port a test had picked in the 20 s before the gateway
 * JVM it was meant for bound it ("Port … was already in use"). Ports come from 20000–31999 instead, a slice
 * per surefire fork ({@code surefire.forkNumber}, so that two test JVMs never hand out the same port), walked
 * from a random start, each one checked free before it is handed out and never handed out twice by a JVM.
 * The local demo's fixed ports (2222, 5701, 8080, 18090–18092, 19092, 19093) are outside the range.
 */
public final class FreePorts {

    private static final int FIRST = 20_000;
    private static final int LAST = 31_999;
    private static final int SLICES = 4;
    private static final int SLICE = (LAST - FIRST + 1) / SLICES;
    static final int BASE = FIRST + SLICE * (fork() % SLICES);
    private static final AtomicInteger NEXT = new AtomicInteger(ThreadLocalRandom.current().nextInt(SLICE));

    private FreePorts() {
    }

    public static int next() {
        for (int tried = 0; tried < SLICE; tried++) {
            int port = BASE + Math.floorMod(NEXT.getAndIncrement(), SLICE);
            if (free(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port left in " + BASE + "–" + (BASE + SLICE - 1));
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The surefire fork this JVM is (1, 2, …), or 0 outside surefire. */
    static int fork() {
        try {
            return Integer.parseInt(System.getProperty("fork.number", "0").trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
