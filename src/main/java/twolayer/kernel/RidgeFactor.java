package twolayer.kernel;

import java.util.Arrays;
import java.util.Objects;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;
import twolayer.linalg.Kernels;
import twolayer.linalg.Products;
import twolayer.model.Parallelism;

/**
 * The ridge problem of an intrinsic kernel, factorised once and solved for many right-hand sides, in arrays that
 * are reused from one factorisation to the next: the inner solve of a two-timescale step (the targets y and, with
 * label noise, the step's eps against one factor) allocates nothing. It computes exactly what
 * {@link IntrinsicKernel#solve}, {@link IntrinsicKernel#readouts} and {@link IntrinsicKernel#degreesOfFreedom}
 * compute, with the same bits, since those methods run through this class:
 * <pre>
 *   alpha = (K + c I)^-1 v,   c = n lambdaA,   a_j = sum_i alpha_i h(x_i; w_j)
 * </pre>
 * by a Cholesky factor of the dual n x n matrix K + c I when n &lt;= m, of the primal m x m matrix
 * Psi Psi^T + c I otherwise (the two-timescale chapter, section "The intrinsic kernel").
 *
 * <p>Use: fill {@link #features()} (the net writes its activations there), call {@link #factor}, then
 * {@link #solve} and {@link #readouts} as often as needed. Not thread-safe.
 */
public final class RidgeFactor {
    private static final Products PRODUCTS = Kernels.selected();
    /** Inputs per panel of H^T in the primal form's inner products (a panel of 128 x m, not all n x m, is copied). */
    private static final int PANEL = 128;

    private final int m;
    private final int n;
    private final int size;                 // min(n, m): the order of the factorised matrix
    private final double[] h;               // (m, n) features h(x_i; w_j)
    private final double[] p;               // (m) weights p_j
    private final boolean ownsFeatures;     // features filled by the caller, gram computed here
    private final double[] gram;            // (n, n) K in dual form, when this factor computes it
    private final double[] scratch;         // (n, m) p_j h_ji for the Gram (dual form)
    private final double[] work;            // (m) Psi v and its solve (primal form)
    private final double[] panel;           // (PANEL, m) a panel of H^T (primal form)
    private final double[] inner;           // (m, m) <h_j, h_l> on and above the diagonal (primal form)
    private final DMatrixRMaj matrix;       // the ridge matrix, overwritten by its factor
    private final DMatrixRMaj rhs;
    private final DMatrixRMaj sol;
    private final LinearSolverDense<DMatrixRMaj> chol;
    private double c = Double.NaN;          // the ridge of the current factor; NaN before the first
    private Parallelism parallelism = Parallelism.sequential();

    private RidgeFactor(double[] h, double[] p, int m, int n, boolean ownsFeatures) {
        this.h = h;
        this.p = p;
        this.m = m;
        this.n = n;
        this.size = Math.min(n, m);
        this.ownsFeatures = ownsFeatures;
        boolean dual = n <= m;
        this.gram = ownsFeatures && dual ? new double[n * n] : null;
        this.scratch = ownsFeatures && dual ? new double[n * m] : null;
        this.work = dual ? null : new double[m];
        this.panel = dual ? null : new double[Math.min(n, PANEL) * m];
        this.inner = dual ? null : new double[m * m];
        this.matrix = new DMatrixRMaj(size, size);
        this.rhs = new DMatrixRMaj(size, 1);
        this.sol = new DMatrixRMaj(size, 1);
        this.chol = LinearSolverFactory_DDRM.chol(size);
    }

    /**
     * A factor for the empirical measure (1/m) sum_j delta_(w_j) of m particles on n inputs, whose features
     * the caller writes into {@link #features()} before each {@link #factor}.
     */
    public static RidgeFactor ofParticles(int m, int n) {
        return ofParticles(m, n, Parallelism.sequential());
    }

