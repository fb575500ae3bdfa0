package cn.bazhong.credit.gateway.support;

import org.junit.jupiter.api.Test;
import org.junit.platform.suite.api.SelectClasses;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A class that shares a gateway runs with the others that share it (in {@link SharedGatewayTests} or
 * {@link SharedFanoutGatewayTests}), and only there.
 */
class SharedGatewayMembershipTest {

    static final Path SOURCES = Path.of("src/test/java");

    @Test
    void every_class_that_extends_the_shared_gateway_runs_in_its_suite_and_not_a_second_time_on_its_own() throws IOException {
        assertRunsOnlyInItsSuite("SharedGateway", SharedGatewayTests.class);
    }

    @Test
    void every_class_that_extends_the_shared_fanout_gateway_runs_in_its_suite_and_not_a_second_time_on_its_own() throws IOException {
        assertRunsOnlyInItsSuite("SharedFanoutGateway", SharedFanoutGatewayTests.class);
    }

    private static void assertRunsOnlyInItsSuite(String base, Class<?> suite) throws IOException {
        Pattern extendsBase = Pattern.compile("\\bclass\\s+\\w+\\s+extends\\s+" + base + "\\b");
        List<String> sharing;
        try (Stream<Path> files = Files.walk(SOURCES)) {
            sharing = files.filter(f -> f.toString().endsWith(".java") && extendsBase.matcher(read(f)).find())
                    .map(f -> SOURCES.relativize(f).toString().replace(".java", "").replace('/', '.'))
                    .sorted().toList();
        }
        assertThat(sharing).as("the classes that extend %s", base).hasSizeGreaterThan(1);

        List<String> inSuite = Arrays.stream(suite.getAnnotation(SelectClasses.class).names()).sorted().toList();
        assertThat(inSuite).as("the classes %s runs", suite.getSimpleName()).isEqualTo(sharing);

        String pom = Files.readString(Path.of("pom.xml"));
        for (String name : sharing) {
            String simple = name.substring(name.lastIndexOf('.') + 1);
            assertThat(pom).as("pom.xml leaves %s to the suite", simple).contains("<exclude>**/" + simple + ".java</exclude>");
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
