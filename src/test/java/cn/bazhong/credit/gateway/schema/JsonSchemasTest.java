package cn.bazhong.credit.gateway.schema;

import cn.bazhong.credit.gateway.mapping.MappingLoader;
import cn.bazhong.credit.gateway.validation.Vocabularies;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class JsonSchemasTest {

    private static final Path PUBLISHED = Path.of("docs", "schema");
    private static final String REGENERATE = "./mvnw -q -o compile && ./mvnw -q -o dependency:build-classpath "
            + "-Dmdep.outputFile=target/classpath.txt && java -cp \"target/classes:$(cat target/classpath.txt)\" "
            + "cn.bazhong.credit.gateway.schema.JsonSchemas docs/schema";

    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            b -> b.schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
    private static final Map<RecordKind, ObjectNode> SCHEMAS = JsonSchemas.generate();

    private static List<com.networknt.schema.Error> validate(RecordKind kind, JsonNode record) {
        Schema schema = REGISTRY.getSchema(SCHEMAS.get(kind));
        return schema.validate(record);
    }

    /** The record as RecordJson writes it, read back as a tree. */
    private static ObjectNode json(CreditRecord record) {
        try {
            return (ObjectNode) RecordJson.mapper().readTree(RecordJson.mapper().writeValueAsString(record));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @ParameterizedTest
    @EnumSource(RecordKind.class)
    void the_published_schema_is_what_the_code_generates_now(RecordKind kind) throws IOException {
        Path file = PUBLISHED.resolve(JsonSchemas.fileName(kind));

        assertThat(file).as("%s is missing; generate it with: %s", file, REGENERATE).exists();
        assertThat(Files.readString(file, StandardCharsets.UTF_8))
                .as("%s is out of date with CanonicalField, Vocabularies or the record types; regenerate it with: %s",
                        file, REGENERATE)
                .isEqualTo(JsonSchemas.text(SCHEMAS.get(kind)));
    }

    @Test
    void there_is_one_schema_per_record_kind_with_its_own_id() {
        assertThat(SCHEMAS).containsOnlyKeys(RecordKind.values());
        assertThat(SCHEMAS.get(RecordKind.ADMIN_PENALTY).path("$id").asText())
                .isEqualTo("https://credit.bazhong.example/schema/admin-penalty.schema.json");
        assertThat(SCHEMAS.values()).allSatisfy(s -> {
            assertThat(s.path("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
            assertThat(s.path("title").asText()).isNotBlank();
            assertThat(s.path("description").asText()).isNotBlank();
        });
        assertThat(JsonSchemas.fileName(RecordKind.ADMIN_LICENSE)).isEqualTo("admin-license.schema.json");
        assertThat(JsonSchemas.fileName(RecordKind.LIST_ENTRY)).isEqualTo("list-entry.schema.json");
    }

    @ParameterizedTest
    @EnumSource(RecordKind.class)
    void every_schema_is_a_valid_draft_2020_12_schema(RecordKind kind) {
        Schema metaSchema = REGISTRY.getSchema(SchemaLocation.of(JsonSchemas.DIALECT));

        assertThat(metaSchema.validate(SCHEMAS.get(kind))).isEmpty();
    }

    @Test
    void generating_twice_gives_the_same_text() {
        Map<RecordKind, ObjectNode> again = JsonSchemas.generate();

        for (RecordKind kind : RecordKind.values()) {
            assertThat(JsonSchemas.text(again.get(kind))).isEqualTo(JsonSchemas.text(SCHEMAS.get(kind)));
        }
    }

    static Stream<Path> sampleMappings() {
        return SampleFeeds.mappings().stream();
    }

    @ParameterizedTest
    @MethodSource("sampleMappings")
    void every_accepted_sample_record_validates_against_its_kinds_schema(Path mappingFile) {
        RecordKind kind = MappingLoader.load(mappingFile).kind();
        List<CreditRecord> records = SampleFeeds.accepted(mappingFile);

        assertThat(records).as("accepted records of %s", mappingFile)
                .hasSize((int) SampleFeeds.expectedValid(MappingLoader.load(mappingFile)));
        List<String> failures = new ArrayList<>();
        for (CreditRecord r : records) {
            assertThat(r.kind()).isEqualTo(kind);
            for (com.networknt.schema.Error e : validate(kind, json(r))) {
                failures.add(r.recordId() + ": " + e);
            }
        }
        assertThat(failures).as("schema violations of the records of %s", mappingFile).isEmpty();
    }

    @Test
    void the_provinces_list_updates_validate_against_the_list_entry_schema() throws Exception {
        cn.bazhong.credit.gateway.mapping.MappingDefinition mapping = MappingLoader.load(Path.of("mappings/province-list-updates.yaml"));
        cn.bazhong.credit.gateway.mapping.RecordMapper mapper = new cn.bazhong.credit.gateway.mapping.RecordMapper(mapping,
                java.time.Clock.fixed(java.time.Instant.parse("2026-11-27T02:00:00Z"), java.time.ZoneOffset.UTC));
        cn.bazhong.credit.gateway.schema.Provenance provenance = new cn.bazhong.credit.gateway.schema.Provenance("PROVINCE", "rest",
                null, null, "PUSH-1", null, null, null, java.time.Instant.parse("2026-11-27T02:00:00Z"), mapping.id(), mapping.version());
        List<String> failures = new ArrayList<>();
        int accepted = 0;
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(Path.of("samples/province/list-updates.ndjson"));
             cn.bazhong.credit.gateway.mapping.source.RecordReader reader =
                     cn.bazhong.credit.gateway.mapping.source.RecordReader.open(mapping.source(), in)) {
            while (reader.hasNext()) {
                if (mapper.map(reader.next(), provenance) instanceof cn.bazhong.credit.gateway.mapping.MappingResult.Accepted a) {
                    accepted++;
                    for (com.networknt.schema.Error e : validate(RecordKind.LIST_ENTRY, json(a.record()))) {
                        failures.add(a.record().recordId() + ": " + e);
                    }
                }
            }
        }
        assertThat(accepted).isEqualTo(2);
        assertThat(failures).isEmpty();
    }

    @Test
    void the_five_sample_feeds_cover_every_record_kind_but_commitments() {
        assertThat(SampleFeeds.mappings()).hasSize(5);
        assertThat(SampleFeeds.mappings().stream().map(m -> MappingLoader.load(m).kind()).distinct())
                .containsExactlyInAnyOrder(RecordKind.ADMIN_PENALTY, RecordKind.ADMIN_LICENSE, RecordKind.LIST_ENTRY);
    }

    @Test
    void the_xzspj_commitment_sample_validates_against_the_commitment_schema() throws Exception {
        cn.bazhong.credit.gateway.mapping.MappingDefinition mapping = MappingLoader.load(Path.of("mappings/xzspj-commitments.yaml"));
        cn.bazhong.credit.gateway.mapping.RecordMapper mapper = new cn.bazhong.credit.gateway.mapping.RecordMapper(mapping,
                java.time.Clock.fixed(java.time.Instant.parse("2026-11-27T02:00:00Z"), java.time.ZoneOffset.UTC));
        cn.bazhong.credit.gateway.schema.Provenance provenance = new cn.bazhong.credit.gateway.schema.Provenance("XZSPJ", "rest",
                null, null, "PUSH-1", null, null, null, java.time.Instant.parse("2026-11-27T02:00:00Z"), mapping.id(), mapping.version());
        List<String> failures = new ArrayList<>();
        int accepted = 0;
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(Path.of("samples/feeds/rest/xzspj/commitments-001.json"));
             cn.bazhong.credit.gateway.mapping.source.RecordReader reader =
                     cn.bazhong.credit.gateway.mapping.source.RecordReader.open(mapping.source(), in)) {
            while (reader.hasNext()) {
                if (mapper.map(reader.next(), provenance) instanceof cn.bazhong.credit.gateway.mapping.MappingResult.Accepted a) {
                    accepted++;
                    for (com.networknt.schema.Error e : validate(RecordKind.COMMITMENT, json(a.record()))) {
                        failures.add(a.record().recordId() + ": " + e);
                    }
                }
            }
        }
        assertThat(accepted).isEqualTo(3);
        assertThat(failures).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(RecordKind.class)
    void a_record_with_every_property_set_validates(RecordKind kind) {
        assertThat(validate(kind, json(FullRecords.full(kind)))).isEmpty();
    }

    /**
     * Every property the schema declares is one the Java types write, and the other way round
     * (additionalProperties: false covers that direction): a drift in either shows up here.
     */
    @ParameterizedTest
    @EnumSource(RecordKind.class)
    void the_schema_declares_exactly_the_properties_that_a_full_record_writes(RecordKind kind) {
        TreeSet<String> written = new TreeSet<>();
        leaves("", json(FullRecords.full(kind)), written);
        TreeSet<String> declared = new TreeSet<>();
        declared(SCHEMAS.get(kind), "", declared);

        assertThat(declared).isEqualTo(written);
    }

    private static void leaves(String prefix, JsonNode node, TreeSet<String> out) {
        if (node.isObject() && !prefix.endsWith("attributes")) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                leaves(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
            }
        } else {
            out.add(prefix);
        }
    }

    private static void declared(JsonNode schema, String prefix, TreeSet<String> out) {
        JsonNode properties = schema.path("properties");
        if (!properties.isObject()) {
            out.add(prefix);
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            declared(e.getValue(), prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), out);
        }
    }

    static Stream<Arguments> mistakes() {
        return Stream.of(
                mistake("an unknown top-level property", r -> r.put("comment", "x")),
                mistake("an unknown property in the penalty", r -> penalty(r).put("fineYuan", 120000)),
                mistake("an unknown property in the subject", r -> subject(r).put("phone", "123")),
                mistake("a subject category outside the vocabulary", r -> subject(r).put("category", "企业法人")),
                mistake("a penalty kind outside the vocabulary", r -> ((ArrayNode) penalty(r).get("kinds")).add("罚金")),
                mistake("no penalty kind", r -> penalty(r).putArray("kinds")),
                mistake("an operation that does not exist", r -> r.put("operation", "DELETE")),
                mistake("a date that is not in the calendar", r -> penalty(r).put("decisionDate", "2024-02-30")),
                mistake("a date in a feed's style", r -> penalty(r).put("decisionDate", "2024/01/30")),
                mistake("a version that is not 32 hex digits", r -> r.put("version", "ABC")),
                mistake("a missing required field", r -> penalty(r).remove("decisionNo")),
                mistake("a missing provenance", r -> r.remove("provenance")),
                mistake("a record id of another kind", r -> r.put("recordId", "SCJGJ:ADMIN_LICENSE:x")),
                mistake("the body of another kind", r -> r.set("licence", penalty(r).deepCopy())),
                mistake("a fine written as text", r -> penalty(r).put("fineWan", "12")),
                mistake("a negative fine", r -> penalty(r).put("fineWan", -1)),
                mistake("a credit code with a letter GB 32100 excludes", r -> subject(r).put("uscc", "91110000I00037341L")),
                mistake("a name longer than 200 characters", r -> subject(r).put("name", "巴".repeat(201))),
                mistake("an empty name", r -> subject(r).put("name", "")),
                mistake("an ID type outside the vocabulary", r -> subject(r).put("idType", "军官证")));
    }

    private static Arguments mistake(String what, Consumer<ObjectNode> change) {
        return Arguments.of(what, change);
    }

    private static ObjectNode penalty(ObjectNode r) {
        return (ObjectNode) r.get("penalty");
    }

    private static ObjectNode subject(ObjectNode r) {
        return (ObjectNode) r.get("subject");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mistakes")
    void a_penalty_record_with_a_mistake_fails_validation(String what, Consumer<ObjectNode> change) {
        ObjectNode record = json(FullRecords.of(RecordKind.ADMIN_PENALTY));
        assertThat(validate(RecordKind.ADMIN_PENALTY, record)).as("before the change").isEmpty();

        change.accept(record);

        assertThat(validate(RecordKind.ADMIN_PENALTY, record)).as(what).isNotEmpty();
    }

    @Test
    void a_real_sample_record_with_a_mistake_fails_validation() {
        CreditRecord real = SampleFeeds.record("scjgj-penalties.yaml", "巴市监处罚〔2022〕1001号");
        ObjectNode record = json(real);
        assertThat(validate(RecordKind.ADMIN_PENALTY, record)).isEmpty();

        ((ObjectNode) record.get("penalty")).put("decisionDate", "2022-13-30");

        assertThat(validate(RecordKind.ADMIN_PENALTY, record))
                .anySatisfy(e -> assertThat(e.getInstanceLocation().toString()).contains("decisionDate"));
    }

    @Test
    void a_record_validated_against_another_kinds_schema_fails() {
        ObjectNode penalty = json(FullRecords.of(RecordKind.ADMIN_PENALTY));

        assertThat(validate(RecordKind.ADMIN_LICENSE, penalty)).isNotEmpty();
        assertThat(validate(RecordKind.LIST_ENTRY, penalty)).isNotEmpty();
    }

    @Test
    void a_long_term_flag_that_disagrees_with_the_end_date_fails_validation() {
        ObjectNode longTerm = json(FullRecords.of(RecordKind.ADMIN_LICENSE));
        ((ObjectNode) longTerm.get("licence")).put("longTerm", false);
        ObjectNode dated = json(FullRecords.of(RecordKind.ADMIN_LICENSE));
        ((ObjectNode) dated.get("licence")).put("validTo", "2030-01-01");

        assertThat(validate(RecordKind.ADMIN_LICENSE, longTerm)).isNotEmpty();
        assertThat(validate(RecordKind.ADMIN_LICENSE, dated)).isNotEmpty();
    }

    @Test
    void a_list_entry_with_an_unknown_status_or_a_lower_case_list_type_fails_validation() {
        ObjectNode status = json(FullRecords.of(RecordKind.LIST_ENTRY));
        ((ObjectNode) status.get("entry")).put("status", "DELETED");
        ObjectNode listType = json(FullRecords.of(RecordKind.LIST_ENTRY));
        ((ObjectNode) listType.get("entry")).put("listType", "tax_a");
        ObjectNode attribute = json(FullRecords.of(RecordKind.LIST_ENTRY));
        ((ObjectNode) attribute.get("entry").get("attributes")).put("evaluationYear", 2021);

        assertThat(validate(RecordKind.LIST_ENTRY, status)).isNotEmpty();
        assertThat(validate(RecordKind.LIST_ENTRY, listType)).isNotEmpty();
        assertThat(validate(RecordKind.LIST_ENTRY, attribute)).isNotEmpty();
    }

    @Test
    void id_types_follow_the_vocabulary_including_its_other_prefix_rule() {
        assertThat(Vocabularies.ID_TYPE.check(JsonSchemas.ID_TYPE_OTHER_PREFIX + "军官证").isOk()).isTrue();
        assertThat(Vocabularies.ID_TYPE.check(JsonSchemas.ID_TYPE_OTHER_PREFIX).isOk()).isFalse();
        for (String idType : List.of("身份证", "外国人永久居留身份证", "其他-军官证")) {
            ObjectNode record = json(FullRecords.of(RecordKind.ADMIN_PENALTY));
            subject(record).put("idType", idType);
            assertThat(validate(RecordKind.ADMIN_PENALTY, record)).as(idType).isEmpty();
        }
        ObjectNode bare = json(FullRecords.of(RecordKind.ADMIN_PENALTY));
        subject(bare).put("idType", JsonSchemas.ID_TYPE_OTHER_PREFIX);
        assertThat(validate(RecordKind.ADMIN_PENALTY, bare)).isNotEmpty();
    }

    @Test
    void the_individual_business_placeholder_code_is_a_valid_credit_code() {
        ObjectNode record = json(FullRecords.of(RecordKind.ADMIN_PENALTY));
        subject(record).put("category", Subject.INDIVIDUAL_BUSINESS).put("uscc", "00000000000000000X");

        assertThat(validate(RecordKind.ADMIN_PENALTY, record)).isEmpty();
    }

    @Test
    void required_lists_follow_the_canonical_fields() {
        ObjectNode penalty = SCHEMAS.get(RecordKind.ADMIN_PENALTY);

        assertThat(strings(penalty.path("required"))).containsExactly("recordId", "version", "kind", "operation",
                "businessKey", "subject", "penalty", "provenance");
        assertThat(strings(penalty.at("/properties/subject/required"))).containsExactly("category", "name");
        assertThat(strings(penalty.at("/properties/penalty/required"))).containsExactly("decisionNo", "violationType",
                "facts", "basis", "kinds", "content", "decisionDate", "validUntil", "authority", "dataSource");
        assertThat(penalty.at("/properties/penalty/properties/facts/maxLength").asInt())
                .isEqualTo(CanonicalField.PENALTY_FACTS.maxLength());
        assertThat(strings(penalty.at("/properties/penalty/properties/kinds/items/enum")))
                .containsExactlyElementsOf(Vocabularies.PENALTY_KIND.values());
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
