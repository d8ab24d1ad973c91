package twolayer.kernel;

import java.util.Objects;
import twolayer.data.Dataset;
import twolayer.linalg.Kernels;
import twolayer.linalg.Products;
import twolayer.model.Group;
import twolayer.model.Parallelism;
import twolayer.model.TwoLayerNet;

/**
 * The intrinsic kernel of a measure mu over neurons (Takakura and Suzuki 2024, "Mean-field analysis on two-layer
 * neural networks from a kernel perspective", ICML, section 3):
 * <pre>
 *   k_mu(x, x') = E_mu[h(x; w) h(x'; w)],      (K_mu)_ii' = k_mu(x_i, x_i')          (n, n)
 *   mu = sum_j p_j delta_(w_j):   K_mu = sum_j p_j h_j h_j^T,   h_j = (h(x_1; w_j), ..., h(x_n; w_j))
 * </pre>
 * with p_j = 1/m for the m particles of a net ({@link #ofParticles}) and quadrature weights for a measure on a
 * grid ({@link #ofMeasure}). For a net the neuron is h(x; w_j, b_j) = sigma(kW &lt;w_j, x&gt; + kB b_j): with the
 * bias, h(x; w) = tanh(w . (x, 1)) is the paper's neuron; a bias-free odd sigma would make k_mu(-x, x') =
 * -k_mu(x, x') and could not fit an even target.
 *
 * <p>Derived quantities (two-timescale chapter): the kernel-target alignment
 * A(K, y) = y^T K y / (||K||_F ||y||^2) (Cristianini et al. 2001), the degrees of freedom
 * df = tr(K (K + n lambdaA I)^-1), and the ridge solution alpha = (K + n lambdaA I)^-1 v. Solves use a Cholesky
 * factorisation (EJML) of the smaller of the dual n x n matrix K + c I and the primal m x m matrix
 * Psi Psi^T + c I, Psi_j = sqrt(p_j) h_j, related by the Woodbury identity
 * (K + c I)^-1 = (I - Psi^T (Psi Psi^T + c I)^-1 Psi) / c.
 *
 * @see twolayer.kernel.TwoTimescaleObjective
 */
public final class IntrinsicKernel {

    private final int m;            // atoms of the measure
    private final int n;            // inputs
    private final double[] h;       // (m, n) h(x_i; w_j), row-major
    private final double[] p;       // (m) weights p_j
    private double[] gram;          // (n, n), computed on first use

    private IntrinsicKernel(double[] h, double[] p, int m, int n) {
        this.h = h;
        this.p = p;
        this.m = m;
        this.n = n;
    }

    /**
     * The kernel of the empirical measure (1/m) sum_j delta_(w_j) of m particles.
     *
     * @param h features h(x_i; w_j), (m, n) row-major (copied)
     */
    public static IntrinsicKernel ofParticles(double[] h, int m, int n) {
        checkShape(h, m, n);
        return new IntrinsicKernel(h.clone(), uniform(m), m, n);
    }

    /**
     * The kernel of a discrete measure sum_j p_j delta_(w_j) (quadrature nodes and weights of a density).
     *
     * @param h features h(x_i; w_j), (m, n) row-major (copied)
     * @param p non-negative finite weights (m) (copied; need not sum to one)
     */
    public static IntrinsicKernel ofMeasure(double[] h, double[] p, int m, int n) {
        checkShape(h, m, n);
        Objects.requireNonNull(p, "p");
        if (p.length != m) {
            throw new IllegalArgumentException("p: expected " + m + " weights, got " + p.length);
        }
        for (int j = 0; j < m; j++) {
            if (!(p[j] >= 0) || !Double.isFinite(p[j])) {
                throw new IllegalArgumentException("p: weight " + j + " must be finite and >= 0, got " + p[j]);
            }
        }
        return new IntrinsicKernel(h.clone(), p.clone(), m, n);
    }

