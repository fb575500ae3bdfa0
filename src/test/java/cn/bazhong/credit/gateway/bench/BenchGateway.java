package cn.bazhong.credit.gateway.bench;

import cn.bazhong.credit.gateway.GatewayApplication;
import cn.bazhong.credit.gateway.ingest.FeedIngestor;
import cn.bazhong.credit.gateway.ingest.FeedSource;
import cn.bazhong.credit.gateway.ingest.Receipt;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The collection benchmark's gateway in a JVM of its own. Its arguments are the gateway's settings
 * ({@code --key=value}, as on the gateway's command line). Once the gateway has started it prints
 * {@code bench: ready}; then it reads commands on its standard input: {@code ingest <csv file>} ingests
 * the file as an SCJGJ penalty feed with {@link FeedIngestor} (as a file from the department's folder)
 * and prints {@code bench: ingested accepted=… rejected=… duplicates=…}; {@code property <key>} prints
 * {@code bench: property <key>=<value>}, the setting as the running gateway resolved it (e.g. {@code local.server.port},
 * {@code gateway.upstream.batch-wait}); {@code live-heap} runs a full collection and prints {@code bench: live-heap=<bytes>},
 * the heap still in use after it (what the gateway keeps, garbage left out); {@code maps} prints
 * {@code bench: maps <name>=<entries>/<bytes>,…}, each Hazelcast map's entries owned by this member and what they cost
 * it ({@code getOwnedEntryMemoryCost}); {@code histogram <file>} writes the live objects' class histogram (a full
 * collection first, as {@code jcmd GC.class_histogram}) to the file and prints {@code bench: histogram written};
 * {@code stop} stops the gateway.
 */
public final class BenchGateway {

    private BenchGateway() {
    }

    public static void main(String[] args) throws Exception {
        int status = 0;
        try (ConfigurableApplicationContext gateway = new SpringApplicationBuilder(GatewayApplication.class).run(args)) {
            FeedIngestor ingestor = gateway.getBean(FeedIngestor.class);
            System.out.println("bench: ready");
            BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = commands.readLine()) != null && !line.strip().equals("stop")) {
                if (line.startsWith("ingest ")) {
                    Path csv = Path.of(line.substring("ingest ".length()).strip());
                    try (InputStream in = Files.newInputStream(csv)) {
                        Receipt receipt = ingestor.ingest(FeedSource.file("scjgj-penalties", csv.getFileName().toString(), "bench"), in);
                        System.out.printf("bench: ingested accepted=%d rejected=%d duplicates=%d%n",
                                receipt.accepted(), receipt.rejectedTotal(), receipt.duplicates());
                    } catch (Exception e) {
                        e.printStackTrace();
                        System.out.println("bench: failed " + e);
                        status = 1;
                    }
                } else if (line.startsWith("property ")) {
                    String key = line.substring("property ".length()).strip();
                    System.out.println("bench: property " + key + "=" + gateway.getEnvironment().getProperty(key));
                } else if (line.startsWith("histogram ")) {
                    Files.writeString(Path.of(line.substring("histogram ".length()).strip()), histogram());
                    System.out.println("bench: histogram written");
                } else if (line.strip().equals("maps")) {
                    System.out.println("bench: maps " + maps(gateway.getBean(com.hazelcast.core.HazelcastInstance.class)));
                } else if (line.strip().equals("live-heap")) {
                    System.out.println("bench: live-heap=" + liveHeap());
                } else {
                    System.out.println("bench: unknown command " + line);
                }
            }
        }
        System.out.println("bench: stopped");
        System.exit(status);
    }

    private static String histogram() throws Exception {
        return (String) java.lang.management.ManagementFactory.getPlatformMBeanServer().invoke(
                new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {new String[0]}, new String[] {String[].class.getName()});
    }

    private static String maps(com.hazelcast.core.HazelcastInstance hazelcast) {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (com.hazelcast.core.DistributedObject o : hazelcast.getDistributedObjects()) {
            if (o instanceof com.hazelcast.map.IMap<?, ?> map) {
                com.hazelcast.map.LocalMapStats stats = map.getLocalMapStats();
                out.add(map.getName() + "=" + stats.getOwnedEntryCount() + "/" + stats.getOwnedEntryMemoryCost());
            }
        }
        java.util.Collections.sort(out);
        return String.join(",", out);
    }

    /** Bytes in use once a full collection has run (twice: what the first one left for finalization goes in the second). */
    private static long liveHeap() {
        System.gc();
        System.gc();
        return java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
