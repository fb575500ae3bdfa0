package cn.bazhong.credit.gateway.crypto;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The crypto package is plain Java over BouncyCastle (and Jackson for the key ring file): no Spring, Camel, Kafka, Hazelcast or HTTP. */
class CryptoPackageIsPlainJavaTest {

    private static final List<String> FORBIDDEN = List.of("import org.springframework", "import org.apache.camel",
            "import org.apache.kafka", "import com.hazelcast", "import jakarta.servlet", "import java.net.http");

    @Test
    void no_source_of_the_crypto_package_imports_a_transport_or_spring() throws IOException {
        Path dir = Path.of("src/main/java/cn/bazhong/credit/gateway/crypto");
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> sources = files.filter(f -> f.toString().endsWith(".java")).toList();
            assertThat(sources).hasSizeGreaterThan(5);
            for (Path source : sources) {
                String text = Files.readString(source);
                assertThat(FORBIDDEN).as(source.toString()).noneMatch(text::contains);
            }
        }
    }
}
