package cn.bazhong.credit.gateway.measures;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.Set;

/**
 * Counts working days the way Chinese administrative deadlines do: Monday to Friday, except the
 * public holidays, plus the weekend days declared working days in their place (调休). Both lists come
 * from the State Council's yearly notice, through configuration.
 */
public final class WorkingDays {

    private final Set<LocalDate> holidays;
    private final Set<LocalDate> extraWorkdays;

    public WorkingDays(Set<LocalDate> holidays, Set<LocalDate> extraWorkdays) {
        this.holidays = Set.copyOf(holidays);
        this.extraWorkdays = Set.copyOf(extraWorkdays);
    }

    public boolean isWorkingDay(LocalDate day) {
        if (extraWorkdays.contains(day)) {
            return true;
        }
        if (holidays.contains(day)) {
            return false;
        }
        return day.getDayOfWeek() != DayOfWeek.SATURDAY && day.getDayOfWeek() != DayOfWeek.SUNDAY;
    }

    /**
     * The working days from {@code start} to {@code end}: those after {@code start} up to and including
     * {@code end} (so a decision published the next working day took 1); 0 when {@code end} is not after it.
     */
    public int between(LocalDate start, LocalDate end) {
        int n = 0;
        for (LocalDate d = start.plusDays(1); !d.isAfter(end); d = d.plusDays(1)) {
            if (isWorkingDay(d)) {
                n++;
            }
        }
        return n;
    }

    /** The day on which {@code days} working days after {@code start} have passed (start itself not counted). */
    public LocalDate plus(LocalDate start, int days) {
        LocalDate d = start;
        int left = days;
        while (left > 0) {
            d = d.plusDays(1);
            if (isWorkingDay(d)) {
                left--;
            }
        }
        return d;
    }
}
