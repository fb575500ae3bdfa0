package cn.bazhong.credit.gateway.upstream;

import cn.bazhong.credit.gateway.ingest.RecordPublisher;
import cn.bazhong.credit.gateway.schema.CreditRecord;
import cn.bazhong.credit.gateway.schema.RecordJson;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** A credit record as it travels through the internal topics, with the receipt it belongs to. */
public record RecordEnvelope(CreditRecord record, String receiptId) {

    public static RecordEnvelope read(ConsumerRecord<String, byte[]> r) {
        try {
            CreditRecord record = RecordJson.mapper().readValue(r.value(), CreditRecord.class);
            Header h = r.headers().lastHeader(RecordPublisher.RECEIPT_HEADER);
            return new RecordEnvelope(record, h == null ? null : new String(h.value(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("a record on " + r.topic() + " at " + r.partition() + "/" + r.offset() + " cannot be read", e);
        }
    }

    public String recordId() {
        return record.recordId();
    }

    public String version() {
        return record.version();
    }

    public String department() {
        return record.provenance().department();
    }

    public String feed() {
        return record.provenance().mappingId();
    }
}
