package cn.bazhong.credit.gateway.mapping.source;

import java.util.NoSuchElementException;

/**
 * The iterator half every reader shares: {@link #hasNext()} reads one record ahead with
 * {@link #readNext()}, which returns null at the end of the input. Whatever a parser makes of a
 * failure of the stream under it, that failure comes out unchanged ({@link GuardedStream}).
 */
abstract class PrefetchingRecordReader implements RecordReader {

    /** The raw input, to tell a failure of the stream from bad content. */
    protected final GuardedStream stream;
    private SourceRecord pending;
    private boolean finished;

    protected PrefetchingRecordReader(GuardedStream stream) {
        this.stream = stream;
    }

    /** The next record, or null when the input is exhausted (or can no longer be read). */
    protected abstract SourceRecord readNext();

    @Override
    public final boolean hasNext() {
        if (pending == null && !finished) {
            try {
                pending = readNext();
            } catch (RuntimeException e) {
                finished = true;
                stream.rethrowIfBroken();
                throw e;
            }
            finished = pending == null;
        }
        return pending != null;
    }

    @Override
    public final SourceRecord next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        SourceRecord r = pending;
        pending = null;
        return r;
    }

    /**
     * The last record of an input that cannot be read past this point: a syntax rejection at {@code
     * position}. The rest of the input is read and dropped first, so that the input is consumed to
     * its end and a failure of the stream still fails the read.
     */
    protected final SourceRecord lastUnreadable(long position, String reason) {
        stream.rethrowIfBroken();
        stream.drain();
        return SourceRecord.unreadable(position, reason);
    }
}
