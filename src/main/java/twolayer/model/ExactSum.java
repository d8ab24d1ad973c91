package twolayer.model;

/**
 * The correctly rounded sum of a sequence of doubles (Shewchuk 1997, "Adaptive precision floating-point
 * arithmetic and fast robust geometric predicates", Discrete Comput. Geom. 18, section 2; the same algorithm
 * as Python's {@code math.fsum}).
 *
 * <p>Why: the output f(x) = kA sum_j a_j sigma(z_j) is a sum over neurons. A rounded left-to-right sum
 * depends on the order of the neurons; the correctly rounded sum does not, so permuting the neurons leaves
 * f, the gradients and the whole trajectory bit-identical (claim FOUND-5). The cost is a few extra flops per
 * neuron and sample, against the d flops of the pre-activation.
 *
 * <p>The partials are kept non-overlapping and increasing in magnitude; a double sequence needs at most
 * about 40 of them (the exponent range 2098 over 53 bits), so one scratch array of 64 is enough.
 * One instance is not thread-safe: give each task its own.
 */
public final class ExactSum {
    private final double[] partials = new double[64];
    private int count;
    private double special; // sum of non-finite terms; any such term makes the result non-finite

    /** Starts a new sum. */
    public void reset() {
        count = 0;
        special = 0.0;
    }

    /** Adds one term. */
    public void add(double x) {
        if (!Double.isFinite(x)) {
            special += x;
            return;
        }
        int i = 0;
        for (int j = 0; j < count; j++) {
            double y = partials[j];
            if (Math.abs(x) < Math.abs(y)) {
                double t = x;
                x = y;
                y = t;
            }
            double hi = x + y;
            double lo = y - (hi - x);
            if (lo != 0.0) {
                partials[i++] = lo;
            }
            x = hi;
        }
        partials[i] = x;
        count = i + 1;
    }

    /** The sum of the terms added since {@link #reset()}, correctly rounded (round half to even). */
    public double value() {
        if (special != 0.0 || Double.isNaN(special)) {
            return special;
        }
        int n = count;
        if (n == 0) {
            return 0.0;
        }
        double hi = partials[--n];
        double lo = 0.0;
        while (n > 0) {
            double x = hi;
            double y = partials[--n];
            hi = x + y;
            double yr = hi - x;
            lo = y - yr;
            if (lo != 0.0) {
                break;
            }
        }
        // Round half to even across the remaining partials: if the discarded tail has the same sign as lo,
        // the exact sum lies beyond the half-way point and hi + 2 lo is the correct rounding.
        if (n > 0 && ((lo < 0.0 && partials[n - 1] < 0.0) || (lo > 0.0 && partials[n - 1] > 0.0))) {
            double y = lo * 2.0;
            double x = hi + y;
            double yr = x - hi;
            if (y == yr) {
                hi = x;
            }
        }
        return hi;
    }

    /** Convenience: the correctly rounded sum of {@code values[from..to)}. */
    public static double of(double[] values, int from, int to) {
        ExactSum s = new ExactSum();
        for (int i = from; i < to; i++) {
            s.add(values[i]);
        }
        return s.value();
    }
}
