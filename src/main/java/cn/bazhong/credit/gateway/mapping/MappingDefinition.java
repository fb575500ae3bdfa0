package cn.bazhong.credit.gateway.mapping;

import cn.bazhong.credit.gateway.mapping.source.SourceSpec;
import cn.bazhong.credit.gateway.schema.RecordKind;

import java.util.List;

/**
 * A loaded, checked mapping file. {@code id} and {@code version} go into every record's provenance,
 * so a record can always be traced to the mapping that produced it.
 */
public record MappingDefinition(
        String id,
        int version,
        String department,
        RecordKind kind,
        SourceSpec source,
        List<FieldMapping> fields,
        List<KeyTemplate> businessKey,
        String file) {
}
