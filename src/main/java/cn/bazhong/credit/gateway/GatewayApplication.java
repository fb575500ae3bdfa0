package cn.bazhong.credit.gateway;

import cn.bazhong.credit.gateway.cli.GatewayCommands;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Starts the gateway, unless the arguments name one of the tools of {@link GatewayCommands}
 * ({@code mapping check}, {@code mapping draft}, {@code catalog check}, {@code keys …},
 * {@code access new-key}, {@code --help}), which then runs instead without starting anything else.
 */
@SpringBootApplication
public class GatewayApplication {

    public static void main(String[] args) {
        if (GatewayCommands.handles(args)) {
            System.exit(GatewayCommands.run(args, System.getenv()));
        }
        SpringApplication.run(GatewayApplication.class, args);
    }
}
