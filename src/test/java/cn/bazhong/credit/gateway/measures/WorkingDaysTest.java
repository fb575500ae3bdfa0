package cn.bazhong.credit.gateway.measures;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

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

    @Test
    void the_working_days_between_a_decision_and_its_receipt_skip_weekends_and_holidays_and_agree_with_plus() {
        WorkingDays national = new WorkingDays(
                Set.of(LocalDate.of(2026, 10, 1), LocalDate.of(2026, 10, 2), LocalDate.of(2026, 10, 5),
                        LocalDate.of(2026, 10, 6), LocalDate.of(2026, 10, 7)),
                Set.of(LocalDate.of(2026, 10, 10)));
        // decided Wednesday 09-30, received Friday 10-09: only 10-08 and 10-09 count
        assertThat(national.between(LocalDate.of(2026, 9, 30), LocalDate.of(2026, 10, 9))).isEqualTo(2);
        // the same day, or a receipt dated before the decision: none
        assertThat(national.between(LocalDate.of(2026, 10, 9), LocalDate.of(2026, 10, 9))).isZero();
        assertThat(national.between(LocalDate.of(2026, 10, 9), LocalDate.of(2026, 10, 1))).isZero();
        // Friday 11-27 to Tuesday 12-08: 7 working days, the limit; Wednesday 12-09 is the 8th, late
        WorkingDays plain = new WorkingDays(Set.of(), Set.of());
        assertThat(plain.between(LocalDate.of(2026, 11, 27), LocalDate.of(2026, 12, 8))).isEqualTo(7);
        assertThat(plain.between(LocalDate.of(2026, 11, 27), LocalDate.of(2026, 12, 9))).isEqualTo(8);
        for (int n = 0; n < 30; n++) {
            assertThat(national.between(LocalDate.of(2026, 9, 25), national.plus(LocalDate.of(2026, 9, 25), n))).isEqualTo(n);
        }
    }

    @Test
    void the_count_between_two_days_is_the_days_that_are_working_days_whatever_the_days_and_the_calendar() {
        qt().withExamples(2000).forAll(integers().between(-800, 20_000), integers().between(-40, 3_000), integers().between(0, 1 << 20))
                .checkAssert((from, length, seed) -> {
                    java.util.Random random = new java.util.Random(seed);
                    LocalDate base = LocalDate.of(2020, 1, 1);
                    Set<LocalDate> holidays = new java.util.HashSet<>();
                    Set<LocalDate> extra = new java.util.HashSet<>();
                    for (int i = 0; i < 40; i++) {
                        holidays.add(base.plusDays(random.nextInt(4_000) - 200));
                        extra.add(base.plusDays(random.nextInt(4_000) - 200));
                    }
                    WorkingDays calendar = new WorkingDays(holidays, extra);
                    LocalDate start = base.plusDays(from);
                    LocalDate end = start.plusDays(length);
                    int walked = 0;
                    for (LocalDate d = start.plusDays(1); !d.isAfter(end); d = d.plusDays(1)) {
                        if (calendar.isWorkingDay(d)) {
                            walked++;
                        }
                    }
                    assertThat(calendar.between(start, end)).as("%s to %s", start, end).isEqualTo(walked);
                });
    }
}
