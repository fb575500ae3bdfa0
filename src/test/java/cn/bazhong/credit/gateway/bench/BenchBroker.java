package cn.bazhong.credit.gateway.bench;

import cn.bazhong.credit.gateway.infra.EmbeddedKafkaBroker;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The collection benchmark's broker in a JVM of its own: the gateway's embedded single-node KRaft
 * broker on the given ports and log folder. Prints {@code bench: bootstrap=<host:port>} once it
 * listens and stays up until a line {@code stop} (or the end of its standard input).
 * Arguments: port, controller port, log folder.
 */
public final class BenchBroker {

    private BenchBroker() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int controllerPort = Integer.parseInt(args[1]);
        Path logDir = Path.of(args[2]);
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start("127.0.0.1", port, controllerPort, logDir);
        System.out.println("bench: bootstrap=" + broker.bootstrapServers());
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = commands.readLine()) != null && !line.strip().equals("stop")) {
            System.out.println("bench: unknown command " + line);
        }
        broker.close();
        System.out.println("bench: stopped");
        System.exit(0);
    }
}
