package cn.bazhong.credit.gateway.measures;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.LocalDate;
import java.util.List;

/**
 * Settings of the joint-measure workflow ({@code gateway.measures.*}).
 *
 * @param initiationsTopic compacted topic holding every initiation (the record)
 * @param responseDays     working days a unit has to respond (响应) after the listing
 * @param feedbackDays     working days a unit has to report execution (执行反馈) on every measure
 * @param objectionDays    working days within which an objection (异议) must be decided
 * @param holidays         public holidays (from the State Council's yearly notice)
 * @param extraWorkdays    weekend days declared working days (调休)
 * @param expectedDelivery per department, how often it is expected to deliver (the supervision report
 *                         says whether its last delivery came within that)
 * @param publicationWorkingDays 双公示: a penalty or licence received more than this many working days after its
 *                         decision is late (the supervision report's publishedLate, gateway_publication_late_total)
 */
@Validated
@ConfigurationProperties(prefix = "gateway.measures")
public record MeasureSettings(String initiationsTopic, int responseDays, int feedbackDays, int objectionDays, List<LocalDate> holidays,
                              List<LocalDate> extraWorkdays, java.util.Map<String, java.time.Duration> expectedDelivery,
                              @DefaultValue("7") @Min(1) int publicationWorkingDays) {

    public MeasureSettings {
        holidays = holidays == null ? List.of() : List.copyOf(holidays);
        extraWorkdays = extraWorkdays == null ? List.of() : List.copyOf(extraWorkdays);
        expectedDelivery = expectedDelivery == null ? java.util.Map.of() : java.util.Map.copyOf(expectedDelivery);
    }
}
