package cn.bazhong.credit.gateway.mapping;

import cn.bazhong.credit.gateway.mapping.source.SourceSpec;
import cn.bazhong.credit.gateway.schema.RecordKind;

import java.util.List;

/**
 * A loaded, checked mapping file. {@code id} and {@code version} go into every record's provenance,
 * so a record can always be traced to the mapping that produced it.
 *
 * @param snapshot each input is the department's complete current list (the court's daily file):
 *                 an entry missing from the next input has exited the list
 */
public record MappingDefinition(
        String id,
        int version,
        String department,
        RecordKind kind,
        SourceSpec source,
        List<FieldMapping> fields,
        List<KeyTemplate> businessKey,
        String file,
        boolean snapshot) {
}
