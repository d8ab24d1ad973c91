package twolayer.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * The chunked loop's contract beyond its results (which the dynamics' same-bits tests check): every index is run
 * once on any thread count, a failing chunk is never reported as success, and an interrupted caller still waits for
 * the helpers and keeps its interrupt flag. (That the waiting caller clears the flag while it parks, so that park does
 * not return at once in a busy loop, is not observable here: the loop finishes either way. Control tried: with the
 * checked-exception rethrow removed, the second test fails.)
 */
class ParallelismTest {

    private static final long HEAVY = 1_000_000;   // work per index far above the forking threshold

    @Test
    void everyIndexRunsOnceOnAnyThreadCount() {
        for (int threads = 1; threads <= 4; threads++) {
            int[] hits = new int[1003];
            new Parallelism(threads).forEachChunk(hits.length, 10, HEAVY, (from, to) -> {
                for (int i = from; i < to; i++) {
                    hits[i]++;
                }
            });
            int[] once = new int[hits.length];
            java.util.Arrays.fill(once, 1);
            assertArrayEquals(once, hits, "threads = " + threads);
        }
    }

    @Test
    void aCheckedExceptionThrownFromAChunkIsNotSwallowed() {
        IOException cause = new IOException("disk full");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new Parallelism(2)
                .forEachChunk(100, 10, HEAVY, (from, to) -> {
                    if (from == 50) {
                        ParallelismTest.<RuntimeException>sneaky(cause);
                    }
                }));
        assertSame(cause, e.getCause());
        RuntimeException plain = new IllegalArgumentException("bad chunk");
        assertSame(plain, assertThrows(IllegalArgumentException.class, () -> new Parallelism(2)
                .forEachChunk(100, 10, HEAVY, (from, to) -> {
                    if (from == 90) {
                        throw plain;
                    }
                })));
    }

    @Test
    void anInterruptedCallerFinishesTheLoopAndKeepsItsInterrupt() {
        int[] hits = new int[64];
        Thread.currentThread().interrupt();
        try {
            new Parallelism(2).forEachChunk(hits.length, 1, HEAVY, (from, to) -> {
                // slow chunks, so that the caller has to wait for a helper
                long until = System.nanoTime() + 1_000_000;
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
                hits[from]++;
            });
        } finally {
            assertTrue(Thread.interrupted(), "the caller's interrupt flag is kept (and cleared here)");
        }
        for (int h : hits) {
            assertTrue(h == 1);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> void sneaky(Throwable t) throws T {
        throw (T) t;
    }
}
