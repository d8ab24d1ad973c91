package twolayer.dynamics;

import java.util.Arrays;

/**
 * The one observation schedule of every training run (gradient-flow chapter, section "Observing a run"). With N
 * observation intervals:
 * <ul>
 *   <li>a fixed-step dynamics (gradient descent, MFLD, two-timescale) of k steps of size eta is observed after the
 *       steps s_j = floor(j k / N), j = 0..N, at t_j = s_j eta; a step reached twice is observed once, so there
 *       are min(N, k) + 1 observations (every step when N &gt;= k);</li>
 *   <li>gradient flow to time T is observed at t_j = j T / N, j = 0..N.</li>
 * </ul>
 * The first observation is the initialisation (t = 0) and the last the end of the run.
 */
public final class ObservationTimes {

    private ObservationTimes() {}

    /** The times t_j = floor(j k / N) eta, j = 0..N, repeated steps once (see the class comment). */
    public static double[] ofSteps(long steps, double eta, int observations) {
        if (steps < 1 || observations < 1) {
            throw new IllegalArgumentException("steps and observations: must be >= 1, got " + steps + " and "
                    + observations);
        }
        if (observations >= steps) {
            // floor(j k / N) then takes every value 0..k (it grows by k/N <= 1 per j): every step is observed
            double[] times = new double[(int) steps + 1];
            for (int s = 0; s <= steps; s++) {
                times[s] = s * eta;
            }
            return times;
        }
        double[] times = new double[observations + 1];
        long previous = -1;
        int kept = 0;
        for (long j = 0; j <= observations; j++) {
            long step = multiplyDivide(j, steps, observations);
            if (step != previous) {
                times[kept++] = step * eta;
                previous = step;
            }
        }
        return kept == times.length ? times : Arrays.copyOf(times, kept);
    }

    /** The times t_j = j T / N, j = 0..N, of gradient flow to time T. */
    public static double[] evenly(double time, int observations) {
        double[] times = new double[Math.addExact(observations, 1)];
        for (int j = 0; j <= observations; j++) {
            times[j] = time * j / observations;
        }
        return times;
    }

    /**
     * The schedule of {@link #ofSteps} without its t = 0 entry, for a run of K = round(time / eta) steps that
     * N divides: t_j = j (K / N) eta, j = 1..N.
     *
     * @throws IllegalArgumentException if K is not a multiple of N
     */
    public static double[] wholeSteps(double time, double eta, int observations) {
        long steps = Math.round(time / eta);
        if (steps % observations != 0) {
            throw new IllegalArgumentException("time/eta = " + steps + " steps must be a multiple of the "
                    + observations + " observations");
        }
        double[] all = ofSteps(steps, eta, observations);
        return Arrays.copyOfRange(all, 1, all.length);
    }

    /** floor(j k / N) without overflow for any k &lt; 2^63 and j &lt;= N. */
    private static long multiplyDivide(long j, long k, long n) {
        return Math.multiplyHigh(j, k) == 0 && j * k >= 0 ? j * k / n
                : java.math.BigInteger.valueOf(j).multiply(java.math.BigInteger.valueOf(k))
                        .divide(java.math.BigInteger.valueOf(n)).longValueExact();
    }
}
