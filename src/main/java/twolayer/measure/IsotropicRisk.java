package twolayer.measure;

import java.util.Objects;
import java.util.SplittableRandom;
import twolayer.data.IsotropicGaussians;
import twolayer.dynamics.IsotropicSgd;
import twolayer.model.Ramp;

/**
 * The population risk R_N(W) = E (y - (1/N) sum_i sigma(&lt;w_i, x&gt;))^2 of a ramp network on the isotropic Gaussians
 * (Mei, Montanari, Nguyen 2018), exactly and by Monte Carlo.
 *
 * <p><b>Closed form.</b> Expanding the square, with R_# = E y^2 = 1, V(w) = -E[y sigma(&lt;w, x&gt;)] and U(w, w') =
 * E[sigma(&lt;w, x&gt;) sigma(&lt;w', x&gt;)] (MMN's decomposition of the risk, at finite N):
 * <pre>
 *   R_N = 1 + (2/N) sum_i V(w_i) + (1/N^2) sum_(i,j) U(w_i, w_j),      V(w) = -(1/2)(q(tau_+ r) - q(tau_- r)),
 *   U(w_i, w_j) = (1/2) sum_(+-) sum_(k &gt;= 0) c_ij^k beta_k(tau_+- r_i) beta_k(tau_+- r_j)    (i != j, Mehler)
 *   U(w_i, w_i) = (1/2) sum_(+-) E sigma(tau_+- r_i G)^2,
 * </pre>
 * with r_i = ||w_i||, c_ij = cos(w_i, w_j), q and beta_k of {@link Ramp}. The Mehler series of each pair is summed
 * until the bound of its tail is below 1e-13: by Cramer's inequality |He_n(a)| &lt;= 1.0865 sqrt(n!) e^(a^2/4), every
 * |h_n(a) phi(a)| &lt;= 0.434, so |beta_k(s)| &lt;= B(s)/sqrt(k (k-1)) with B(s) = 0.87 slope s, and the tail after
 * term k is at most B_i B_j |c|^(k+1) / (k (k+1) (1 - |c|)). Pairs that need more than 400 terms (|c| close to 1)
 * stop there and their tail bound is added to {@link Value#truncation()}. Nothing is sampled, so the value carries
 * no test-set error.
 *
 * @see <a href="../../mfld.html#mmn">the mfld chapter, section on Mei-Montanari-Nguyen</a>
 */
public final class IsotropicRisk {

    /** Most Mehler terms summed for one pair. */
    static final int MAX_TERMS = 400;
    /** Tail bound at which the Mehler series of one pair stops. */
    static final double PAIR_TOLERANCE = 1e-13;
    /** 2 x 0.434: the bound on |E_n| = |h_n(a1) phi(a1) - h_n(a2) phi(a2)| from Cramer's inequality. */
    static final double CRAMER = 0.87;

    private IsotropicRisk() {
    }

    /**
     * The risk and a bound on the error of the truncated Mehler series.
     *
     * @param risk       R_N(W)
     * @param truncation an upper bound on |R_N - risk| from the truncated series
     */
    public record Value(double risk, double truncation) {
    }

