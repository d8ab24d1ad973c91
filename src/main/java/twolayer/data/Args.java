package twolayer.data;

/**
 * Argument checks shared by the generators. Each message names the field, the allowed range and the value
 * received, as the design's reliability section asks.
 */
final class Args {

    private Args() {
    }

    /** Checks n >= 1 and d >= 1 and returns n*d, the length of an (n, d) row-major array. */
    static int size(int n, int d) {
        if (n < 1) {
            throw new IllegalArgumentException("n: number of points must be >= 1, got " + n);
        }
        if (d < 1) {
            throw new IllegalArgumentException("d: input dimension must be >= 1, got " + d);
        }
        long nd = (long) n * d;
        if (nd > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("n*d: must fit in one Java array (<= " + (Integer.MAX_VALUE - 8)
                    + " values), got " + n + "*" + d + " = " + nd);
        }
        return (int) nd;
    }

    /** Checks 0 < value < infinity. */
    static double positive(double value, String field) {
        if (!(value > 0) || !Double.isFinite(value)) {
            throw new IllegalArgumentException(field + ": must be finite and > 0, got " + value);
        }
        return value;
    }

    /** Checks 0 <= value < infinity. */
    static double nonNegative(double value, String field) {
        if (!(value >= 0) || !Double.isFinite(value)) {
            throw new IllegalArgumentException(field + ": must be finite and >= 0, got " + value);
        }
        return value;
    }

    /** Checks every entry is finite; returns a copy. */
    static double[] finite(double[] values, String field) {
        if (values == null) {
            throw new IllegalArgumentException(field + ": must not be null");
        }
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException(field + ": entry " + i + " must be finite, got " + values[i]);
            }
        }
        return values.clone();
    }

    /** The number of rows n of an (n, d) row-major array x; x must be non-empty with a length divisible by d. */
    static int rows(double[] x, int d, String field) {
        if (x == null || x.length == 0 || x.length % d != 0) {
            throw new IllegalArgumentException(field + ": expected n*d values with n >= 1 and d = " + d + ", got "
                    + (x == null ? "none" : x.length + " values"));
        }
        return x.length / d;
    }

    /**
     * Rescales v[from .. from+d) in place to Euclidean norm r and returns its norm before. The entries are first
     * divided by the largest |v_k|, so the sum of squares can neither overflow nor underflow.
     */
    static double scaleToNorm(double[] v, int from, int d, double r) {
        double big = 0.0;
        for (int k = 0; k < d; k++) {
            big = Math.max(big, Math.abs(v[from + k]));
        }
        if (big == 0.0) {
            return 0.0;
        }
        double ss = 0.0;
        for (int k = 0; k < d; k++) {
            double t = v[from + k] / big;
            ss += t * t;
        }
        double root = Math.sqrt(ss);
        for (int k = 0; k < d; k++) {
            v[from + k] = v[from + k] / big / root * r;
        }
        return big * root;
    }
}
