package cn.bazhong.credit.gateway;

import cn.bazhong.credit.gateway.infra.HazelcastMaps;
import cn.bazhong.credit.gateway.lists.NextExpiry;
import com.tngtech.archunit.core.domain.JavaAnnotation;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaParameter;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The walls between the gateway's packages, checked on the compiled classes (ArchUnit, no Spring). The layer
 * table below is the one in docs/architecture.md ("Layers"); change both together. A dependency that breaks a
 * wall and cannot be fixed at once is listed in {@link #KNOWN_BREACHES}, by class, with the reason, and as debt
 * in docs/architecture.md; a rule is never loosened for a whole package.
 */
class WallsTest {

    private static final String GATEWAY = "cn.bazhong.credit.gateway";
    private static final String SIMULATORS = "cn.bazhong.credit.simulators";

    /**
     * The layers, bottom first. A package may use the packages of the rows above its own (lower layers), never
     * those of its own row or of a row below it.
     */
    static final List<List<String>> LAYERS = List.of(
            List.of("validation", "yaml", "csv"),   // plain Java: value rules, YAML reading, CSV cells
            List.of("schema"),                      // the shared credit schema
            List.of("mapping", "catalog"),          // the mapping engine; the catalog of datasets and rules
            List.of("crypto"),                      // national algorithms, field encryption, keys
            List.of("privacy"),                     // personal fields sealed with crypto
            List.of("tls"),                         // outbound trust material
            List.of("transport"),                   // carrying documents out: SFTP drops, the province's token
            List.of("infra"),                       // Kafka clients, topics, Hazelcast maps, stage loops
            List.of("ingest", "cluster", "audit"),  // collection into credit.records; feed leases; access log
            List.of("feeds", "lists"),              // the feeds' adapters; list state and its changes
            List.of("fanout"),                      // fan-out of list changes to the departments
            List.of("measures", "publication"),     // joint measures (follow-up events plug into the fan-out); the city website
            List.of("upstream"),                    // delivery to the province (with its measure feedback)
            List.of("ops", "security", "reload"),   // health and metrics; API keys; live reload
            List.of("cli"),                         // command-line tools
            List.of("web", "production", "config"), // the HTTP API; the production profile's and the keys' checks
            List.of("console"));                    // the operator console

    /**
     * Dependencies that break the layer order and are not fixed yet (docs/architecture.md, "Known breaches").
     * Each is one class pair, so anything new between these packages still fails.
     */
    private static final List<Breach> KNOWN_BREACHES = List.of(
            // the list-entries map's index needs the extractor class; infra configures every map
            new Breach(HazelcastMaps.class, NextExpiry.class));

    private record Breach(Class<?> from, Class<?> to) {
    }

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages("cn.bazhong.credit");

    @Test
    void the_core_packages_import_no_camel_kafka_hazelcast_servlet_or_web_framework() {
        noClasses().that().resideInAnyPackage(packages("schema", "validation", "mapping", "catalog", "yaml", "csv",
                        "crypto", "privacy"))
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.apache.camel..", "org.apache.kafka..", "org.springframework.kafka..", "com.hazelcast..",
                        "jakarta.servlet..", "javax.servlet..", "org.springframework.web..", "org.springframework.http..",
                        "org.springframework.boot.web..", "org.springframework.boot.webmvc..", "org.thymeleaf..",
                        "java.net.http..", "com.sun.net.httpserver..", "org.apache.hc..")
                .because("the shared schema, validators, mapping engine and cryptography are plain Java that the "
                        + "transports call, never the reverse (docs/architecture.md, Layers)")
                .check(MAIN);
    }

    @Test
    void nothing_outside_the_simulators_imports_them() {
        noClasses().that().resideOutsideOfPackage(SIMULATORS + "..")
                .should().dependOnClassesThat().resideInAPackage(SIMULATORS + "..")
                .because("the simulators stand in for outside systems; the gateway reaches them only over the wire")
                .check(MAIN);
    }

    @Test
    void the_simulators_use_nothing_of_the_gateway() {
        noClasses().that().resideInAPackage(SIMULATORS + "..")
                .should().dependOnClassesThat().resideInAPackage(GATEWAY + "..")
                .because("an outside system knows only the contracts, not the gateway's classes")
                .check(MAIN);
    }

    @Test
    void the_gateways_top_level_packages_form_no_cycle() {
        var rule = slices().matching(GATEWAY + ".(*)..").should().beFreeOfCycles();
        for (Breach breach : KNOWN_BREACHES) {
            rule = rule.ignoreDependency(breach.from(), breach.to());
        }
        rule.check(MAIN);
    }

    @Test
    void each_package_uses_only_the_layers_below_its_own() {
        LayeredArchitecture layers = layeredArchitecture().consideringOnlyDependenciesInLayers();
        for (List<String> row : LAYERS) {
            for (String pkg : row) {
                layers = layers.layer(pkg).definedBy(GATEWAY + "." + pkg + "..");
            }
        }
        List<String> below = new ArrayList<>();
        for (List<String> row : LAYERS) {
            for (String pkg : row) {
                layers = below.isEmpty() ? layers.whereLayer(pkg).mayNotAccessAnyLayer()
                        : layers.whereLayer(pkg).mayOnlyAccessLayers(below.toArray(String[]::new));
            }
            below.addAll(row);
        }
        for (Breach breach : KNOWN_BREACHES) {
            layers = layers.ignoreDependency(breach.from(), breach.to());
        }
        layers.check(MAIN);
    }

    @Test
    void every_top_level_package_of_the_gateway_has_its_place_in_the_layer_table() {
        Set<String> found = new TreeSet<>();
        for (JavaClass c : MAIN) {
            String name = c.getPackageName();
            if (name.startsWith(GATEWAY + ".")) {
                found.add(name.substring(GATEWAY.length() + 1).split("\\.")[0]);
            }
        }
        Set<String> placed = new TreeSet<>();
        LAYERS.forEach(placed::addAll);
        assertThat(found).as("top-level packages of %s (compiled) against the layer table", GATEWAY)
                .containsExactlyInAnyOrderElementsOf(placed);
    }

    @Test
    void no_gateway_key_is_injected_with_value_annotations_every_one_is_bound_by_a_settings_record() {
        classes().that().resideInAPackage(GATEWAY + "..")
                .should(readNoGatewayKeyWithValue())
                .because("each gateway.* key is bound once, to a validated @ConfigurationProperties record whose metadata "
                        + "the unknown-key check and IDEs read (docs/deployment.md, \"Configuration\")")
                .check(MAIN);
    }

    /** No field, method or parameter annotated with Spring's {@code @Value} whose expression holds a {@code ${gateway.…}} placeholder. */
    private static ArchCondition<JavaClass> readNoGatewayKeyWithValue() {
        return new ArchCondition<>("read no gateway.* key with @Value") {
            @Override
            public void check(JavaClass c, ConditionEvents events) {
                for (JavaField field : c.getFields()) {
                    report(field.getFullName(), field.getAnnotations(), events);
                }
                for (JavaCodeUnit unit : c.getCodeUnits()) {
                    report(unit.getFullName(), unit.getAnnotations(), events);
                    for (JavaParameter parameter : unit.getParameters()) {
                        report(unit.getFullName() + " parameter " + parameter.getIndex(), parameter.getAnnotations(), events);
                    }
                }
            }

            private void report(String where, Set<? extends JavaAnnotation<?>> annotations, ConditionEvents events) {
                for (JavaAnnotation<?> a : annotations) {
                    if (a.getRawType().getName().equals("org.springframework.beans.factory.annotation.Value")
                            && String.valueOf(a.get("value").orElse("")).contains("${gateway.")) {
                        events.add(SimpleConditionEvent.violated(a, where + " reads " + a.get("value").orElse("") + " with @Value"));
                    }
                }
            }
        };
    }

    private static String[] packages(String... names) {
        String[] out = new String[names.length];
        for (int i = 0; i < names.length; i++) {
            out[i] = GATEWAY + "." + names[i] + "..";
        }
        return out;
    }
}
