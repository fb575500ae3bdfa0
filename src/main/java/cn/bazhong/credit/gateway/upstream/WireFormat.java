package cn.bazhong.credit.gateway.upstream;

import cn.bazhong.credit.gateway.schema.RecordJson;
import com.fasterxml.jackson.core.JsonProcessingException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Renders a batch as the province's exchange contract defines it (provincial-exchange.md). */
public class WireFormat {

    public static final String SCHEMA_VERSION = "2021";

    private final UpstreamSettings.SourceUnit sourceUnit;
    private final cn.bazhong.credit.gateway.privacy.PersonalFields personal;

    public WireFormat(UpstreamSettings.SourceUnit sourceUnit) {
        this(sourceUnit, cn.bazhong.credit.gateway.privacy.PersonalFields.CLEAR);
    }

    /**
     * @param personal opens the personal values a batch keeps sealed: the province is entitled to the full
     *                 ID number, and this document is the one place on the way there where it is opened
     */
    public WireFormat(UpstreamSettings.SourceUnit sourceUnit, cn.bazhong.credit.gateway.privacy.PersonalFields personal) {
        this.sourceUnit = sourceUnit;
        this.personal = personal;
    }

    public byte[] document(BatchDocument batch) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("batchId", batch.batchId());
        doc.put("sourceUnit", Map.of("name", sourceUnit.name(), "uscc", sourceUnit.uscc()));
        doc.put("dataset", batch.dataset());
        doc.put("schemaVersion", SCHEMA_VERSION);
        List<Map<String, Object>> records = new ArrayList<>();
        for (BatchDocument.Entry e : batch.records()) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("recordId", e.recordId());
            r.put("version", e.version());
            r.put("operation", e.operation());
            r.put("data", personal.openNational(e.data()));
            records.add(r);
        }
        doc.put("records", records);
        try {
            return RecordJson.mapper().writeValueAsBytes(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("batch " + batch.batchId() + " could not be written as JSON", e);
        }
    }
}
