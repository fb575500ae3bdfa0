package cn.bazhong.credit.gateway.lists;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;

import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;

/**
 * How a {@link SubjectRecord} is written into the subjects' view, field by field: strings as they are, days as day
 * numbers, a missing day or instant marked as such. Used by {@link SubjectRecords.History} (the stored entry) and
 * {@link SubjectRecords.Put} (the change sent to the member that owns it); change both readers and writers together,
 * and mind docs/deployment.md (rolling upgrade) when the form changes.
 */
final class SubjectRecordForm {

    private SubjectRecordForm() {
    }

    static void write(ObjectDataOutput out, SubjectRecord r) throws IOException {
        out.writeString(r.recordId());
        out.writeString(r.version());
        out.writeString(r.kind());
        out.writeString(r.decisionNo());
        FormFields.writeDay(out, r.decisionDate());
        FormFields.writeDay(out, r.until());
        out.writeString(r.summary());
        out.writeString(r.authority());
        out.writeString(r.authorityUscc());
        out.writeString(r.department());
        out.writeString(r.channel());
        FormFields.writeInstant(out, r.receivedAt());
        out.writeString(r.status());
        FormFields.writeDay(out, r.closedOn());
    }

    static SubjectRecord read(ObjectDataInput in) throws IOException {
        String recordId = in.readString();
        String version = in.readString();
        String kind = in.readString();
        String decisionNo = in.readString();
        LocalDate decisionDate = FormFields.readDay(in);
        LocalDate until = FormFields.readDay(in);
        String summary = in.readString();
        String authority = in.readString();
        String authorityUscc = in.readString();
        String department = in.readString();
        String channel = in.readString();
        Instant receivedAt = FormFields.readInstant(in);
        String status = in.readString();
        LocalDate closedOn = FormFields.readDay(in);
        return new SubjectRecord(recordId, version, kind, decisionNo, decisionDate, until, summary, authority, authorityUscc,
                department, channel, receivedAt, status, closedOn);
    }
}
