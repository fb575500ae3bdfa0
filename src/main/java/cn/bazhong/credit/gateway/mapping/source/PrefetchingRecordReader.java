package cn.bazhong.credit.gateway.mapping.source;

import java.util.NoSuchElementException;

/**
 * The iterator half every reader shares: {@link #hasNext()} reads one record ahead with
 * {@link #readNext()}, which returns null at the end of the input.
 */
abstract class PrefetchingRecordReader implements RecordReader {

    private SourceRecord pending;
    private boolean finished;

    /** The next record, or null when the input is exhausted (or can no longer be read). */
    protected abstract SourceRecord readNext();

    @Override
    public final boolean hasNext() {
        if (pending == null && !finished) {
            pending = readNext();
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
}
