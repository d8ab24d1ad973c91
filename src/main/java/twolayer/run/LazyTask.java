package twolayer.run;

import java.util.Objects;
import java.util.SplittableRandom;
import twolayer.data.Dataset;
import twolayer.data.GaussianMixture;
import twolayer.data.TeacherNetwork;
import twolayer.model.Activation;
import twolayer.model.Loss;

/**
 * The seeded synthetic problems of the lazy-training experiments: a training set, a probe (test) set drawn from the
 * same law, and the loss.
 * <ul>
 *   <li>{@link Kind#CLASSIFICATION}: the two-cluster Gaussian mixture with its signal in {@code informative}
 *       coordinates, y = +-1, x | y ~ N(y mu, I_d), |mu| = {@code signal} ({@link GaussianMixture#informative});
 *       logistic loss. This is the seed study's "simple data" of n = 1000 points in d = 100 with a few informative
 *       directions (seed-study section 3), with a Gaussian mixture in place of sklearn's make_classification.</li>
 *   <li>{@link Kind#REGRESSION}: x ~ N(0, I_d), y = signal * f*(x) / std(f*) + noise * xi with f* a tanh teacher
 *       network of {@code informative} units ({@link TeacherNetwork#random}), std(f*) its sample standard deviation on
 *       the training inputs (so the clean targets have standard deviation {@code signal}); squared loss.</li>
 * </ul>
 * Seeds: one {@code SplittableRandom(seed)} gives, in order, the teacher's seed (regression only), the training
 * inputs and labels, the probe inputs and labels, and the label noise.
 *
 * @param kind        classification or regression
 * @param n           training points
 * @param probes      probe points (the test set on which outputs, gaps and kernels are measured)
 * @param d           input dimension
 * @param informative informative coordinates (classification) or teacher units (regression), 1..d
 * @param signal      |mu| (classification) or the standard deviation of the clean targets (regression), > 0
 * @param noise       label-noise standard deviation (regression; 0 for classification)
 */
public record LazyTask(Kind kind, int n, int probes, int d, int informative, double signal, double noise) {

    /** Classification (logistic loss) or regression (squared loss). */
    public enum Kind { CLASSIFICATION, REGRESSION }

    public LazyTask {
        Objects.requireNonNull(kind, "kind");
        if (n < 1 || probes < 1 || d < 1) {
            throw new IllegalArgumentException("n, probes, d: must be >= 1, got " + n + ", " + probes + ", " + d);
        }
        if (informative < 1 || informative > d) {
            throw new IllegalArgumentException("informative: must be in [1, d = " + d + "], got " + informative);
        }
        if (!(signal > 0) || !Double.isFinite(signal)) {
            throw new IllegalArgumentException("signal: must be finite and > 0, got " + signal);
        }
        if (!(noise >= 0) || !Double.isFinite(noise)) {
            throw new IllegalArgumentException("noise: must be finite and >= 0, got " + noise);
        }
        if (kind == Kind.CLASSIFICATION && noise != 0) {
            throw new IllegalArgumentException("noise: the mixture's labels are exact; use noise = 0 for classification");
        }
    }

    /**
     * The classification problem with 4 informative coordinates and |mu| = 2.5: the Bayes classifier sign(&lt;mu, x&gt;)
     * errs with probability Phi(-2.5) = 0.6 %, while a direction estimated from n points in d dimensions is off by
     * an angle of order sqrt(d/n) / |mu|, so the problem is learnable but not trivial at n = 500, d = 100.
     */
    public static LazyTask classification(int n, int probes, int d) {
        return new LazyTask(Kind.CLASSIFICATION, n, probes, d, Math.min(4, d), 2.5, 0.0);
    }

    /** The regression problem: a 4-unit tanh teacher, clean targets of standard deviation 1, label noise 0.1. */
    public static LazyTask regression(int n, int probes, int d) {
        return new LazyTask(Kind.REGRESSION, n, probes, d, Math.min(4, d), 1.0, 0.1);
    }

    /** The loss of this task. */
    public Loss loss() {
        return kind == Kind.CLASSIFICATION ? Loss.LOGISTIC : Loss.SQUARED;
    }

    /**
     * One draw of the problem.
     *
     * @param train  the training set
     * @param probes the probe (test) set
     * @param loss   the loss
     */
    public record Draw(Dataset train, Dataset probes, Loss loss) {
    }

    /** Draws the training and probe sets from the seed. */
    public Draw draw(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        if (kind == Kind.CLASSIFICATION) {
            GaussianMixture mixture = GaussianMixture.informative(d, informative, signal);
            Dataset train = mixture.sample(n, rng);
            Dataset test = mixture.sample(probes, rng);
            return new Draw(train, test, loss());
        }
        TeacherNetwork teacher = TeacherNetwork.random(informative, d, Activation.TANH, rng.nextLong());
        double[] x = gaussian(rng, n * d);
        double[] xProbe = gaussian(rng, probes * d);
        double[] y = teacher.labels(x);
        double[] yProbe = teacher.labels(xProbe);
        // Normalise the clean targets to standard deviation `signal` (with the training set's scale)
        double scale = signal / standardDeviation(y);
        for (int i = 0; i < n; i++) {
            y[i] = scale * y[i] + noise * rng.nextGaussian();
        }
        for (int i = 0; i < probes; i++) {
            yProbe[i] = scale * yProbe[i];
        }
        return new Draw(new Dataset(x, y, n, d), new Dataset(xProbe, yProbe, probes, d), loss());
    }

    private static double[] gaussian(SplittableRandom rng, int count) {
        double[] v = new double[count];
        for (int i = 0; i < count; i++) {
            v[i] = rng.nextGaussian();
        }
        return v;
    }

    private static double standardDeviation(double[] v) {
        double mean = 0;
        for (double e : v) {
            mean += e;
        }
        mean /= v.length;
        double ss = 0;
        for (double e : v) {
            ss += (e - mean) * (e - mean);
        }
        double sd = Math.sqrt(ss / Math.max(1, v.length - 1));
        if (!(sd > 0)) {
            throw new IllegalStateException("regression: the teacher's targets are constant on the training inputs");
        }
        return sd;
    }
}
