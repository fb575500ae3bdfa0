package cn.bazhong.credit.gateway.ingest;

import cn.bazhong.credit.gateway.schema.CreditRecord;
import cn.bazhong.credit.gateway.schema.RecordJson;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** A credit record as it travels through the internal topics, with the receipt it belongs to. */
public record RecordEnvelope(CreditRecord record, String receiptId) {

    public static RecordEnvelope read(ConsumerRecord<String, byte[]> r) {
        return new RecordEnvelope(parse(r), header(r.headers(), RecordPublisher.RECEIPT_HEADER));
    }

    /**
     * What routing and deduplication need to know of a record: read from its headers, so the record
     * itself is not parsed; a record written without them (before they existed) is parsed instead.
     */
    public static Headline headline(ConsumerRecord<String, byte[]> r) {
        Headers h = r.headers();
        String version = header(h, RecordPublisher.VERSION_HEADER);
        String kind = header(h, RecordPublisher.KIND_HEADER);
        String department = header(h, RecordPublisher.DEPARTMENT_HEADER);
        String feed = header(h, RecordPublisher.FEED_HEADER);
        if (version == null || kind == null || department == null || feed == null) {
            RecordEnvelope e = read(r);
            return new Headline(e.recordId(), e.version(), e.record().kind().name(), e.department(), e.feed(), e.receiptId());
        }
        return new Headline(r.key(), version, kind, department, feed, header(h, RecordPublisher.RECEIPT_HEADER));
    }

    /** Record id, version, kind, department, feed (mapping id) and receipt of a record on an internal topic. */
    public record Headline(String recordId, String version, String kind, String department, String feed, String receiptId) {
    }

    private static CreditRecord parse(ConsumerRecord<String, byte[]> r) {
        try {
            return RecordJson.mapper().readValue(r.value(), CreditRecord.class);
        } catch (IOException e) {
            throw new UncheckedIOException("a record on " + r.topic() + " at " + r.partition() + "/" + r.offset() + " cannot be read", e);
        }
    }

    private static String header(Headers headers, String name) {
        Header h = headers.lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
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