    /** As {@link #ofParticles(int, int)}, with the Gram's row blocks split over threads (the same bits). */
    public static RidgeFactor ofParticles(int m, int n, Parallelism parallelism) {
        if (m < 1 || n < 1) {
            throw new IllegalArgumentException("m, n: must be >= 1, got m = " + m + ", n = " + n);
        }
        double[] p = new double[m];
        Arrays.fill(p, 1.0 / m);
        RidgeFactor f = new RidgeFactor(new double[m * n], p, m, n, true);
        f.parallelism = Objects.requireNonNull(parallelism, "parallelism");
        return f;
    }

    /** A factor over the arrays of a kernel (not copied; the kernel passes its Gram to {@link #factor}). */
    static RidgeFactor over(double[] h, double[] p, int m, int n) {
        return new RidgeFactor(h, p, m, n, false);
    }

    /** The features h(x_i; w_j), (m, n) row-major: the array itself, to be filled before {@link #factor}. */
    public double[] features() {
        return h;
    }

    /** Number of inputs n. */
    public int n() { return n; }

    /** Number of atoms m. */
    public int atoms() { return m; }

    /**
     * Factorises the ridge matrix of the current features: computes the Gram K (dual form) and the Cholesky
     * factor of K + c I, c = n lambdaA (or of Psi Psi^T + c I in primal form).
     *
     * @param lambdaA the ridge strength (> 0)
     * @throws IllegalStateException if the factorisation fails (the matrix is not positive definite)
     */
    public void factor(double lambdaA) {
        if (!ownsFeatures) {
            throw new IllegalStateException("factor: a kernel's factor is factorised through the kernel");
        }
        if (gram != null) {
            IntrinsicKernel.upperGram(h, p, m, n, scratch, gram, parallelism);
        }
        factor(lambdaA, gram);
    }

    /** As {@link #factor(double)} with the dual form's Gram given (null in primal form). */
    void factor(double lambdaA, double[] dualGram) {
        double ridge = ridge(lambdaA);
        c = Double.NaN;
        if (n <= m) {
            System.arraycopy(dualGram, 0, matrix.data, 0, n * n);
        } else {
            // (Psi Psi^T)_jl = sqrt(p_j p_l) <h_j, h_l>, (m, m). The inner products on and above the diagonal are the
            // sequential product H H^T (each a sum over i in increasing order from +0.0), per row block from the
            // diagonal on, against H's transpose taken PANEL inputs at a time: each panel's terms resume the sums of
            // the panels before (productSequentialAdd), the same additions in the same order as one pass
            int blocks = (m + IntrinsicKernel.GRAM_ROWS - 1) / IntrinsicKernel.GRAM_ROWS;
            for (int i0 = 0; i0 < n; i0 += PANEL) {
                final int from = i0, cols = Math.min(PANEL, n - i0);
                for (int j = 0; j < m; j++) {
                    for (int i = 0; i < cols; i++) {
                        panel[i * m + j] = h[j * n + from + i];
                    }
                }
                parallelism.forEachChunk(blocks, 1, (long) IntrinsicKernel.GRAM_ROWS * cols * m / 2, (b0, b1) -> {
                    for (int blk = b0; blk < b1; blk++) {
                        int r0 = blk * IntrinsicKernel.GRAM_ROWS, rows = Math.min(IntrinsicKernel.GRAM_ROWS, m - r0);
                        if (from == 0) {
                            PRODUCTS.productSequential(h, r0 * n, n, panel, r0, m, inner, r0 * m + r0, m, rows, cols,
                                    m - r0);
                        } else {
                            PRODUCTS.productSequentialAdd(h, r0 * n + from, n, panel, r0, m, inner, r0 * m + r0, m,
                                    rows, cols, m - r0);
                        }
                    }
                });
            }
            for (int j = 0; j < m; j++) {
                for (int l = j; l < m; l++) {
                    double s = inner[j * m + l] * Math.sqrt(p[j] * p[l]);
                    matrix.unsafe_set(j, l, s);
                    matrix.unsafe_set(l, j, s);
                }
            }
        }
        for (int i = 0; i < size; i++) {
            matrix.unsafe_set(i, i, matrix.unsafe_get(i, i) + ridge);
        }
        if (!chol.setA(matrix)) {
            throw new IllegalStateException("Cholesky factorisation of the ridge matrix failed (not positive definite)");
        }
        c = ridge;
    }

