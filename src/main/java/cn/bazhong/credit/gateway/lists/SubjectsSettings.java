package cn.bazhong.credit.gateway.lists;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * The check at the counter ({@code gateway.subjects.*}): the subjects' records it answers with, and the log of
 * the checks the departments make.
 *
 * @param recordsYears      years of penalties and licences (by decision date) the check answers with (1-5); the
 *                          upstream topic must keep at least as long, since the view is rebuilt from it
 * @param recordsPerSubject most records a subject keeps for the check (the oldest go first)
 * @param checksTopic       every check a department makes (应查必查), for the supervision report
 * @param checksRetention   how long the checks are kept
 */
@Validated
@ConfigurationProperties(prefix = "gateway.subjects")
public record SubjectsSettings(
        @DefaultValue("3") @Min(1) @Max(5) int recordsYears,
        @DefaultValue("500") @Min(1) int recordsPerSubject,
        @DefaultValue("credit.checks") @NotBlank String checksTopic,
        @DefaultValue("400d") @NotNull @DurationMin(hours = 1) Duration checksRetention) {
}
