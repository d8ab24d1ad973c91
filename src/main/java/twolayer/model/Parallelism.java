package twolayer.model;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;

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
        ForkJoinPool pool = POOLS.computeIfAbsent(threads, ForkJoinPool::new);
        pool.invoke(new Range(0, chunks, chunkSize, count, body));
    }
    // end::model-parallel-chunks[]

    /** Splits the chunk range in halves until one chunk is left; the split never changes what a chunk computes. */
    private static final class Range extends RecursiveAction {
        private final int lo, hi, chunkSize, count;
        private final Chunk body;

        Range(int lo, int hi, int chunkSize, int count, Chunk body) {
            this.lo = lo;
            this.hi = hi;
            this.chunkSize = chunkSize;
            this.count = count;
            this.body = body;
        }

        @Override
        protected void compute() {
            if (hi - lo == 1) {
                body.run(lo * chunkSize, Math.min(count, (lo + 1) * chunkSize));
                return;
            }
            int mid = (lo + hi) >>> 1;
            invokeAll(new Range(lo, mid, chunkSize, count, body), new Range(mid, hi, chunkSize, count, body));
        }
    }
}
