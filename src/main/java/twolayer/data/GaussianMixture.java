package twolayer.data;

import java.util.Objects;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * The symmetric two-cluster Gaussian mixture for binary classification:
 * <pre>
 *   y = +1 or -1 with probability 1/2 each,   x | y ~ N(y mu, I_d).
 * </pre>
 * The Bayes classifier is the linear rule sign(&lt;mu, x&gt;); its error is Phi(-|mu|). The mean is given ({@link #of}), drawn ({@link #random}: mu = |mu| times a uniform direction), or
 * spread over k informative coordinates ({@link #informative}: mu_j = |mu| / sqrt(k) for j &lt; k, 0 beyond, so the
 * last d - k coordinates are pure noise; the setting "n = 1000, d = 100, a few informative directions, logistic
 * loss").
 */
public final class GaussianMixture {

    private final double[] mu; // (d)

    private GaussianMixture(double[] mu) {
        this.mu = mu;
    }

    /** The mixture with the given class mean mu (finite, dimension d >= 1). */
    public static GaussianMixture of(double[] mu) {
        double[] copy = Args.finite(mu, "mu");
        if (copy.length < 1) {
            throw new IllegalArgumentException("mu: dimension d must be >= 1, got 0");
        }
        return new GaussianMixture(copy);
    }

    /** The mixture whose mean has norm {@code meanNorm} and a direction uniform on S^{d-1}, drawn from the seed. */
    public static GaussianMixture random(int d, double meanNorm, long seed) {
        Args.size(1, d);
        Args.positive(meanNorm, "meanNorm");
        return new GaussianMixture(Sphere.sample(1, d, meanNorm, new SplittableRandom(seed)));
    }

    /**
     * The mixture whose class signal lives in the first k of d coordinates: mu = (|mu| / sqrt(k)) (1, ..., 1, 0,
     * ..., 0) with k ones.
     *
     * @param k        informative coordinates, 1 &lt;= k &lt;= d
     * @param meanNorm |mu| (finite, > 0)
     */
    public static GaussianMixture informative(int d, int k, double meanNorm) {
        Args.size(1, d);
        if (k < 1 || k > d) {
            throw new IllegalArgumentException("k: number of informative coordinates must be in [1, d = " + d + "], got " + k);
        }
        Args.positive(meanNorm, "meanNorm");
        double[] mu = new double[d];
        double muJ = meanNorm / Math.sqrt(k);
        for (int j = 0; j < k; j++) {
            mu[j] = muJ;
        }
        return new GaussianMixture(mu);
    }

    /** Input dimension d. */
    public int d() {
        return mu.length;
    }

    /** A copy of the class mean mu, (d). */
    public double[] mean() {
        return mu.clone();
    }

    /** n labelled points drawn from {@code new SplittableRandom(seed)}. */
    public Dataset sample(int n, long seed) {
        return sample(n, new SplittableRandom(seed));
    }

    /**
     * n labelled points: for each point in turn, y (one {@code nextBoolean}) and then x = y mu + g, g ~ N(0, I_d)
     * (d Gaussian draws).
     */
    public Dataset sample(int n, RandomGenerator rng) {
        int d = mu.length;
        double[] x = new double[Args.size(n, d)]; // (n, d)
        double[] y = new double[n];
        Objects.requireNonNull(rng, "rng");
        for (int i = 0; i < n; i++) {
            y[i] = rng.nextBoolean() ? 1.0 : -1.0;
            for (int j = 0; j < d; j++) {
                x[i * d + j] = y[i] * mu[j] + rng.nextGaussian();
            }
        }
        return new Dataset(x, y, n, d);
    }

    @Override
    public String toString() {
        double ss = 0.0;
        for (double m : mu) {
            ss += m * m;
        }
        return "GaussianMixture[d=" + mu.length + ", |mu|=" + Math.sqrt(ss) + "]";
    }
}
