package twolayer.measure;

/**
 * Statistics of a particle population ({@link Particles}): the histogram of the output weights, the number of
 * effective neurons, the participation number and the fraction of particles aligned with given directions.
 *
 * <p>Two counts of "how many neurons matter" (the mean-field chapter compares them):
 * <ul>
 *   <li>the thresholded count #{j : |a_j| &gt;= tau}: the study's "important neurons" are those with
 *       a_j &gt;= 1 (hendrydong/NTK-and-MF-examples, MF/MF.ipynb);</li>
 *   <li>the participation number N_eff = 1 / sum_j P_j^2 with P_j = |a_j| ||w_j|| / sum_k |a_k| ||w_k||.
 *       It is m when all amplitudes are equal and 1 when one particle carries everything; it needs no
 *       threshold. Fang, Dong and Zhang use the same P_j (with the spread of sigma(&lt;w_j, x&gt;) in place of
 *       ||w_j||) to sample small networks from large ones.</li>
 * </ul>
 */
public final class ParticleDiagnostics {
    private ParticleDiagnostics() {
    }

    /**
     * The participation number 1 / sum_j P_j^2 of the amplitudes P_j proportional to |a_j|
     * ||w_j||.
     */
    public static double participationNumber(Particles p) {
        double[] amplitude = new double[p.width()];
        for (int j = 0; j < amplitude.length; j++) {
            amplitude[j] = p.amplitude(j);
        }
        return participationNumber(amplitude);
    }

    // tag::measure-effective-neurons[]
    /**
     * The participation number 1 / sum_j P_j^2 of non-negative weights, P_j = weights_j / sum_k
     * weights_k. Written as (sum_j q_j)^2 / sum_j q_j^2 with q_j = weights_j / max_k weights_k,
     * which neither overflows nor underflows. NaN when all weights are zero.
     */
    public static double participationNumber(double[] weights) {
        double max = 0.0;
        for (int j = 0; j < weights.length; j++) {
            if (!(weights[j] >= 0.0) || Double.isInfinite(weights[j])) {
                throw new IllegalArgumentException("weights: entry " + j + " = " + weights[j]
                        + " must be finite and >= 0");
            }
            max = Math.max(max, weights[j]);
        }
        if (max == 0.0) {
            return Double.NaN;
        }
        double sum = 0.0, sumSquares = 0.0;
        for (double v : weights) {
            double q = v / max;
            sum += q;
            sumSquares += q * q;
        }
        return sum * sum / sumSquares;
    }
    // end::measure-effective-neurons[]

    /** The number of particles with |a_j| &gt;= threshold. */
    public static int countAbove(Particles p, double threshold) {
        int count = 0;
        for (int j = 0; j < p.width(); j++) {
            if (Math.abs(p.a(j)) >= threshold) {
                count++;
            }
        }
        return count;
    }

    /**
     * Among the particles with a_j &gt;= aMin (signed, as the study's "important neurons"), the fraction whose
     * w_j lies within maxAngle radians of one of the directions ((k, d) row-major). NaN when none qualifies.
     */
    public static double alignedFraction(Particles p, double aMin, double[] directions, double maxAngle) {
        int selected = 0, aligned = 0;
        for (int j = 0; j < p.width(); j++) {
            if (p.a(j) >= aMin) {
                selected++;
                if (p.angleToNearest(j, directions) <= maxAngle) {
                    aligned++;
                }
            }
        }
        return selected == 0 ? Double.NaN : (double) aligned / selected;
    }

    /** The number of particles with a_j &gt;= aMin (signed). */
    public static int countAtLeast(Particles p, double aMin) {
        int count = 0;
        for (int j = 0; j < p.width(); j++) {
            if (p.a(j) >= aMin) {
                count++;
            }
        }
        return count;
    }

    /**
     * The histogram of the output weights a_j on [lo, hi) in {@code bins} equal bins; values outside are
     * clamped into the first or last bin, so the counts sum to m.
     */
    public static int[] histogramOfA(Particles p, double lo, double hi, int bins) {
        if (bins < 1 || !(hi > lo)) {
            throw new IllegalArgumentException("histogram: need bins >= 1 and hi > lo, got " + bins + ", [" + lo
                    + ", " + hi + ")");
        }
        int[] counts = new int[bins];
        for (int j = 0; j < p.width(); j++) {
            int bin = (int) Math.floor((p.a(j) - lo) / (hi - lo) * bins);
            counts[Math.max(0, Math.min(bins - 1, bin))]++;
        }
        return counts;
    }
}
