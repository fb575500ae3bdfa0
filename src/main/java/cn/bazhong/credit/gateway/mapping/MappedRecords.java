package cn.bazhong.credit.gateway.mapping;

import cn.bazhong.credit.gateway.mapping.source.RecordReader;
import cn.bazhong.credit.gateway.mapping.source.SourceRecord;
import cn.bazhong.credit.gateway.schema.Provenance;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The mapping results of a whole source, in source order, mapped on several threads.
 *
 * <p>The calling thread reads and parses the source records (a {@link RecordReader} is not
 * thread-safe, and parsing is sequential anyway) in chunks of {@value #CHUNK_SIZE} and hands each
 * chunk to a small pool of worker threads that run {@link RecordMapper#map}. Results come back
 * strictly in input order: {@link #next()} returns exactly what {@code mapper.map(reader.next(),
 * provenance)} would, record after record. At most {@value #CHUNKS_PER_THREAD} chunks per thread (and
 * never more than {@value #MAX_CHUNKS_IN_FLIGHT}) are read ahead and in flight, so memory stays
 * bounded whatever the size of the input.
 *
 * <p>Failures arrive where they would in a sequential loop: an exception thrown while reading is
 * thrown by {@link #hasNext()} once every record read before it has been returned, and an exception
 * thrown while mapping a record is thrown by the {@link #hasNext()} or {@link #next()} call that
 * would have returned that record. Either way the iterator is closed then.
 *
 * <p>With one thread, or an input of fewer than {@value #CHUNK_SIZE} records, everything is mapped
 * on the calling thread and no thread is started. Worker threads are daemons; {@link #close()}
 * stops them. It does not close the reader, which stays the caller's. Not thread-safe itself: one
 * thread iterates.
 */
public final class MappedRecords implements Iterator<MappingResult>, AutoCloseable {

    /** System property that sets the default number of mapping threads, e.g. {@code -Dgateway.mapping.threads=1}. */
    public static final String THREADS_PROPERTY = "gateway.mapping.threads";
    /** Records handed to a worker at once: large enough to make the hand-over cost negligible. */
    public static final int CHUNK_SIZE = 128;
    /** Chunks read ahead per worker thread: keeps the workers busy while the caller reads or consumes. */
    public static final int CHUNKS_PER_THREAD = 4;
    /**
     * Bound on the chunks in flight whatever the thread count: 8,192 records, a few tens of MiB at
     * most. One thread reads for all workers, so more than a handful of workers cannot be kept busy
     * anyway.
     */
    public static final int MAX_CHUNKS_IN_FLIGHT = 64;

    private static final long CLOSE_WAIT_SECONDS = 10;

    private static final AtomicInteger POOLS = new AtomicInteger();

    private final RecordReader reader;
    private final RecordMapper mapper;
    private final Provenance provenance;
    private final int threads;
    private final int chunkSize;
    private final int window;
    private final Deque<Future<Chunk>> inFlight = new ArrayDeque<>();
    private ExecutorService pool;
    /** The chunk being returned. */
    private Chunk chunk = Chunk.EMPTY;
    private int nextInChunk;
    /** Thrown by the reader; rethrown once the records read before it have been returned. */
    private RuntimeException readFailure;
    private boolean readerDone;
    private boolean closed;

    private MappedRecords(RecordReader reader, RecordMapper mapper, Provenance provenance, int threads, int chunkSize) {
        this.reader = reader;
        this.mapper = mapper;
        this.provenance = provenance;
        this.threads = threads;
        this.chunkSize = chunkSize;
        this.window = Math.min(threads * CHUNKS_PER_THREAD, MAX_CHUNKS_IN_FLIGHT);
    }

    /** The results of mapping every record of {@code reader}, in order, with {@link #defaultThreads()} threads. */
    public static MappedRecords ordered(RecordReader reader, RecordMapper mapper, Provenance provenance) {
        return ordered(reader, mapper, provenance, defaultThreads());
    }

    /**
     * The results of mapping every record of {@code reader}, in order.
     *
     * @param threads worker threads; 1 or less maps on the calling thread
     */
    public static MappedRecords ordered(RecordReader reader, RecordMapper mapper, Provenance provenance, int threads) {
        return ordered(reader, mapper, provenance, threads, CHUNK_SIZE);
    }

    /** As {@link #ordered(RecordReader, RecordMapper, Provenance, int)} with another chunk size: for tests. */
    static MappedRecords ordered(RecordReader reader, RecordMapper mapper, Provenance provenance, int threads, int chunkSize) {
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunk size " + chunkSize);
        }
        return new MappedRecords(reader, mapper, provenance, Math.max(1, threads), chunkSize);
    }

    /**
     * The {@value #THREADS_PROPERTY} system property if it is set, else one thread per available
     * processor.
     *
     * @throws IllegalStateException if the property is set but is not a whole number
     */
    public static int defaultThreads() {
        String configured = System.getProperty(THREADS_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            try {
                return Math.max(1, Integer.parseInt(configured.strip()));
            } catch (NumberFormatException e) {
                throw new IllegalStateException(THREADS_PROPERTY + " must be a whole number, not '" + configured + "'", e);
            }
        }
        return Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    @Override
    public boolean hasNext() {
        if (closed) {
            throw new IllegalStateException("the mapped records are closed");
        }
        if (threads == 1) {
            return reader.hasNext();
        }
        while (nextInChunk == chunk.count()) {
            if (chunk.failure() != null) {
                Throwable failure = chunk.failure();
                close();
                throw rethrown(failure);
            }
            if (!advance()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public MappingResult next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        if (threads == 1) {
            return mapper.map(reader.next(), provenance);
        }
        MappingResult[] results = chunk.results();
        MappingResult result = results[nextInChunk];
        results[nextInChunk++] = null; // let it go once the caller is done with it
        return result;
    }

    /** Stops the worker threads and drops what they have not returned yet. Does not close the reader. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Future<Chunk> f : inFlight) {
            f.cancel(false);
        }
        inFlight.clear();
        chunk = Chunk.EMPTY;
        nextInChunk = 0;
        if (pool != null) {
            pool.shutdownNow();
            try {
                pool.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Reads ahead to fill the window, then waits for the oldest chunk. False when everything has been returned. */
    private boolean advance() {
        fill();
        Future<Chunk> oldest = inFlight.poll();
        if (oldest == null) {
            if (readFailure != null) {
                RuntimeException failure = readFailure;
                readFailure = null;
                close();
                throw failure;
            }
            return false;
        }
        chunk = await(oldest);
        nextInChunk = 0;
        return true;
    }

    private void fill() {
        while (!readerDone && inFlight.size() < window) {
            SourceRecord[] records = new SourceRecord[chunkSize];
            int count = 0;
            try {
                while (count < chunkSize && reader.hasNext()) {
                    SourceRecord record = reader.next(); // not records[count++] = ...: count must not move if it throws
                    records[count++] = record;
                }
                readerDone = count < chunkSize;
            } catch (RuntimeException e) {
                readFailure = e;
                readerDone = true;
            }
            if (count > 0) {
                submit(records, count);
            }
        }
    }

    private void submit(SourceRecord[] records, int count) {
        FutureTask<Chunk> task = new FutureTask<>(() -> mapAll(records, count));
        inFlight.add(task);
        if (pool == null && readerDone && inFlight.size() == 1) {
            task.run(); // the whole input is one short chunk: no thread is worth starting for it
            return;
        }
        if (pool == null) {
            pool = Executors.newFixedThreadPool(threads, new WorkerFactory());
        }
        pool.execute(task);
    }

    /** Maps a chunk; a record whose mapping throws ends it, and the records before it are kept. */
    private Chunk mapAll(SourceRecord[] records, int count) {
        MappingResult[] results = new MappingResult[count];
        for (int i = 0; i < count; i++) {
            try {
                results[i] = mapper.map(records[i], provenance);
            } catch (RuntimeException | Error e) {
                return new Chunk(results, i, e);
            }
        }
        return new Chunk(results, count, null);
    }

    private Chunk await(Future<Chunk> future) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            close();
            throw rethrown(e.getCause());
        } catch (InterruptedException e) {
            close();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for mapped records", e);
        }
    }

    private static RuntimeException rethrown(Throwable failure) {
        if (failure instanceof RuntimeException r) {
            return r;
        }
        if (failure instanceof Error err) {
            throw err;
        }
        return new IllegalStateException("mapping a record failed", failure);
    }

    /**
     * The mapped records of one chunk, in order: {@code results[0..count)}, then {@code failure}
     * (when mapping record {@code count} threw) or nothing.
     */
    private record Chunk(MappingResult[] results, int count, Throwable failure) {
        static final Chunk EMPTY = new Chunk(new MappingResult[0], 0, null);
    }

    /** Daemon threads named {@code mapping-<pool>-<n>}, so that a forgotten pool never keeps the JVM alive. */
    private static final class WorkerFactory implements ThreadFactory {
        private final int pool = POOLS.incrementAndGet();
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "mapping-" + pool + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    }
}
