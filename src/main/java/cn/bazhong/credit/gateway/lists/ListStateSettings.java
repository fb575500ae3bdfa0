package cn.bazhong.credit.gateway.lists;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * How the list state keys people and lets entries expire ({@code gateway.lists.*}; the topics are
 * {@link ListTopics}).
 *
 * @param subjectKeySecret    key of the keyed hash that stands for a person's ID number in topics and views; at least
 *                            16 characters, one per deployment (changing it means rebuilding the list state);
 *                            GATEWAY_SUBJECT_KEY_SECRET
 * @param expiryCheckInterval how often each node looks for list entries whose validity has ended (at least 100 ms)
 */
@Validated
@ConfigurationProperties(prefix = "gateway.lists")
public record ListStateSettings(
        // only blankness here: the binding report would print a short secret; SubjectKeys refuses one without showing it
        @NotBlank String subjectKeySecret,
        @DefaultValue("15m") @NotNull @DurationMin(millis = 100) Duration expiryCheckInterval) {

    @Override
    public String toString() {
        return "ListStateSettings[subjectKeySecret=(hidden), expiryCheckInterval=" + expiryCheckInterval + "]";
    }
}
