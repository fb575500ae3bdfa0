package cn.bazhong.credit.gateway.upstream;

import cn.bazhong.credit.gateway.crypto.Aead;
import cn.bazhong.credit.gateway.crypto.DataKey;
import cn.bazhong.credit.gateway.crypto.FieldCipher;
import cn.bazhong.credit.gateway.crypto.KeyEncryptionKey;
import cn.bazhong.credit.gateway.crypto.KeyRing;
import cn.bazhong.credit.gateway.ingest.RecordPublisher;
import cn.bazhong.credit.gateway.privacy.PersonalFields;
import cn.bazhong.credit.gateway.schema.CreditRecord;
import cn.bazhong.credit.gateway.schema.FullRecords;
import cn.bazhong.credit.gateway.schema.NationalCodes;
import cn.bazhong.credit.gateway.schema.RecordJson;
import cn.bazhong.credit.gateway.schema.RecordKind;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The batch stage copies each record's national-code data from the bytes rendered at ingest instead of parsing the
 * record; the batch it writes must be the very document the parsing path wrote, sealed values included.
 */
class BatchEntriesFromHeadersTest {

    private static final String RECEIPT = "rcpt-1";

    @Test
    void a_batch_formed_from_the_headers_is_byte_for_byte_the_batch_formed_by_parsing_the_records_clear_or_sealed() throws Exception {
        SecureRandom random = new SecureRandom();
        DataKey key = KeyRing.newDataKey(Aead.AES_256_GCM, KeyEncryptionKey.generate("kek-test", random), Clock.systemUTC(), random);
        for (PersonalFields personal : List.of(PersonalFields.CLEAR, new PersonalFields(new FieldCipher(new KeyRing(List.of(key), key.id()))))) {
            List<CreditRecord> sealed = new ArrayList<>();
            for (RecordKind kind : List.of(RecordKind.ADMIN_PENALTY, RecordKind.ADMIN_LICENSE, RecordKind.LIST_ENTRY)) {
                sealed.add(personal.seal(FullRecords.of(kind)));
                sealed.add(personal.seal(FullRecords.full(kind)));
            }
            List<BatchStage.Formed.Entry> fromHeaders = new ArrayList<>();
            List<BatchStage.Formed.Entry> parsed = new ArrayList<>();
            List<BatchDocument.Entry> before = new ArrayList<>();
            for (CreditRecord r : sealed) {
                ConsumerRecord<String, byte[]> onTopic = consumed(RecordPublisher.record("gateway.records", RECEIPT, r, null));
                BatchStage.Formed.Entry entry = BatchStage.entry(onTopic);
                assertThat(entry.data()).isInstanceOf(com.fasterxml.jackson.databind.util.RawValue.class); // not parsed
                fromHeaders.add(entry);
                onTopic.headers().remove(RecordPublisher.NATIONAL_HEADER); // as a record written before the header existed
                parsed.add(BatchStage.entry(onTopic));
                before.add(new BatchDocument.Entry(r.recordId(), r.version(), r.operation().name(), NationalCodes.data(r), RECEIPT,
                        r.provenance().position(), r.provenance().department(), r.provenance().mappingId(), r.kind().name()));
            }
            Instant formedAt = Instant.parse("2026-12-05T10:00:00.123456Z");
            byte[] expected = RecordJson.mapper().writeValueAsBytes(new BatchDocument("b-1", "MIXED", formedAt, before));
            assertThat(new String(BatchStage.json(new BatchStage.Formed("b-1", "MIXED", formedAt, fromHeaders)), "UTF-8"))
                    .isEqualTo(new String(expected, "UTF-8"));
            assertThat(BatchStage.json(new BatchStage.Formed("b-1", "MIXED", formedAt, parsed))).isEqualTo(expected);
            assertThat(RecordJson.mapper().readValue(BatchStage.json(new BatchStage.Formed("b-1", "MIXED", formedAt, fromHeaders)),
                    BatchDocument.class)).isEqualTo(new BatchDocument("b-1", "MIXED", formedAt, before));
        }
    }

    private static ConsumerRecord<String, byte[]> consumed(ProducerRecord<String, byte[]> sent) {
        RecordHeaders headers = new RecordHeaders(sent.headers().toArray());
        return new ConsumerRecord<>(sent.topic(), 0, 7L, 0L, TimestampType.CREATE_TIME, -1, sent.value().length,
                sent.key(), sent.value(), headers, Optional.empty());
    }
}
