package cn.bazhong.credit.gateway.lists;

import cn.bazhong.credit.gateway.schema.ListCategory;
import cn.bazhong.credit.gateway.schema.ListStatus;
import cn.bazhong.credit.gateway.schema.Party;
import cn.bazhong.credit.gateway.schema.Subject;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;

import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How an {@link EntryState} is written into the list view ({@link SubjectEntries}), field by field: strings as
 * they are (null kept), enums by name, days as day numbers, instants as seconds and nanoseconds, a missing day,
 * instant, subject, person or map marked as such. About a third of its JSON, and read without a parser: the view
 * writes and reads it on every change, for both its indexes and on every near-cache miss of the check API.
 * Change the writer and the reader together, and mind docs/deployment.md (rolling upgrade) when the form changes.
 */
final class EntryStateForm {

    private EntryStateForm() {
    }

    static void write(ObjectDataOutput out, EntryState s) throws IOException {
        out.writeString(s.recordId());
        out.writeString(s.listType());
        out.writeString(s.category() == null ? null : s.category().name());
        out.writeString(s.decidedBy());
        out.writeString(s.documentNo());
        FormFields.writeDay(out, s.decidedOn());
        FormFields.writeDay(out, s.validFrom());
        FormFields.writeDay(out, s.validTo());
        out.writeString(s.status() == null ? null : s.status().name());
        FormFields.writeDay(out, s.exitDate());
        out.writeString(s.exitReason());
        out.writeString(s.basis());
        out.writeString(s.reason());
        writeSubject(out, s.subject());
        out.writeString(s.version());
        out.writeString(s.change());
        FormFields.writeInstant(out, s.changedAt());
        out.writeString(s.listingId());
        out.writeString(s.decidedByUscc());
        Map<String, String> attributes = s.attributes();
        out.writeInt(attributes == null ? -1 : attributes.size());
        if (attributes != null) {
            for (Map.Entry<String, String> a : attributes.entrySet()) {
                out.writeString(a.getKey());
                out.writeString(a.getValue());
            }
        }
        out.writeInt(s.history().size());
        for (EntryState.Step step : s.history()) {
            out.writeString(step.change());
            FormFields.writeInstant(out, step.at());
        }
    }

    static EntryState read(ObjectDataInput in) throws IOException {
        String recordId = in.readString();
        String listType = in.readString();
        String category = in.readString();
        String decidedBy = in.readString();
        String documentNo = in.readString();
        LocalDate decidedOn = FormFields.readDay(in);
        LocalDate validFrom = FormFields.readDay(in);
        LocalDate validTo = FormFields.readDay(in);
        String status = in.readString();
        LocalDate exitDate = FormFields.readDay(in);
        String exitReason = in.readString();
        String basis = in.readString();
        String reason = in.readString();
        Subject subject = readSubject(in);
        String version = in.readString();
        String change = in.readString();
        Instant changedAt = FormFields.readInstant(in);
        String listingId = in.readString();
        String decidedByUscc = in.readString();
        int attributeCount = in.readInt();
        Map<String, String> attributes = null;
        if (attributeCount >= 0) {
            attributes = new LinkedHashMap<>();
            for (int i = 0; i < attributeCount; i++) {
                attributes.put(in.readString(), in.readString());
            }
        }
        int steps = in.readInt();
        List<EntryState.Step> history = new ArrayList<>(steps);
        for (int i = 0; i < steps; i++) {
            history.add(new EntryState.Step(in.readString(), FormFields.readInstant(in)));
        }
        return new EntryState(recordId, listType, category == null ? null : ListCategory.valueOf(category), decidedBy, documentNo,
                decidedOn, validFrom, validTo, status == null ? null : ListStatus.valueOf(status), exitDate, exitReason, basis, reason,
                subject, version, change, changedAt, listingId, decidedByUscc, attributes, history);
    }

    private static void writeSubject(ObjectDataOutput out, Subject s) throws IOException {
        out.writeBoolean(s != null);
        if (s == null) {
            return;
        }
        out.writeString(s.category());
        out.writeString(s.name());
        out.writeString(s.uscc());
        out.writeString(s.regNo());
        out.writeString(s.orgCode());
        out.writeString(s.taxNo());
        out.writeString(s.institutionNo());
        out.writeString(s.socialOrgNo());
        writeParty(out, s.legalRep());
        out.writeString(s.idType());
        out.writeString(s.idNumber());
        writeParty(out, s.principal());
        writeParty(out, s.responsible());
    }

    private static Subject readSubject(ObjectDataInput in) throws IOException {
        if (!in.readBoolean()) {
            return null;
        }
        String category = in.readString();
        String name = in.readString();
        String uscc = in.readString();
        String regNo = in.readString();
        String orgCode = in.readString();
        String taxNo = in.readString();
        String institutionNo = in.readString();
        String socialOrgNo = in.readString();
        Party legalRep = readParty(in);
        String idType = in.readString();
        String idNumber = in.readString();
        Party principal = readParty(in);
        Party responsible = readParty(in);
        return new Subject(category, name, uscc, regNo, orgCode, taxNo, institutionNo, socialOrgNo, legalRep, idType, idNumber,
                principal, responsible);
    }

    private static void writeParty(ObjectDataOutput out, Party p) throws IOException {
        out.writeBoolean(p != null);
        if (p != null) {
            out.writeString(p.name());
            out.writeString(p.idType());
            out.writeString(p.idNumber());
        }
    }

    private static Party readParty(ObjectDataInput in) throws IOException {
        return in.readBoolean() ? new Party(in.readString(), in.readString(), in.readString()) : null;
    }
}
