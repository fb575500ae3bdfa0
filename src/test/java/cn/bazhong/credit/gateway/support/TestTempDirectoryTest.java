package cn.bazhong.credit.gateway.support;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class TestTempDirectoryTest {

    @Test
    void the_suite_writes_its_temporary_files_under_target_not_into_the_machines_temporary_directory() throws Exception {
        Path created = Files.createTempDirectory("where-am-i-");
        try {
            assertThat(created.toAbsolutePath().normalize())
                    .as("java.io.tmpdir of a test JVM started by the build (pom.xml's argLine)")
                    .startsWith(TestTempDirectory.ROOT.toAbsolutePath().normalize());
            assertThat(TestJvmFlags.forChildren()).as("the JVMs a test starts write there too")
                    .contains("-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"));
        } finally {
            Files.delete(created);
        }
    }

    @Test
    void a_test_jvms_own_directory_is_emptied_when_it_starts_and_nothing_else_is() throws Exception {
        Path own = TestTempDirectory.ROOT.resolve("prepare-check-" + ProcessHandle.current().pid());
        Files.createDirectories(own.resolve("kafka/credit.records-0"));
        Files.writeString(own.resolve("kafka/credit.records-0/00000000000000000000.log"), "left over");
        Files.writeString(own.resolve("stale.key"), "left over");
        try {
            assertThat(TestTempDirectory.prepare(own)).isTrue();
            assertThat(own).isEmptyDirectory();
        } finally {
            Files.deleteIfExists(own);
        }

        assertThat(TestTempDirectory.prepare(TestTempDirectory.ROOT)).as("the root holds every JVM's directory").isFalse();
        assertThat(TestTempDirectory.prepare(Path.of("target"))).isFalse();
        assertThat(TestTempDirectory.prepare(TestTempDirectory.ROOT.resolve("../classes"))).as("a way out of the root").isFalse();
        assertThat(TestTempDirectory.prepare(Path.of(System.getProperty("user.home")))).isFalse();
        assertThat(Path.of("target/classes")).isNotEmptyDirectory();
    }
}
