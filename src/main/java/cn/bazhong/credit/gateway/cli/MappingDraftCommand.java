package cn.bazhong.credit.gateway.cli;

import picocli.CommandLine.Command;

import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.util.concurrent.Callable;

@Command(name = "draft", mixinStandardHelpOptions = true)
public final class MappingDraftCommand implements Callable<Integer> {
    private final Clock clock;
    private OutputStream stdout = System.out;
    private PrintStream stderr = System.err;

    public MappingDraftCommand(Clock clock) {
        this.clock = clock;
    }

    MappingDraftCommand streams(OutputStream out, PrintStream err) {
        this.stdout = out;
        this.stderr = err;
        return this;
    }

    @Override
    public Integer call() {
        return 2;
    }
}
