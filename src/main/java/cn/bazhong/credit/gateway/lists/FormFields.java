package cn.bazhong.credit.gateway.lists;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;

import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;

/**
 * The days and instants of the views' own forms ({@link SubjectRecordForm}, {@link EntryStateForm}): a day as
 * its day number ({@link Long#MIN_VALUE} for none), an instant as a presence flag, seconds and nanoseconds.
 */
final class FormFields {

    private static final long NO_DAY = Long.MIN_VALUE;

    private FormFields() {
    }

    static void writeDay(ObjectDataOutput out, LocalDate day) throws IOException {
        out.writeLong(day == null ? NO_DAY : day.toEpochDay());
    }

    static LocalDate readDay(ObjectDataInput in) throws IOException {
        long epochDay = in.readLong();
        return epochDay == NO_DAY ? null : LocalDate.ofEpochDay(epochDay);
    }

    static void writeInstant(ObjectDataOutput out, Instant at) throws IOException {
        out.writeBoolean(at != null);
        if (at != null) {
            out.writeLong(at.getEpochSecond());
            out.writeInt(at.getNano());
        }
    }

    static Instant readInstant(ObjectDataInput in) throws IOException {
        return in.readBoolean() ? Instant.ofEpochSecond(in.readLong(), in.readInt()) : null;
    }
}
