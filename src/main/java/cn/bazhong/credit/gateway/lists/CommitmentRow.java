package cn.bazhong.credit.gateway.lists;

import cn.bazhong.credit.gateway.schema.Commitment;

import java.io.Serial;
import java.io.Serializable;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A written commitment as its accepting unit follows it up: whose, for which matter, until when, and
 * whether it was kept. Holds no personal ID number in the clear: a person is shown masked.
 *
 * @param subject       the subject's credit code, or its masked ID number
 * @param subjectName   the organisation's name; null for a natural person (a person's name is kept sealed elsewhere)
 * @param acceptedByUscc the accepting unit's credit code (the catalog finds its unit code by it)
 * @param deliveredBy   the department that delivered the record
 */
public record CommitmentRow(String recordId, String subject, String subjectName, String number, String matter, String content,
                            LocalDate committedOn, LocalDate deadline, String status, LocalDate closedOn, String acceptedBy,
                            String acceptedByUscc, String deliveredBy, String channel, Instant receivedAt) implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    /** The status a reader sees on {@code today}: OPEN, FULFILLED, or BROKEN (also when still open after its deadline). */
    public String statusOn(LocalDate today) {
        return Commitment.statusOn(status, deadline, closedOn, today);
    }

    /** Open after its deadline on {@code today}: broken by lapse of time, and the accepting unit's to follow up. */
    public boolean overdueOn(LocalDate today) {
        return !Commitment.FULFILLED.equals(status) && !Commitment.BROKEN.equals(status) && deadline != null && today.isAfter(deadline);
    }

    /** The row as the accepting unit's list shows it. */
    public Map<String, Object> view(LocalDate today) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("recordId", recordId);
        m.put("subject", subject);
        m.put("subjectName", subjectName);
        m.put("number", number);
        m.put("matter", matter);
        m.put("content", content);
        m.put("committedOn", committedOn);
        m.put("deadline", deadline);
        m.put("status", statusOn(today));
        m.put("reportedStatus", status);
        m.put("closedOn", closedOn);
        if (overdueOn(today)) {
            m.put("daysOverdue", java.time.temporal.ChronoUnit.DAYS.between(deadline, today));
        }
        m.put("acceptedBy", acceptedBy);
        m.put("acceptedByUscc", acceptedByUscc);
        m.put("deliveredBy", deliveredBy);
        m.put("receivedAt", receivedAt);
        m.values().removeIf(java.util.Objects::isNull);
        return m;
    }
}
