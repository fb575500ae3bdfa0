package cn.bazhong.credit.gateway.cli;

import cn.bazhong.credit.gateway.security.ApiKeys;
import picocli.CommandLine.Command;

import java.io.PrintStream;
import java.util.concurrent.Callable;

/** {@code access new-key}: a new department API key, and the hash to configure for it. */
@Command(name = "new-key", mixinStandardHelpOptions = true, versionProvider = GatewayCommands.Version.class,
        synopsisHeading = "usage: ",
        description = {"A new department API key, and its hash.",
                "Give the key to the department once and keep it nowhere else; its SHA-256 goes under gateway.access.departments.<DEPT>."})
final class AccessNewKeyCommand implements Callable<Integer> {

    private PrintStream stdout = System.out;

    AccessNewKeyCommand streams(PrintStream out) {
        this.stdout = out;
        return this;
    }

    @Override
    public Integer call() {
        String key = ApiKeys.generate();
        stdout.println("key (give it to the department once, keep it nowhere else): " + key);
        stdout.println("sha-256 (put it under gateway.access.departments.<DEPT>): " + ApiKeys.hash(key));
        return 0;
    }
}
