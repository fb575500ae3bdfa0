package cn.bazhong.credit.gateway.measures;

import java.io.Serializable;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * One initiation (发起): the catalog measures one implementing unit must apply to one listed subject,
 * with the unit's response, its execution feedback and the deadlines for both.
 *
 * @param subjectCode  the subject's code as this department may see it (masked for persons unless allowed)
 * @param responseDue  the last working day for the response (响应)
 * @param feedbackDue  the last working day for the execution feedback (执行反馈) on every measure
 * @param cancelledAt  when the listing ended (exit, repair, upheld objection), or null
 * @param stopConfirmedAt when the unit confirmed it stopped applying the measures after the cancellation
 * @param catalogVersion the version of the catalog the initiation was made with (null for initiations made before it was kept)
 * @param measures     the measures as the department received them with the initiation (content, legal basis, ...), so that
 *                     a repeat and the cancellation carry the same terms after the catalog changed or dropped a measure
 *                     (null for initiations made before they were kept: then the catalog in use is asked)
 */
public record Initiation(
        String initiationId,
        String department,
        String listingId,
        String recordId,
        String subjectKey,
        String subjectCode,
        String subjectName,
        String listType,
        List<String> measureIds,
        Instant initiatedAt,
        LocalDate responseDue,
        LocalDate feedbackDue,
        Response response,
        List<Feedback> feedback,
        Instant cancelledAt,
        String cancelReason,
        Instant stopConfirmedAt,
        String catalogVersion,
        List<java.util.Map<String, Object>> measures) implements Serializable {

    /** 响应: the unit acknowledges the initiation, or says the measures do not apply to it (with why). */
    public record Response(String status, String reason, Instant at) implements Serializable {
        public static final String ACKNOWLEDGED = "ACKNOWLEDGED";
        public static final String NOT_APPLICABLE = "NOT_APPLICABLE";
        /** After {@code measure.cancelled}: the unit confirms it no longer applies the measures. */
        public static final String STOPPED = "STOPPED";
    }

    /** 执行反馈 on one measure, for one approval matter. */
    public record Feedback(String measureId, String result, String matter, LocalDate appliedAt, String basis, String note,
                           Instant receivedAt) implements Serializable {
        public boolean sameAs(Feedback other) {
            return measureId.equals(other.measureId) && result.equals(other.result)
                    && java.util.Objects.equals(matter, other.matter) && java.util.Objects.equals(appliedAt, other.appliedAt);
        }
    }

    public boolean cancelled() {
        return cancelledAt != null;
    }

    /** Every measure has feedback (NOT_APPLICABLE counts; FAILED does not: it must be tried again). */
    public boolean feedbackComplete() {
        return measureIds.stream().allMatch(m -> feedback.stream().anyMatch(f -> f.measureId().equals(m) && !"FAILED".equals(f.result())));
    }

    /** CANCELLED, COMPLETED, RESPONDED or INITIATED. */
    public String status() {
        if (cancelled()) {
            return "CANCELLED";
        }
        if (feedbackComplete() || response != null && Response.NOT_APPLICABLE.equals(response.status())) {
            return "COMPLETED";
        }
        return response != null ? "RESPONDED" : "INITIATED";
    }

    public boolean responseOverdue(LocalDate today) {
        return !cancelled() && response == null && today.isAfter(responseDue);
    }

    public boolean feedbackOverdue(LocalDate today) {
        return !cancelled() && !"COMPLETED".equals(status()) && today.isAfter(feedbackDue);
    }

    Initiation withResponse(Response r) {
        return new Initiation(initiationId, department, listingId, recordId, subjectKey, subjectCode, subjectName, listType, measureIds,
                initiatedAt, responseDue, feedbackDue, r, feedback, cancelledAt, cancelReason, stopConfirmedAt, catalogVersion, measures);
    }

    Initiation withFeedback(Feedback f) {
        List<Feedback> all = new ArrayList<>(feedback);
        all.add(f);
        return new Initiation(initiationId, department, listingId, recordId, subjectKey, subjectCode, subjectName, listType, measureIds,
                initiatedAt, responseDue, feedbackDue, response, List.copyOf(all), cancelledAt, cancelReason, stopConfirmedAt, catalogVersion, measures);
    }

    Initiation stopConfirmed(Instant at) {
        return new Initiation(initiationId, department, listingId, recordId, subjectKey, subjectCode, subjectName, listType, measureIds,
                initiatedAt, responseDue, feedbackDue, response, feedback, cancelledAt, cancelReason, at, catalogVersion, measures);
    }

    Initiation cancelled(Instant at, String reason) {
        return new Initiation(initiationId, department, listingId, recordId, subjectKey, subjectCode, subjectName, listType, measureIds,
                initiatedAt, responseDue, feedbackDue, response, feedback, at, reason, stopConfirmedAt, catalogVersion, measures);
    }
}
