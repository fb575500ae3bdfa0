package cn.bazhong.credit.simulators.province;

import java.util.concurrent.CountDownLatch;

/**
 * Runs the provincial simulator for a local demo until the process is stopped (Ctrl-C):
 * <pre>
 * ./mvnw -q -o compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=runtime
 * java -cp target/classes:$(cat target/cp.txt) cn.bazhong.credit.simulators.province.SimulatorMain --port=18090
 * </pre>
 * (or run this class from the IDE).
 * Options: {@code --host=} (default 127.0.0.1), {@code --port=} (default 18090), {@code --token=}
 * (default {@value ProvincialSimulator.Settings#DEV_TOKEN}), {@code --max-batch-records=} (default 500).
 * Watch arrivals in the log or with {@code curl http://127.0.0.1:18090/sim/received}.
 */
public final class SimulatorMain {

    /** The demo's default port. */
    public static final int DEFAULT_PORT = 18090;

    private SimulatorMain() {
    }

    /** Starts the simulator with the given options and blocks until the JVM is stopped. */
    public static void main(String[] args) throws InterruptedException {
        ProvincialSimulator.Settings settings = ProvincialSimulator.Settings.defaults().withPort(DEFAULT_PORT);
        for (String arg : args) {
            String value = arg.substring(arg.indexOf('=') + 1);
            if (arg.startsWith("--host=")) {
                settings = new ProvincialSimulator.Settings(value, settings.port(), settings.token(), settings.maxBatchRecords());
            } else if (arg.startsWith("--port=")) {
                settings = settings.withPort(Integer.parseInt(value));
            } else if (arg.startsWith("--token=")) {
                settings = settings.withToken(value);
            } else if (arg.startsWith("--max-batch-records=")) {
                settings = settings.withMaxBatchRecords(Integer.parseInt(value));
            } else {
                System.err.println("unknown option " + arg + "; use --host= --port= --token= --max-batch-records=");
                System.exit(2);
            }
        }
        ProvincialSimulator simulator = ProvincialSimulator.start(settings);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            simulator.close();
            stopped.countDown();
        }, "province-sim-shutdown"));
        System.out.println("Provincial simulator at " + simulator.baseUri() + " (bearer token: " + settings.token() + ")");
        System.out.println("  push:     POST " + simulator.baseUri() + "/exchange/v1/batches");
        System.out.println("  pull:     GET  " + simulator.baseUri() + "/exchange/v1/list-updates?after=&limit=");
        System.out.println("  watch:    GET  " + simulator.baseUri() + "/sim/received");
        System.out.println("  faults:   POST " + simulator.baseUri() + "/sim/faults   e.g. {\"failNext\": {\"count\": 3, \"status\": 503, \"retryAfterSeconds\": 1}}");
        System.out.println("  updates:  POST " + simulator.baseUri() + "/sim/list-updates   reset: POST " + simulator.baseUri() + "/sim/reset");
        stopped.await();
    }
}