    /** &lt;h_j, h_l&gt; (l &gt;= j) of the last factorisation in primal form, NaN in dual form: for the test of its bits. */
    double primalInnerProduct(int j, int l) {
        return inner == null ? Double.NaN : inner[Math.min(j, l) * m + Math.max(j, l)];
    }

    /** The Gram K of the last {@link #factor(double)} in dual form, (n, n) (a copy); null in primal form. */
    public double[] gram() {
        requireFactor();
        return gram == null ? null : gram.clone();
    }

    /**
     * alpha = (K + c I)^-1 v with the current factor, into alpha (length n); in primal form through
     * alpha = (v - Psi^T (Psi Psi^T + c I)^-1 Psi v) / c.
     */
    public void solve(double[] v, double[] alpha) {
        requireFactor();
        requireLength(v, n, "v");
        requireLength(alpha, n, "alpha");
        if (n <= m) {
            System.arraycopy(v, 0, rhs.data, 0, n);
            chol.solve(rhs, sol);
            System.arraycopy(sol.data, 0, alpha, 0, n);
            return;
        }
        // tag::kernel-ridge-factor[]
        // Psi v, (m)
        for (int j = 0; j < m; j++) {
            double s = 0.0;
            for (int i = 0; i < n; i++) {
                s += h[j * n + i] * v[i];
            }
            rhs.data[j] = Math.sqrt(p[j]) * s;
        }
        chol.solve(rhs, sol);
        System.arraycopy(v, 0, alpha, 0, n);
        for (int j = 0; j < m; j++) {
            double s = Math.sqrt(p[j]) * sol.data[j];
            for (int i = 0; i < n; i++) {
                alpha[i] -= s * h[j * n + i];
            }
        }
        for (int i = 0; i < n; i++) {
            alpha[i] /= c;
        }
        // end::kernel-ridge-factor[]
    }

    /**
     * The readouts a(w_j) = sum_i alpha_i h(x_i; w_j) at every atom, into out (length m): each a sum in
     * increasing i from +0.0 (the sequential product H alpha).
     */
    public void readouts(double[] alpha, double[] out) {
        requireLength(alpha, n, "alpha");
        requireLength(out, m, "out");
        PRODUCTS.productSequential(h, 0, alpha, 0, out, 0, m, n, 1);
    }

    /** df = size - c tr((ridge matrix)^-1) with the current factor (see {@link IntrinsicKernel#degreesOfFreedom}). */
    public double degreesOfFreedom() {
        requireFactor();
        DMatrixRMaj inverse = new DMatrixRMaj(size, size);
        chol.invert(inverse);
        return size - c * CommonOps_DDRM.trace(inverse);
    }

    /**
     * The intrinsic kernel of the current features (copied, with the Gram of the last factor when there is one):
     * for observers of the dynamics, outside the step.
     */
    public IntrinsicKernel kernel() {
        return IntrinsicKernel.ofParticlesFactored(h, p, m, n, gram != null && !Double.isNaN(c) ? gram : null);
    }

    private void requireFactor() {
        if (Double.isNaN(c)) {
            throw new IllegalStateException("factor: call factor(lambdaA) first");
        }
    }

    static double ridge(double lambdaA, int n) {
        if (!(lambdaA > 0) || !Double.isFinite(lambdaA)) {
            throw new IllegalArgumentException("lambdaA: must be finite and > 0, got " + lambdaA);
        }
        return n * lambdaA;
    }

    private double ridge(double lambdaA) {
        return ridge(lambdaA, n);
    }

    private static void requireLength(double[] v, int length, String name) {
        Objects.requireNonNull(v, name);
        if (v.length != length) {
            throw new IllegalArgumentException(name + ": expected " + length + " values, got " + v.length);
        }
    }
}
