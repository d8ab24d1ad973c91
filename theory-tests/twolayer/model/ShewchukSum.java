package twolayer.model;

/**
 * The Shewchuk-partials sum that {@link ExactSum} used before its superaccumulator (Shewchuk 1997, "Adaptive
 * precision floating-point arithmetic and fast robust geometric predicates", section 2): kept as a test
 * reference, because the new class must give exactly its bits wherever no partial overflows.
 */
final class ShewchukSum {
    // Non-overlapping partials may hold a single bit each, so over the whole exponent range (2098 bits plus a
    // mantissa) up to about 2150 of them can be needed. ExactSum had 64, which sums spread over more than 64
    // binary orders of magnitude could exceed; this reference has room for all.
    private final double[] partials = new double[2200];
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
    static double of(double[] values, int from, int to) {
        ShewchukSum s = new ShewchukSum();
        for (int i = from; i < to; i++) {
            s.add(values[i]);
        }
        return s.value();
    }
}
