package twolayer.model;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs a loop over fixed chunks of an index range, in parallel when it pays.
 *
 * <p>Determinism: the chunks are fixed by the problem size alone (never by the thread count), each chunk
 * writes only its own outputs and every reduction happens afterwards in a fixed order. So a result is
 * bit-identical for 1, 2 or any number of threads (claim FOUND-6).
 *
 * @param threads the number of worker threads; 1 runs everything on the calling thread
 */
public record Parallelism(int threads) {

    /** Work (in multiply-adds) below which a loop runs on the calling thread: forking costs more. */
    private static final long PARALLEL_WORK_THRESHOLD = 200_000;

    private static final ConcurrentHashMap<Integer, ForkJoinPool> POOLS = new ConcurrentHashMap<>();

    public Parallelism {
        if (threads < 1) {
            throw new IllegalArgumentException("threads: must be >= 1, got " + threads);
        }
    }

    /** As many threads as the machine has cores. */
    public static Parallelism available() {
        return new Parallelism(Runtime.getRuntime().availableProcessors());
    }

    /** Everything on the calling thread. */
    public static Parallelism sequential() {
        return new Parallelism(1);
    }

    /** The body of a chunked loop: handles indices [from, to). */
    @FunctionalInterface
    public interface Chunk {
        void run(int from, int to);
    }

    /**
     * Runs body over [0, count) in chunks of {@code chunkSize}; {@code workPerItem} (multiply-adds per index)
     * decides whether forking is worth it.
     */
    // tag::model-parallel-chunks[]
    public void forEachChunk(int count, int chunkSize, long workPerItem, Chunk body) {
        int chunks = (count + chunkSize - 1) / chunkSize;
        if (threads == 1 || chunks <= 1 || (long) count * workPerItem < PARALLEL_WORK_THRESHOLD) {
            for (int c = 0; c < chunks; c++) {
                body.run(c * chunkSize, Math.min(count, (c + 1) * chunkSize));
            }
            return;
        }
        // the calling thread takes chunks too, with up to threads - 1 helpers: which thread runs a chunk is
        // left to timing, what the chunk computes is not
        Job job = new Job(count, chunkSize, chunks, body, Thread.currentThread());
        ForkJoinPool pool = POOLS.computeIfAbsent(threads, t -> new ForkJoinPool(t - 1));
        for (int h = 0; h < Math.min(threads - 1, chunks - 1); h++) {
            pool.execute(job::work);
        }
        job.work();
        job.await();
    }
    // end::model-parallel-chunks[]

    /**
     * One loop: chunks are claimed in turn from a counter by whichever thread is free; the caller waits until
     * every chunk has finished. A helper that starts after the last chunk was claimed does nothing, so the
     * caller never waits for a helper that did not get a chunk.
     */
    private static final class Job {
        private final int count, chunkSize, chunks;
        private final Chunk body;
        private final Thread caller;
        private final AtomicInteger next = new AtomicInteger();
        private final AtomicInteger finished = new AtomicInteger();
        private volatile Throwable failure;

        Job(int count, int chunkSize, int chunks, Chunk body, Thread caller) {
            this.count = count;
            this.chunkSize = chunkSize;
            this.chunks = chunks;
            this.body = body;
            this.caller = caller;
        }

        void work() {
            for (int c = next.getAndIncrement(); c < chunks; c = next.getAndIncrement()) {
                try {
                    if (failure == null) {
                        body.run(c * chunkSize, Math.min(count, (c + 1) * chunkSize));
                    }
                } catch (Throwable t) {
                    failure = t;
                } finally {
                    if (finished.incrementAndGet() == chunks && Thread.currentThread() != caller) {
                        LockSupport.unpark(caller);
                    }
                }
            }
        }

        /** Waits for the chunks that helpers still run: spins briefly (they are usually nearly done), then parks. */
        void await() {
            // an interrupt must not make park return at once in a busy loop: clear it while waiting, restore it after
            boolean interrupted = false;
            for (int spin = 0; finished.get() < chunks; spin++) {
                if (spin < SPINS) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                    interrupted |= Thread.interrupted();
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            Throwable t = failure;
            if (t instanceof RuntimeException e) {
                throw e;
            }
            if (t instanceof Error e) {
                throw e;
            }
            if (t != null) {
                // a checked exception thrown without being declared: never return as if the loop had succeeded
                throw new IllegalStateException("a parallel chunk failed", t);
            }
        }
    }

    /** Spins of the waiting caller before it parks (a few microseconds). */
    private static final int SPINS = 1 << 10;
}
