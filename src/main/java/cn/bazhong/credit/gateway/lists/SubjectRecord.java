package cn.bazhong.credit.gateway.lists;

import java.io.Serial;
import java.io.Serializable;
import java.time.Instant;
import java.time.LocalDate;

/**
 * One 双公示 record (an administrative penalty or licence) or written commitment as the check at the
 * counter shows it: what was decided or promised, when, by whom, and where the gateway got it. Holds no
 * personal ID number.
 *
 * @param kind         {@code ADMIN_PENALTY}, {@code ADMIN_LICENSE} or {@code COMMITMENT}
 * @param decisionNo   决定书文号 / 决定文书号, or a commitment's 承诺书编号
 * @param decisionDate 处罚决定日期 / 许可决定日期 / 承诺日期
 * @param until        公示截止期 of a penalty, 有效期至 of a licence, 履约期限 of a commitment; may be null
 * @param summary      处罚类别 and 处罚内容 of a penalty, the document's name and 许可内容 of a licence, the
 *                     matter and what was promised of a commitment
 * @param authority    the deciding authority, or the unit that accepted a commitment
 * @param status       a commitment's status as last reported (OPEN, FULFILLED, BROKEN); null for the others
 * @param closedOn     the day a commitment was reported kept or broken
 * @param department   the department that delivered it (source)
 * @param channel      how it came (sftp, rest, kafka, province)
 */
public record SubjectRecord(String recordId, String version, String kind, String decisionNo, LocalDate decisionDate, LocalDate until,
                            String summary, String authority, String authorityUscc, String department, String channel,
                            Instant receivedAt, String status, LocalDate closedOn) implements Serializable {

    /** A penalty or licence. */
    public SubjectRecord(String recordId, String version, String kind, String decisionNo, LocalDate decisionDate, LocalDate until,
                         String summary, String authority, String authorityUscc, String department, String channel, Instant receivedAt) {
        this(recordId, version, kind, decisionNo, decisionDate, until, summary, authority, authorityUscc, department, channel,
                receivedAt, null, null);
    }

    @Serial
    private static final long serialVersionUID = 1L;
}
