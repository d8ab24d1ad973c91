package twolayer.kernel;

import twolayer.linalg.Kernels;
import twolayer.linalg.Products;
import twolayer.model.Group;
import twolayer.model.Parallelism;
import twolayer.model.TwoLayerNet;

/**
 * The empirical neural tangent kernel of a two-layer net, split by parameter group:
 * <pre>
 *   Theta(x, x') = sum_g rho_g &lt;d f(x)/d theta_g, d f(x')/d theta_g&gt;          (notation chapter)
 *   Theta_a = rho_a L^2 kA^2           sum_j sigma(z_j) sigma(z_j')
 *   Theta_w = rho_w L^2 kA^2 kW^2 &lt;x, x'&gt; sum_j a_j^2 sigma'(z_j) sigma'(z_j')
 *   Theta_b = rho_b L^2 kA^2 kB^2       sum_j a_j^2 sigma'(z_j) sigma'(z_j')
 *   Theta_c = rho_c L^2 kC^2
 * </pre>
 * with z_j = kW &lt;w_j, x&gt; + kB b_j, z_j' the same at x', L the lazy scale and rho_g / L^2 the net's effective
 * rates (so L cancels). Jacot, Gabriel, Hongler 2018, "Neural tangent kernel", eq. (2); the per-group split is
 * that of Lee et al. 2019. The Jacobian (n x P) is never formed: per-neuron features sigma(z) and a sigma'(z)
 * are computed once per input, (n, m), and every entry is a sum over neurons in a fixed order, so the Gram is
 * reproducible for any thread count. Cost O(n1 n2 m) after O((n1 + n2) m d) for the features.
 */
public final class EmpiricalNtk {

    /**
     * The Gram matrices of one pair of input sets, each (n1, n2) row-major; a group that the net lacks is all
     * zeros.
     */
    public record Split(int n1, int n2, double[] a, double[] w, double[] b, double[] c) {
        /** Theta = Theta_a + Theta_w + Theta_b + Theta_c. */
        public double[] total() {
            double[] t = new double[n1 * n2];
            for (int k = 0; k < t.length; k++) {
                t[k] = a[k] + w[k] + b[k] + c[k];
            }
            return t;
        }

        /** The Gram of one group. */
        public double[] group(Group g) {
            return switch (g) { case A -> a.clone(); case W -> w.clone(); case B -> b.clone(); case C -> c.clone(); };
        }
    }

    private EmpiricalNtk() {
    }

    /** Theta(x1_i, x2_k) split by group; x1 is (n1, d) and x2 is (n2, d), row-major. */
    public static Split gram(TwoLayerNet net, double[] theta, double[] x1, int n1, double[] x2, int n2,
                             Parallelism parallelism) {
        int d = net.inputDimension(), m = net.width();
        check(net, theta, x1, n1, "x1");
        check(net, theta, x2, n2, "x2");
        // the hidden layer comes as (m, n): sigma(z) is S^T and a sigma'(z) is G^T, the right operands of the Gram
        // products and, read down their columns, the left ones
        double[] s1t = new double[m * n1], g1t = new double[m * n1];
        features(net, theta, x1, n1, s1t, g1t, parallelism);
        // the train-by-train Gram passes one set twice: its features once (the same bits either way)
        boolean same = x2 == x1 && n2 == n1;
        double[] s2t = same ? s1t : new double[m * n2], g2t = same ? g1t : new double[m * n2];
        if (!same) {
            features(net, theta, x2, n2, s2t, g2t, parallelism);
        }
        double[] x2t = transpose(x2, n2, d, parallelism);
        double lazy = net.parameterization().lazyScale();
        double kA = net.multiplier(Group.A), kW = net.multiplier(Group.W), kB = net.multiplier(Group.B);
        double kC = net.multiplier(Group.C);
        double cA = net.rate(Group.A) * lazy * lazy * kA * kA;
        double cW = net.rate(Group.W) * lazy * lazy * kA * kA * kW * kW;
        double cB = net.count(Group.B) > 0 ? net.rate(Group.B) * lazy * lazy * kA * kA * kB * kB : 0.0;
        double cC = net.count(Group.C) > 0 ? net.rate(Group.C) * lazy * lazy * kC * kC : 0.0;
        double[] ga = new double[n1 * n2], gw = new double[n1 * n2], gb = new double[n1 * n2], gc = new double[n1 * n2];
        // tag::kernel-empirical-gram[]
        // each sum below is a product C = A B whose entry (i, k) sums over neurons j (or coordinates q) in
        // increasing order, one sum per entry. Row chunks of up to 64 inputs: each chunk streams the second set's
        // features once (the product keeps a block of them in the L1 cache for all its rows); the chunks depend
        // on n1 alone, and no sum is split. A train-by-train Gram is symmetric: a chunk of rows [from, to) computes
        // only the columns k >= from, and the entries below are copied from their mirror images, whose sums have
        // the same terms in the same order (s_ij s_kj and s_kj s_ij are the same double), so the same bits.
        Products products = Kernels.selected();
        // a multiple of 4, the product's register block of rows, so that no chunk ends in single rows
        int chunk = Math.max(8, Math.min(64, n1 / 8) / 4 * 4);
        parallelism.forEachChunk(n1, chunk, (long) n2 * m, (from, to) -> {
            int rows = to - from, col0 = same ? from : 0, cols = n2 - col0, c0 = from * n2 + col0;
            products.productSequentialTransposedA(s1t, from, n1, s2t, col0, n2, ga, c0, n2, rows, m, cols);  // s1 s2^T
            products.productSequentialTransposedA(g1t, from, n1, g2t, col0, n2, gb, c0, n2, rows, m, cols);  // g1 g2^T
            products.productSequential(x1, from * d, d, x2t, col0, n2, gw, c0, n2, rows, d, cols);  // <x1_i, x2_k>
            for (int i = from; i < to; i++) {
                for (int e = i * n2 + col0; e < (i + 1) * n2; e++) {
                    double ss = ga[e], gg = gb[e], xx = gw[e];
                    ga[e] = cA * ss;
                    gw[e] = cW * xx * gg;
                    gb[e] = cB * gg;
                    gc[e] = cC;
                }
            }
        });
        if (same) {
            parallelism.forEachChunk(n1, chunk, n1, (from, to) -> {
                for (int i = from; i < to; i++) {
                    for (int k = 0; k < from; k++) {
                        ga[i * n1 + k] = ga[k * n1 + i];
                        gw[i * n1 + k] = gw[k * n1 + i];
                        gb[i * n1 + k] = gb[k * n1 + i];
                        gc[i * n1 + k] = gc[k * n1 + i];
                    }
                }
            });
        }
        // end::kernel-empirical-gram[]
        return new Split(n1, n2, ga, gw, gb, gc);
    }

