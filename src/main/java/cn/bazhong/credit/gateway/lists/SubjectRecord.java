package cn.bazhong.credit.gateway.lists;

import java.io.Serial;
import java.io.Serializable;
import java.time.Instant;
import java.time.LocalDate;

/**
 * One 双公示 record (an administrative penalty or licence) as the check at the counter shows it: what
 * was decided, when, by whom, and where the gateway got it. Holds no personal ID number.
 *
 * @param kind         {@code ADMIN_PENALTY} or {@code ADMIN_LICENSE}
 * @param decisionDate 处罚决定日期 / 许可决定日期
 * @param until        公示截止期 of a penalty, 有效期至 of a licence; may be null
 * @param summary      处罚类别 and 处罚内容 of a penalty, the document's name and 许可内容 of a licence
 * @param department   the department that delivered it (source)
 * @param channel      how it came (sftp, rest, kafka, province)
 */
public record SubjectRecord(String recordId, String version, String kind, String decisionNo, LocalDate decisionDate, LocalDate until,
                            String summary, String authority, String authorityUscc, String department, String channel,
                            Instant receivedAt) implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;
}
