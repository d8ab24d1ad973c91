package twolayer.kernel;

import java.util.Objects;

/**
 * Kernel regression trained by gradient flow on the squared loss, in closed form at any time t (Jacot, Gabriel,
 * Hongler 2018, "Neural tangent kernel", section 5; Lee et al. 2019, "Wide neural networks of any depth evolve as
 * linear models under gradient descent", eqs. (9)-(10); neural-tangents' {@code predict.gradient_descent_mse}):
 * <pre>
 *   f_train(t) = y + exp(-t Theta / n) (f0 - y)
 *   f_test(t)  = f0_test + Theta_test,train Theta^-1 (I - exp(-t Theta / n)) (y - f0)
 * </pre>
 * with Theta = Theta(X, X) the (n, n) train Gram, y the targets, f0 and f0_test the outputs at t = 0. This is the
 * solution of the linearised flow df/dt = -(1/n) Theta (f - y) of the loss (1/(2n)) sum (f - y)^2 (notation
 * chapter); t is gradient-flow time, so k steps of gradient descent at rate eta are at t = k eta.
 *
 * <p>Everything goes through one eigendecomposition Theta = sum_q lambda_q v_q v_q^T ({@link SpectralDecomposition},
 * Jacobi) and the coefficients c_q = &lt;v_q, y - f0&gt;:
 * <pre>
 *   f_train(t) = f0      + sum_q (1 - exp(-t lambda_q / n))            c_q v_q
 *   f_test(t)  = f0_test + sum_q phi_t(lambda_q) c_q Theta_test,train v_q,   phi_t(lambda) = (1 - exp(-t lambda/n)) / lambda
 * </pre>
 * Eigenvalues lambda_q &lt;= 1e-12 lambda_max are zero: the kernel is singular there (bias-free relu kernels on the
 * circle have a null space, an empirical NTK with fewer parameters than points has one). On a zero eigenvalue the
 * train outputs do not move and phi_t is its limit t/n; at t = +inf, phi is 1/lambda on the range and 0 on the null
 * space, the pseudo-inverse limit f_train(inf) = f0 + P (y - f0) with P the projection on the range of Theta.
 * 1 - exp(-x) is computed as -expm1(-x), accurate for small x, so f(0) = f0 exactly and small times lose nothing.
 *
 * <p>NNGP predictions (readout-only training) are the same formulas with the NNGP kernel: pass it as the kernel.
 *
 * @see <a href="../../../ntk.html#training-in-closed-form">the NTK chapter, "Training in closed form"</a>
 */
public final class KernelRegression {

    /** Eigenvalues at most this times lambda_max are treated as zero (the chapter derives the choice). */
    public static final double RELATIVE_THRESHOLD = 1e-12;
    /**
     * A kernel with an eigenvalue below -1e-6 lambda_max is not positive semi-definite, so not a Gram matrix: the
     * rounding errors of forming a Gram from m-term sums move eigenvalues by at most about m n eps lambda_max, which is
     * 2e-8 lambda_max even at m n = 1e8. Negative eigenvalues above this bound are rounding, and are zero.
     */
    public static final double NOT_PSD_TOLERANCE = 1e-6;
    /** Asymmetry beyond rounding: |Theta_ik - Theta_ki| &gt; 1e-10 max|Theta| means the input is not a Gram matrix. */
    public static final double SYMMETRY_TOLERANCE = 1e-10;

    private final int n;
    private final SpectralDecomposition eig;
    private final double threshold;     // eigenvalues <= threshold are zero
    private final int rank;
    private final double[] f0;          // (n)
    private final double[] y;           // (n)
    private final double[] c;           // (n), c_q = <v_q, y - f0>