    /** The train-by-train Gram Theta(x_i, x_k), total over groups. */
    public static double[] gram(TwoLayerNet net, double[] theta, double[] x, int n, Parallelism parallelism) {
        return gram(net, theta, x, n, x, n, parallelism).total();
    }

    /**
     * Per-neuron features of each input, (m, n) row-major: st_ji = sigma(z_ij) and gt_ji = a_j sigma'(z_ij), from
     * the net's own hidden layer ({@link TwoLayerNet#features}), so the kernel explains the outputs bit for bit.
     */
    private static void features(TwoLayerNet net, double[] theta, double[] x, int n, double[] st, double[] gt,
                                 Parallelism parallelism) {
        int m = net.width(), offA = net.offset(Group.A);
        net.features(theta, x, n, st, gt, parallelism);
        for (int j = 0; j < m; j++) {
            double aj = theta[offA + j];
            for (int i = j * n; i < (j + 1) * n; i++) {
                gt[i] = aj * gt[i];
            }
        }
    }

    /** Tile of the transpose: a 32 x 32 block of doubles of each matrix stays in the L1 cache. */
    private static final int TILE = 32;

    /** The (cols, rows) transpose of a (rows, cols) row-major matrix, in tiles, in column bands of the result. */
    private static double[] transpose(double[] a, int rows, int cols, Parallelism parallelism) {
        double[] t = new double[rows * cols];
        parallelism.forEachChunk(cols, TILE, rows, (c0, c1) -> {
            for (int r0 = 0; r0 < rows; r0 += TILE) {
                int r1 = Math.min(rows, r0 + TILE);
                for (int c = c0; c < c1; c++) {
                    for (int r = r0; r < r1; r++) {
                        t[c * rows + r] = a[r * cols + c];
                    }
                }
            }
        });
        return t;
    }

    private static void check(TwoLayerNet net, double[] theta, double[] x, int n, String field) {
        if (theta.length != net.parameterCount()) {
            throw new IllegalArgumentException("theta: expected " + net.parameterCount() + " parameters, got " + theta.length);
        }
        if (n < 1 || x.length != (long) n * net.inputDimension()) {
            throw new IllegalArgumentException(field + ": expected n*d = " + n + "*" + net.inputDimension()
                    + " values with n >= 1, got " + x.length);
        }
        for (int i = 0; i < x.length; i++) {
            if (!Double.isFinite(x[i])) {
                throw new IllegalArgumentException(field + ": input " + (i / net.inputDimension()) + " has a non-finite coordinate " + x[i]);
            }
        }
    }
}
