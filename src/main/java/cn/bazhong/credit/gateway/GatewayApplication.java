package cn.bazhong.credit.gateway;

import cn.bazhong.credit.gateway.cli.MappingCheckCommand;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

import java.time.Clock;
import java.util.Arrays;
import java.util.List;

/**
 * Starts the gateway, or, when the first arguments are {@code mapping check}, runs the
 * integrator's dry run instead without starting anything else.
 */
@SpringBootApplication
public class GatewayApplication {

    public static void main(String[] args) {
        if (args.length >= 2 && "mapping".equals(args[0]) && "check".equals(args[1])) {
            List<String> rest = Arrays.asList(args).subList(2, args.length);
            int code = new MappingCheckCommand(Clock.systemDefaultZone()).run(rest, System.out, System.err);
            System.exit(code);
        }
        SpringApplication.run(GatewayApplication.class, args);
    }
}
