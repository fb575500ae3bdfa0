package cn.bazhong.credit.gateway.measures;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * Counts working days the way Chinese administrative deadlines do: Monday to Friday, except the
 * public holidays, plus the weekend days declared working days in their place (调休). Both lists come
 * from the State Council's yearly notice, through configuration.
 */
public final class WorkingDays {

    private final NavigableSet<LocalDate> holidays;
    private final NavigableSet<LocalDate> extraWorkdays;
    /** Holidays on a weekday that are not also declared working days: each one a weekday that does not count. */
    private final NavigableSet<LocalDate> weekdaysOff = new TreeSet<>();
    /** Weekend days declared working days: each one a day that counts beyond the weekdays. */
    private final NavigableSet<LocalDate> weekendsOn = new TreeSet<>();

    public WorkingDays(Set<LocalDate> holidays, Set<LocalDate> extraWorkdays) {
        this.holidays = new TreeSet<>(holidays);
        this.extraWorkdays = new TreeSet<>(extraWorkdays);
        for (LocalDate h : this.holidays) {
            if (!weekend(h) && !this.extraWorkdays.contains(h)) {
                weekdaysOff.add(h);
            }
        }
        for (LocalDate w : this.extraWorkdays) {
            if (weekend(w)) {
                weekendsOn.add(w);
            }
        }
    }

    private static boolean weekend(LocalDate day) {
        return day.getDayOfWeek() == DayOfWeek.SATURDAY || day.getDayOfWeek() == DayOfWeek.SUNDAY;
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
        if (!end.isAfter(start)) {
            return 0;
        }
        // counted, not walked: every accepted record asks this for a decision that may be years old
        long weekdays = weekdaysUpTo(end) - weekdaysUpTo(start);
        long off = weekdaysOff.subSet(start, false, end, true).size();
        long on = weekendsOn.subSet(start, false, end, true).size();
        return (int) (weekdays - off + on);
    }

    /** Monday-to-Friday days from a fixed Monday (the epoch's first Monday, 1970-01-05) up to and including {@code day}. */
    private static long weekdaysUpTo(LocalDate day) {
        long days = day.toEpochDay() - 4; // 1970-01-05 is epoch day 4, a Monday; day 0 of the count
        long weeks = Math.floorDiv(days, 7);
        long rest = Math.floorMod(days, 7); // 0 = Monday ... 6 = Sunday
        return weeks * 5 + Math.min(rest + 1, 5);
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