    /** The kernel of the particles of a net at parameters theta on the inputs of {@code data}. */
    public static IntrinsicKernel of(TwoLayerNet net, double[] theta, Dataset data) {
        return new IntrinsicKernel(features(net, theta, data.x(), data.n()), uniform(net.width()), net.width(),
                data.n());
    }

    // tag::kernel-intrinsic-features[]
    /**
     * The features h(x_i; w_j, b_j) = sigma(kW &lt;w_j, x_i&gt; + kB b_j) of the neurons of a net at theta,
     * (m, n) row-major (b_j = 0 without hidden biases).
     *
     * @param x inputs, (n, d) row-major
     */
    public static double[] features(TwoLayerNet net, double[] theta, double[] x, int n) {
        int m = net.width(), d = net.inputDimension();
        if (theta.length != net.parameterCount()) {
            throw new IllegalArgumentException("theta: expected " + net.parameterCount() + " parameters, got "
                    + theta.length);
        }
        if (x.length != (long) n * d) {
            throw new IllegalArgumentException("x: expected n d = " + (long) n * d + " values, got " + x.length);
        }
        double[] out = new double[m * n];
        net.features(theta, x, n, out, null, Parallelism.sequential());
        return out;
    }
    // end::kernel-intrinsic-features[]

    /** Number of inputs n. */
    public int n() { return n; }

    /** Number of atoms m of the measure. */
    public int atoms() { return m; }

    /** The features h(x_i; w_j), (m, n) row-major (a copy). */
    public double[] features() { return h.clone(); }

    /** Feature h(x_i; w_j). */
    public double feature(int j, int i) { return h[j * n + i]; }

    /** Weight p_j of atom j. */
    public double weight(int j) { return p[j]; }

    // tag::kernel-intrinsic-gram[]
    /** The Gram matrix K_mu = sum_j p_j h_j h_j^T, (n, n) row-major (a copy). */
    public double[] gram() {
        if (gram == null) {
            double[] k = new double[n * n];
            upperGram(h, p, m, n, new double[n * m], k, Parallelism.sequential());
            gram = k;
        }
        return gram.clone();
    }

    /**
     * K = sum_j p_j h_j h_j^T into k (n, n): an entry on or above the diagonal sums (p_j h_ji) h_jl in increasing j
     * from +0.0, one below is its mirror: the sums of the sequential product T H, T = (p_j h_ji) (n, m), per row
     * block from the diagonal on, T read down its transpose (the performance chapter, section "Determinism").
     *
     * @param t scratch of n m values, receives T's transpose, (m, n) like H: p_j h_ji at j n + i
     * @param parallelism splits the row blocks over threads (each block writes only its own rows)
     */
    static void upperGram(double[] h, double[] p, int m, int n, double[] t, double[] k, Parallelism parallelism) {
        for (int j = 0; j < m; j++) {
            double pj = p[j];
            int row = j * n;
            for (int i = 0; i < n; i++) {
                t[row + i] = pj * h[row + i];
            }
        }
        // atoms of weight 0 add +-0.0 to sums that start at +0.0 (finite features): no bit changes, so they stay
        int blocks = (n + GRAM_ROWS - 1) / GRAM_ROWS;
        parallelism.forEachChunk(blocks, 1, (long) GRAM_ROWS * n * m / 2, (from, to) -> {
            for (int blk = from; blk < to; blk++) {
                int r0 = blk * GRAM_ROWS, rows = Math.min(GRAM_ROWS, n - r0);
                PRODUCTS.productSequentialTransposedA(t, r0, n, h, r0, n, k, r0 * n + r0, n, rows, m, n - r0);
            }
        });
        for (int i = 0; i < n; i++) {
            for (int l = 0; l < i; l++) {
                k[i * n + l] = k[l * n + i];
            }
        }
    }
    // end::kernel-intrinsic-gram[]

    /**
     * Rows of a Gram's upper triangle computed per product call (here and in RidgeFactor's primal form): the diagonal
     * blocks waste little.
     */
    static final int GRAM_ROWS = 32;
    private static final Products PRODUCTS = Kernels.selected();