    /**
     * @param kTrainTrain Theta(x_i, x_k), (n, n) row-major: symmetric (to 1e-10 relative) and positive
     *                    semi-definite (to 1e-6 relative); it is symmetrised, not modified
     * @param yTrain      the targets y, (n)
     * @param fTrain0     the outputs at t = 0 on the training points, (n)
     */
    public KernelRegression(double[] kTrainTrain, double[] yTrain, double[] fTrain0) {
        Objects.requireNonNull(yTrain, "yTrain");
        this.n = yTrain.length;
        if (n < 1) {
            throw new IllegalArgumentException("yTrain: at least one training point is needed, got 0 targets");
        }
        requireFinite(yTrain, "yTrain");
        this.y = yTrain.clone();
        this.f0 = requireLength(fTrain0, n, "fTrain0").clone();
        requireFinite(f0, "fTrain0");
        double[] k = symmetrized(requireLength(kTrainTrain, (long) n * n, "kTrainTrain"), n);

        // tag::kernel-regression-fit[]
        // Decompose Theta = V diag(lambda) V^T once
        this.eig = SpectralDecomposition.of(k, n);
        double lambdaMax = Math.max(eig.eigenvalue(0), 0.0);
        double lambdaMin = eig.eigenvalue(n - 1);
        if (lambdaMin < -NOT_PSD_TOLERANCE * lambdaMax || (lambdaMax == 0.0 && lambdaMin < 0.0)) {
            throw new IllegalArgumentException("kTrainTrain: not positive semi-definite, so not a kernel "
                    + "Gram: smallest eigenvalue " + lambdaMin + " against largest " + eig.eigenvalue(0));
        }
        // Treat eigenvalues at most 1e-12 lambda_max as zero
        this.threshold = RELATIVE_THRESHOLD * lambdaMax;
        int r = 0;
        while (r < n && eig.eigenvalue(r) > threshold) {
            r++;
        }
        this.rank = r;
        // Expand the initial residual y - f0 in the eigenbasis: c_q = <v_q, y - f0>
        this.c = new double[n];
        for (int q = 0; q < n; q++) {
            double s = 0.0;
            for (int i = 0; i < n; i++) {
                s += eig.eigenvector(q, i) * (y[i] - f0[i]);
            }
            c[q] = s;
        }
        // end::kernel-regression-fit[]
    }

    // tag::kernel-regression-weights[]
    /**
     * How far eigen-direction q has been fit at time t, 1 - exp(-t lambda_q / n):
     * 0 at t = 0, 1 at t = inf on the range, and 0 at all times on the null space.
     */
    private double trainWeight(int q, double t) {
        if (eig.eigenvalue(q) <= threshold) {
            return 0.0;
        }
        return t == Double.POSITIVE_INFINITY ? 1.0 : -Math.expm1(-t * eig.eigenvalue(q) / n);
    }

    /**
     * phi_t(lambda_q) = (1 - exp(-t lambda_q / n)) / lambda_q, the eigenvalue of
     * Theta^-1 (I - exp(-t Theta / n)): t/n on the null space (its limit as lambda goes to 0),
     * and at t = inf 1/lambda_q on the range and 0 on the null space (the pseudo-inverse).
     */
    private double testWeight(int q, double t) {
        double lambda = eig.eigenvalue(q);
        if (lambda <= threshold) {
            return t == Double.POSITIVE_INFINITY ? 0.0 : t / n;
        }
        return t == Double.POSITIVE_INFINITY ? 1.0 / lambda : -Math.expm1(-t * lambda / n) / lambda;
    }
    // end::kernel-regression-weights[]

    // tag::kernel-regression-train[]
    /** f_train(t) = f0 + sum_q (1 - exp(-t lambda_q / n)) c_q v_q, for t in [0, +inf]. */
    public double[] fTrainAt(double t) {
        checkTime(t);
        double[] f = f0.clone();
        for (int q = 0; q < rank; q++) {
            double w = trainWeight(q, t) * c[q];
            if (w != 0.0) {
                for (int i = 0; i < n; i++) {
                    f[i] += w * eig.eigenvector(q, i);
                }
            }
        }
        return f;
    }
    // end::kernel-regression-train[]

    /**
     * The test points of one prediction: Theta_test,train V is formed once, (nTest, n), so that every time then
     * costs O(nTest n).
     */
    public final class TestSet {
        private final int nTest;
        private final double[] f0Test;      // (nTest)
        private final double[] kv;          // (nTest, n): row j holds <Theta(x_test_j, X), v_q> for every q

        private TestSet(double[] kTestTrain, double[] fTest0) {
            Objects.requireNonNull(fTest0, "fTest0");
            this.nTest = fTest0.length;
            if (nTest < 1) {
                throw new IllegalArgumentException("fTest0: at least one test point is needed, got 0 outputs");
            }
            requireFinite(fTest0, "fTest0");
            this.f0Test = fTest0.clone();
            requireLength(kTestTrain, (long) nTest * n, "kTestTrain");
            requireFinite(kTestTrain, "kTestTrain");
            this.kv = new double[nTest * n];
            for (int j = 0; j < nTest; j++) {
                for (int q = 0; q < n; q++) {
                    double s = 0.0;
                    for (int i = 0; i < n; i++) {
                        s += kTestTrain[j * n + i] * eig.eigenvector(q, i);
                    }
                    kv[j * n + q] = s;
                }
            }
        }

