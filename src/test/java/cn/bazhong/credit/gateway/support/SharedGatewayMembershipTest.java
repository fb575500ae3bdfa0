package cn.bazhong.credit.gateway.support;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;
import org.junit.platform.suite.api.SelectClasses;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A class that shares the gateway runs with the others that do (in {@link SharedGatewayTests}), and only there. */
class SharedGatewayMembershipTest {

    @Test
    void every_class_that_extends_the_shared_gateway_runs_in_its_suite_and_not_a_second_time_on_its_own() throws IOException {
        List<String> sharing = new ClassFileImporter().withImportOption(ImportOption.Predefined.ONLY_INCLUDE_TESTS)
                .importPackages("cn.bazhong.credit.gateway").stream()
                .filter(c -> c.isAssignableTo(SharedGateway.class) && !c.getModifiers().contains(com.tngtech.archunit.core.domain.JavaModifier.ABSTRACT))
                .map(JavaClass::getName).sorted().toList();
        assertThat(sharing).as("the classes that extend SharedGateway").hasSizeGreaterThan(1);

        List<String> inSuite = Arrays.stream(SharedGatewayTests.class.getAnnotation(SelectClasses.class).names())
                .sorted().toList();
        assertThat(inSuite).as("the classes SharedGatewayTests runs").isEqualTo(sharing);

        String pom = Files.readString(Path.of("pom.xml"));
        for (String name : sharing) {
            String simple = name.substring(name.lastIndexOf('.') + 1);
            assertThat(pom).as("pom.xml leaves %s to the suite", simple).contains("<exclude>**/" + simple + ".java</exclude>");
        }
    }
}
