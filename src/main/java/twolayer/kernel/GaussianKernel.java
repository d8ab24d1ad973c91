package twolayer.kernel;

/**
 * The Gaussian kernel k(x, x') = exp(-|x - x'|^2 / (2 l^2)) and a kernel-ridge baseline with it whose bandwidth l is
 * chosen, together with the ridge, on the hold-out split of {@link KernelRidgeBaseline#tuned}: for each l on the grid
 * the ridge is tuned on the split, and the l with the smallest validation error is kept (the test targets never
 * enter a choice). See the replications chapter, section "Takakura-Suzuki".
 */
public final class GaussianKernel {

    /** The bandwidth grid, relative to sqrt(d) (the typical distance of two N(0, I_d) inputs is sqrt(2 d)). */
    public static final double[] RELATIVE_BANDWIDTHS = {0.5, 1, 2, 4, 8, 16, 32};

    /**
     * A tuned baseline.
     *
     * @param bandwidth the chosen l
     * @param result    the ridge tuning and the test error at that l
     */
    public record Tuned(double bandwidth, KernelRidgeBaseline.Result result) {}

    private GaussianKernel() {
    }

    /**
     * The (n1, n2) matrix exp(-|x1_i - x2_j|^2 / (2 l^2)) of row-major inputs x1 (n1, d) and x2 (n2, d); the squared
     * distance is summed coordinate by coordinate, never as |x|^2 + |x'|^2 - 2 x.x', which can cancel below zero.
     */
    public static double[] matrix(double[] x1, int n1, double[] x2, int n2, int d, double bandwidth) {
        if (x1.length != (long) n1 * d || x2.length != (long) n2 * d) {
            throw new IllegalArgumentException("x1, x2: expected (" + n1 + ", " + d + ") and (" + n2 + ", " + d
                    + "), got " + x1.length + " and " + x2.length + " entries");
        }
        if (!(bandwidth > 0) || Double.isInfinite(bandwidth)) {
            throw new IllegalArgumentException("bandwidth: must be finite and > 0, got " + bandwidth);
        }
        double scale = -1 / (2 * bandwidth * bandwidth);
        double[] k = new double[n1 * n2];
        for (int i = 0; i < n1; i++) {
            for (int j = 0; j < n2; j++) {
                double s = 0;
                for (int c = 0; c < d; c++) {
                    double diff = x1[i * d + c] - x2[j * d + c];
                    s += diff * diff;
                }
                k[i * n2 + j] = Math.exp(scale * s);
            }
        }
        return k;
    }

    /**
     * Tunes l on {@link #RELATIVE_BANDWIDTHS} times sqrt(d) and the ridge on the hold-out split, and returns the test
     * error of the chosen pair (refitted on all n training points, as {@link KernelRidgeBaseline#tuned} does).
     */
    public static Tuned tuned(double[] xTrain, double[] yTrain, double[] xTest, double[] yTest, int d) {
        // tag::replication-gaussian-tuning[]
        int n = yTrain.length, nTest = yTest.length;
        Tuned best = null;
        for (double r : RELATIVE_BANDWIDTHS) {
            double l = r * Math.sqrt(d);
            KernelRidgeBaseline.Result res = KernelRidgeBaseline.tuned(matrix(xTrain, n, xTrain, n, d, l),
                    matrix(xTest, nTest, xTrain, n, d, l), yTrain, yTest);
            if (best == null || res.validationMse() < best.result().validationMse()) {
                best = new Tuned(l, res);
            }
        }
        return best;
        // end::replication-gaussian-tuning[]
    }
}
