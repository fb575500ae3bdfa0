package cn.bazhong.credit.gateway.measures;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Deadlines in working days: weekends and holidays do not count, a weekend declared a working day does. */
class WorkingDaysTest {

    @Test
    void weekends_and_holidays_are_skipped_and_a_make_up_weekend_day_counts() {
        WorkingDays plain = new WorkingDays(Set.of(), Set.of());
        // Friday 2026-11-27 + 3 working days = Wednesday 2026-12-02
        assertThat(plain.plus(LocalDate.of(2026, 11, 27), 3)).isEqualTo(LocalDate.of(2026, 12, 2));
        assertThat(plain.plus(LocalDate.of(2026, 11, 28), 1)).isEqualTo(LocalDate.of(2026, 11, 30));

        WorkingDays national = new WorkingDays(
                Set.of(LocalDate.of(2026, 10, 1), LocalDate.of(2026, 10, 2), LocalDate.of(2026, 10, 5),
                        LocalDate.of(2026, 10, 6), LocalDate.of(2026, 10, 7)),
                Set.of(LocalDate.of(2026, 10, 10)));
        // Wednesday 2026-09-30 + 2: the holiday week counts nothing; Thursday 10-08 and Friday 10-09 do
        assertThat(national.plus(LocalDate.of(2026, 9, 30), 2)).isEqualTo(LocalDate.of(2026, 10, 9));
        // the make-up Saturday 10-10 is a working day
        assertThat(national.plus(LocalDate.of(2026, 9, 30), 3)).isEqualTo(LocalDate.of(2026, 10, 10));
        assertThat(national.isWorkingDay(LocalDate.of(2026, 10, 1))).isFalse();
    }
}