    /** The kernel-target alignment A(K, y) = y^T K y / (||K||_F ||y||^2), in [0, 1] for a PSD K. */
    public double alignment(double[] y) {
        requireLength(y, "y");
        double[] k = gram();
        double yKy = 0.0, frob = 0.0, yy = 0.0;
        for (int i = 0; i < n; i++) {
            yy += y[i] * y[i];
            for (int l = 0; l < n; l++) {
                yKy += y[i] * k[i * n + l] * y[l];
                frob += k[i * n + l] * k[i * n + l];
            }
        }
        if (frob == 0 || yy == 0) {
            throw new IllegalArgumentException("y, K: the alignment needs y != 0 and K != 0");
        }
        return yKy / (Math.sqrt(frob) * yy);
    }

    /**
     * The ridge solution alpha = (K + n lambdaA I)^-1 v by Cholesky, in dual form (n x n) when n &lt;= m and
     * otherwise in primal form (m x m) through alpha = (v - Psi^T (Psi Psi^T + c I)^-1 Psi v) / c, c = n lambdaA
     * ({@link RidgeFactor}, which factorises once for many right-hand sides).
     *
     * @param lambdaA the ridge strength (> 0): the second layer's L2 penalty
     */
    public double[] solve(double[] v, double lambdaA) {
        requireLength(v, "v");
        RidgeFactor f = factor(lambdaA);
        double[] alpha = new double[n];
        f.solve(v, alpha);
        return alpha;
    }

    /**
     * The degrees of freedom df = tr(K (K + c I)^-1) = n - c tr((K + c I)^-1), c = n lambdaA, in
     * [0, min(n, m)]; in primal form df = m - c tr((Psi Psi^T + c I)^-1) (the same non-zero eigenvalues).
     */
    public double degreesOfFreedom(double lambdaA) {
        return factor(lambdaA).degreesOfFreedom();
    }

    /** The Cholesky factor of K + c I (n &lt;= m) or Psi Psi^T + c I (m &lt; n). */
    private RidgeFactor factor(double lambdaA) {
        RidgeFactor.ridge(lambdaA, n);
        RidgeFactor f = RidgeFactor.over(h, p, m, n);
        f.factor(lambdaA, n <= m ? gram() : null);
        return f;
    }

    /** The readouts a(w_j) = sum_i alpha_i h(x_i; w_j) at every atom (m). */
    public double[] readouts(double[] alpha) {
        requireLength(alpha, "alpha");
        double[] a = new double[m];
        RidgeFactor.over(h, p, m, n).readouts(alpha, a);
        return a;
    }

    /** The kernel of features already checked by a factor (copied), with the Gram it computed when not null. */
    static IntrinsicKernel ofParticlesFactored(double[] h, double[] p, int m, int n, double[] gram) {
        IntrinsicKernel k = new IntrinsicKernel(h.clone(), p.clone(), m, n);
        k.gram = gram == null ? null : gram.clone();
        return k;
    }

    private void requireLength(double[] v, String name) {
        Objects.requireNonNull(v, name);
        if (v.length != n) {
            throw new IllegalArgumentException(name + ": expected n = " + n + " values, got " + v.length);
        }
    }

    private static int checkShape(double[] h, int m, int n) {
        Objects.requireNonNull(h, "h");
        if (m < 1 || n < 1) {
            throw new IllegalArgumentException("m, n: must be >= 1, got m = " + m + ", n = " + n);
        }
        if (h.length != (long) m * n) {
            throw new IllegalArgumentException("h: expected m n = " + (long) m * n + " features, got " + h.length);
        }
        for (double v : h) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("h: features must be finite, got " + v);
            }
        }
        return m;
    }

    private static double[] uniform(int m) {
        double[] p = new double[m];
        java.util.Arrays.fill(p, 1.0 / m);
        return p;
    }
}