    /** R_N(W) in closed form; w is (N, d) row-major with d = data.d(). */
    public static Value exact(IsotropicGaussians data, Ramp sigma, double[] w) {
        int d = data.d();
        int n = rows(w, d);
        double[] tau = {data.scale(1), data.scale(-1)};
        double[] r = IsotropicSgd.radii(w, n, d);
        int stride = MAX_TERMS + 1;
        double[] beta = new double[2 * n * stride];   // (2, N, K + 1): beta_k(tau_c r_i)
        double[] bound = new double[2 * n];           // (2, N): B(tau_c r_i)
        double[] row = new double[stride];
        double linear = 0.0, diagonal = 0.0;
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < n; i++) {
                double s = tau[c] * r[i];
                sigma.hermite(s, row, null);
                System.arraycopy(row, 0, beta, (c * n + i) * stride, stride);
                bound[c * n + i] = CRAMER * Math.abs(sigma.slope()) * s;
                linear += (c == 0 ? -0.5 : 0.5) * row[0];          // V(w_i)
                diagonal += 0.5 * sigma.gaussianSecondMoment(s);   // U(w_i, w_i)
            }
        }
        double offDiagonal = 0.0, truncation = 0.0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double dot = 0.0;
                for (int k = 0; k < d; k++) {
                    dot += w[i * d + k] * w[j * d + k];
                }
                double cos = r[i] == 0 || r[j] == 0 ? 0.0
                        : Math.max(-1.0, Math.min(1.0, dot / (r[i] * r[j])));
                double abs = Math.abs(cos);
                for (int c = 0; c < 2; c++) {
                    int bi = (c * n + i) * stride, bj = (c * n + j) * stride;
                    double bb = bound[c * n + i] * bound[c * n + j];
                    // tag::measure-isotropic-risk[]
                    // Sum the Mehler series sum_k c^k beta_k beta_k' until its tail bound vanishes
                    double sum = beta[bi] * beta[bj], power = 1.0, tail = Double.POSITIVE_INFINITY;
                    for (int k = 1; k <= MAX_TERMS; k++) {
                        power *= cos;
                        sum += power * beta[bi + k] * beta[bj + k];
                        tail = abs == 1.0 ? Double.POSITIVE_INFINITY
                                : bb * Math.abs(power) * abs / (k * (k + 1.0) * (1 - abs));
                        if (k >= 2 && tail < PAIR_TOLERANCE) {
                            tail = 0.0;
                            break;
                        }
                    }
                    offDiagonal += 2 * 0.5 * sum;      // (i, j) and (j, i)
                    truncation += 2 * 0.5 * tail;
                    // end::measure-isotropic-risk[]
                }
            }
        }
        // tag::measure-isotropic-risk[]
        double nn = (double) n * n;
        return new Value(1 + 2 * linear / n + (diagonal + offDiagonal) / nn, truncation / nn);
        // end::measure-isotropic-risk[]
    }

    /**
     * The Monte Carlo estimate on a fixed test sample: the same standard Gaussian g is used for both classes,
     * x = tau_+- g, so the class average is exact and only g is sampled:
     * (1/n) sum_g (1/2) sum_(+-) (+-1 - y-hat(tau_+- g))^2.
     */
    public static double monteCarlo(IsotropicGaussians data, Ramp sigma, double[] w, int testSize, long seed) {
        if (testSize < 1) {
            throw new IllegalArgumentException("testSize: must be >= 1, got " + testSize);
        }
        int d = data.d();
        int n = rows(w, d);
        double[] tau = {data.scale(1), data.scale(-1)};
        double[] g = new double[d];
        SplittableRandom rng = new SplittableRandom(seed);
        double total = 0.0;
        for (int q = 0; q < testSize; q++) {
            for (int k = 0; k < d; k++) {
                g[k] = rng.nextGaussian();
            }
            double yHatPlus = 0.0, yHatMinus = 0.0;
            for (int i = 0; i < n; i++) {
                double z = 0.0;
                for (int k = 0; k < d; k++) {
                    z += w[i * d + k] * g[k];
                }
                yHatPlus += sigma.value(tau[0] * z);
                yHatMinus += sigma.value(tau[1] * z);
            }
            double ePlus = 1 - yHatPlus / n, eMinus = -1 - yHatMinus / n;
            total += 0.5 * (ePlus * ePlus + eMinus * eMinus);
        }
        return total / testSize;
    }

    private static int rows(double[] w, int d) {
        Objects.requireNonNull(w, "w");
        if (w.length == 0 || w.length % d != 0) {
            throw new IllegalArgumentException("w: expected N*d values with N >= 1 and d = " + d + ", got " + w.length);
        }
        return w.length / d;
    }
}
