package twolayer.dynamics;

import java.util.SplittableRandom;

/**
 * Where mini-batch {@link GradientDescent} gets the rows of each step: {@link #next()} returns the B row indices
 * (0-based, into the training set) of the next step's mini-batch, in the order they are loaded. The default,
 * {@link #seeded}, is the draw without replacement GradientDescent has always made; a run may instead be fed a
 * recorded sequence of batches, so that another implementation can take the very same steps (baseline chapter,
 * section "Exporting and replaying a run").
 */
@FunctionalInterface
public interface MiniBatches {

    /** The rows of the next step's mini-batch; the caller reads the array before calling again. */
    int[] next();

    /**
     * B of n rows without replacement, afresh each step, by a partial Fisher-Yates shuffle of a permutation that
     * carries over from step to step: for i = 0..B-1, swap position i with position i + U{0..n-i-1}, U from
     * {@code new SplittableRandom(seed).nextInt(n - i)}; the batch is positions 0..B-1.
     *
     * @param seed seed of the draws
     * @param n    training points (&gt;= 1)
     * @param size points per step B, 1 &lt;= B &lt;= n
     */
    static MiniBatches seeded(long seed, int n, int size) {
        if (n < 1 || size < 1 || size > n) {
            throw new IllegalArgumentException("size: a mini-batch needs 1 <= B <= n = " + n + ", got " + size);
        }
        SplittableRandom rng = new SplittableRandom(seed);
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) {
            rows[i] = i;
        }
        return () -> {
            for (int i = 0; i < size; i++) {
                int pick = i + rng.nextInt(n - i);
                int t = rows[i];
                rows[i] = rows[pick];
                rows[pick] = t;
            }
            return rows;
        };
    }
}