        /** The number of test points. */
        public int size() {
            return nTest;
        }

        // tag::kernel-regression-test[]
        /** f_test(t) = f0_test + sum_q phi_t(lambda_q) c_q Theta_test,train v_q, for t in [0, +inf]. */
        public double[] fTestAt(double t) {
            checkTime(t);
            double[] coefficient = new double[n];
            for (int q = 0; q < n; q++) {
                coefficient[q] = testWeight(q, t) * c[q];
            }
            double[] f = f0Test.clone();
            for (int j = 0; j < nTest; j++) {
                double s = 0.0;
                for (int q = 0; q < n; q++) {
                    s += kv[j * n + q] * coefficient[q];
                }
                f[j] += s;
            }
            return f;
        }
        // end::kernel-regression-test[]
    }

    /**
     * Binds test points: {@code kTestTrain} is Theta(x_test_j, x_i), (nTest, n) row-major, and {@code fTest0} the
     * outputs at t = 0 on the test points, (nTest).
     */
    public TestSet testSet(double[] kTestTrain, double[] fTest0) {
        return new TestSet(kTestTrain, fTest0);
    }

    /** f_test(t) for one time (forms Theta_test,train V; use {@link #testSet} for several times). */
    public double[] fTestAt(double t, double[] kTestTrain, double[] fTest0) {
        checkTime(t);
        return testSet(kTestTrain, fTest0).fTestAt(t);
    }

    /** The number of training points n. */
    public int n() {
        return n;
    }

    /** The numerical rank: the number of eigenvalues above {@link #threshold()}. */
    public int rank() {
        return rank;
    }

    /** The eigenvalues of the (symmetrised) train Gram, non-increasing (a copy). */
    public double[] eigenvalues() {
        return eig.eigenvalues();
    }

    /** 1e-12 lambda_max: eigenvalues at or below it are treated as zero. */
    public double threshold() {
        return threshold;
    }

    /** The initial residual's component outside the range of Theta, ||(I - P)(y - f0)||: what t = inf leaves. */
    public double nullSpaceResidual() {
        double s = 0.0;
        for (int q = rank; q < n; q++) {
            s += c[q] * c[q];
        }
        return Math.sqrt(s);
    }

    // ------------------------------------------------------------------------------------------ input checks

    private static void checkTime(double t) {
        if (!(t >= 0.0)) {
            throw new IllegalArgumentException("t: gradient-flow time must be >= 0 or +inf, got " + t);
        }
    }

    private static double[] requireLength(double[] v, long length, String field) {
        Objects.requireNonNull(v, field);
        if (v.length != length) {
            throw new IllegalArgumentException(field + ": expected " + length + " values, got " + v.length);
        }
        return v;
    }

    private static void requireFinite(double[] v, String field) {
        for (int i = 0; i < v.length; i++) {
            if (!Double.isFinite(v[i])) {
                throw new IllegalArgumentException(field + ": entry " + i + " is " + v[i] + "; must be finite");
            }
        }
    }

    /** Checks finiteness and symmetry (to rounding) and returns (K + K^T) / 2, exactly symmetric. */
    private static double[] symmetrized(double[] k, int n) {
        double max = 0.0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double v = k[i * n + j];
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("kTrainTrain: entry (" + i + ", " + j + ") is " + v
                            + "; must be finite");
                }
                max = Math.max(max, Math.abs(v));
            }
        }
        double[] s = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                double a = k[i * n + j], b = k[j * n + i];
                if (Math.abs(a - b) > SYMMETRY_TOLERANCE * max) {
                    throw new IllegalArgumentException("kTrainTrain: not symmetric: entry (" + i + ", " + j + ") = " + a
                            + " but (" + j + ", " + i + ") = " + b + " (a Gram matrix is symmetric; is it (n, n)?)");
                }
                double mean = 0.5 * a + 0.5 * b;
                s[i * n + j] = mean;
                s[j * n + i] = mean;
            }
        }
        return s;
    }
}
