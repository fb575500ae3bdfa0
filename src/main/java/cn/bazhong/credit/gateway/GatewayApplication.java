package cn.bazhong.credit.gateway;

import cn.bazhong.credit.gateway.cli.CatalogCheckCommand;
import cn.bazhong.credit.gateway.cli.KeysCommand;
import cn.bazhong.credit.gateway.cli.MappingCheckCommand;
import cn.bazhong.credit.gateway.security.ApiKeys;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;

/**
 * Starts the gateway. Four commands run instead without starting anything else:
 * {@code mapping check} (the integrator's dry run), {@code catalog check} (the catalog lint,
 * {@link CatalogCheckCommand}), {@code access new-key} (a new department
 * API key and the hash to configure) and {@code keys ...} (key-encryption keys, data-key rotation,
 * SM2 key pairs: {@link KeysCommand}).
 */
@SpringBootApplication
public class GatewayApplication {

    public static void main(String[] args) {
        if (args.length >= 2 && "access".equals(args[0]) && "new-key".equals(args[1])) {
            String key = ApiKeys.generate();
            System.out.println("key (give it to the department once, keep it nowhere else): " + key);
            System.out.println("sha-256 (put it under gateway.access.departments.<DEPT>): " + ApiKeys.hash(key));
            return;
        }
        if (args.length >= 2 && "mapping".equals(args[0]) && "check".equals(args[1])) {
            List<String> rest = Arrays.asList(args).subList(2, args.length);
            int code = new MappingCheckCommand(Clock.systemDefaultZone()).run(rest, System.out, System.err);
            System.exit(code);
        }
        if (args.length >= 2 && "catalog".equals(args[0]) && "check".equals(args[1])) {
            System.exit(new CatalogCheckCommand().run(Arrays.asList(args).subList(2, args.length), System.out, System.err));
        }
        if (args.length >= 1 && "keys".equals(args[0])) {
            List<String> rest = Arrays.asList(args).subList(1, args.length);
            System.exit(new KeysCommand(Clock.systemUTC(), System.getenv(), new SecureRandom()).run(rest, System.out, System.err));
        }
        SpringApplication.run(GatewayApplication.class, args);
    }
}
