package cn.bazhong.credit.gateway.schema;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The mapping-file reference lists every canonical field integrators can fill. */
class MappingDocsTest {

    @Test
    void docs_mappings_md_lists_every_canonical_field() throws IOException {
        String docs = Files.readString(Path.of("docs/mappings.md"));

        for (CanonicalField f : CanonicalField.values()) {
            assertThat(docs).as("docs/mappings.md documents %s", f.path()).contains("| `" + f.path() + "` |");
        }
    }
}
