package cn.bazhong.credit.gateway.config;

import cn.bazhong.credit.gateway.support.TestGateway;
import org.junit.jupiter.api.Test;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.FileSystemResource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The gateway.* keys the gateway knows come from Spring Boot's configuration metadata (written by the
 * configuration processor from the settings records and the additional metadata file); every key of the
 * repository's configuration files and of a test gateway's settings is one of them, and a misspelt key is not.
 */
class ConfigurationKeysTest {

    private static final KnownKeys KNOWN = KnownKeys.fromClassPath(ConfigurationKeysTest.class.getClassLoader(), "gateway.");

    @Test
    void every_gateway_key_of_the_configuration_files_is_a_known_key() throws IOException {
        List<String> keys = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("config"))) {
            for (Path file : files.filter(f -> f.getFileName().toString().matches("application.*\\.ya?ml")).sorted().toList()) {
                for (PropertySource<?> source : new YamlPropertySourceLoader().load(file.toString(), new FileSystemResource(file))) {
                    for (String name : ((EnumerablePropertySource<?>) source).getPropertyNames()) {
                        if (name.startsWith("gateway.")) {
                            keys.add(file.getFileName() + ": " + name);
                        }
                    }
                }
            }
        }

        assertThat(keys).as("the files hold gateway.* keys").hasSizeGreaterThan(150)
                .allSatisfy(k -> assertThat(KNOWN.contains(k.substring(k.indexOf(": ") + 2))).as(k).isTrue());
    }

    @Test
    void the_keys_a_test_gateway_is_given_are_known_keys() {
        List<String> keys = new ArrayList<>();
        TestGateway.register((name, value) -> keys.add(name), "keys");

        assertThat(keys).filteredOn(k -> k.startsWith("gateway.")).hasSizeGreaterThan(10).allSatisfy(k ->
                assertThat(KNOWN.contains(k)).as(k).isTrue());
    }

    @Test
    void a_misspelt_key_is_unknown_and_named_with_the_nearest_known_key() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("gateway.node-id", "node-1");
        values.put("gateway.upstrem.token", "x");
        values.put("gateway.hazelcast.membres", "127.0.0.1:5701");
        values.put("gateway.rest.max-body-sise", "1MB");
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", values));

        assertThat(ConfigurationKeysCheck.unknownKeys(environment, KNOWN))
                .extracting(UnknownKey::key, UnknownKey::nearest, UnknownKey::origin)
                .containsExactly(tuple("gateway.upstrem.token", "gateway.upstream.token", "test"),
                        tuple("gateway.hazelcast.membres", "gateway.hazelcast.members", "test"),
                        tuple("gateway.rest.max-body-sise", "gateway.rest.max-body-size", "test"));
    }

    @Test
    void relaxed_spellings_and_keys_below_map_and_list_settings_are_known_and_others_below_them_are_not() {
        assertThat(List.of("gateway.nodeId", "gateway.node_id", "gateway.access.departments.SCJGJ[0]", "gateway.access.province[1]",
                "gateway.kafka.client.security.protocol", "gateway.feeds.newdept.sftp.host", "gateway.measures.expected-delivery.SWJ",
                "gateway.config.check-unknown-keys", "gateway.subjects.records-years"))
                .allSatisfy(k -> assertThat(KNOWN.contains(k)).as(k).isTrue());
        assertThat(List.of("gateway.nodes-id", "gateway.tls.redirect.prot", "gateway.upstream.sftp.hots", "gateway.feed.scjgj.sftp.host"))
                .allSatisfy(k -> assertThat(KNOWN.contains(k)).as(k).isFalse());
        assertThat(KNOWN.nearest("gateway.feed.scjgj.sftp.host")).contains("gateway.feeds");
    }

    @Test
    void the_distance_between_two_keys_counts_the_edits_from_one_to_the_other() {
        assertThat(KnownKeys.levenshtein("gateway.upstrem.token", "gateway.upstream.token")).isEqualTo(1);
        assertThat(KnownKeys.levenshtein("kitten", "sitting")).isEqualTo(3);
        assertThat(KnownKeys.levenshtein("", "abc")).isEqualTo(3);
        assertThat(KnownKeys.levenshtein("same", "same")).isZero();
    }
}
