package twolayer.chapter.meanfield;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.apache.commons.math3.stat.regression.SimpleRegression;
import twolayer.data.Dataset;
import twolayer.data.GaussianInputs;
import twolayer.data.TeacherNetwork;
import twolayer.dynamics.GradientDescent;
import twolayer.dynamics.TrainingObserver;
import twolayer.dynamics.TrainingProblem;
import twolayer.measure.WeightChange;
import twolayer.model.Activation;
import twolayer.model.Group;
import twolayer.model.Loss;
import twolayer.model.Parallelism;
import twolayer.model.Parameterization;
import twolayer.model.TwoLayerNet;

/**
 * How far the hidden layer travels in the mean-field scaling, as the width grows: on one data set, nets of
 * widths m_1 &lt; ... &lt; m_K in the {@link Parameterization#meanField()} preset (kA = 1/m, rates rhoA = rhoW = m)
 * are trained by full-batch gradient descent to the same time T, and the relative weight change
 * RD_w = ||W(T) - W(0)||_F / ||W(0)||_F is recorded for each width and initialisation seed.
 *
 * <p>In the mean-field scaling every particle (a_j, w_j) moves by O(1) in O(1) time, so
 * RD_w^2 = ((1/m) sum_j ||w_j(T) - w_j(0)||^2) / ((1/m) sum_j ||w_j(0)||^2) is a ratio of two empirical averages
 * over the particles; both converge to their mean-field limits (law of large numbers for the particle system,
 * propagation of chaos: Mei, Montanari, Nguyen 2018, Thm 3) with fluctuations O(m^(-1/2)). RD_w therefore tends to
 * a constant and the slope of log RD_w against log m tends to 0 (claim MF-1; compare the m^(-1/2) of the ntk
 * preset in the lazy-training chapter).
 *
 * <p>The problem: n inputs x ~ N(0, I_d), labels of a random tanh teacher of width 3 with noise 0.1, tanh student.
 * The initialisation is antisymmetric (neurons in pairs (a, w), (-a, w)), so f(x; theta_0) = 0 at every width: with
 * the plain Gaussian draw the initial output (1/m) sum_j a_j sigma(&lt;w_j, x&gt;) has a random part of size m^(-1/2)
 * that adds to the residual and makes the narrow nets move further, a finite-width bias in the fitted slope.
 */
public final class MeanFieldWidthSweep {

    /**
     * @param seed    seed of the data (the same for every width and initialisation)
     * @param n       training points
     * @param d       input dimension
     * @param widths  the widths m, increasing
     * @param inits   initialisations per width (seeds derived from {@code seed})
     * @param time    final time T
     * @param eta     step size (T / eta whole)
     */
    public record Config(long seed, int n, int d, int[] widths, int inits, double time, double eta) {
        public Config {
            if (n < 1 || d < 1 || inits < 1) {
                throw new IllegalArgumentException("n, d, inits: must be >= 1, got " + n + ", " + d + ", " + inits);
            }
            if (widths.length < 2) {
                throw new IllegalArgumentException("widths: need at least 2, got " + widths.length);
            }
            for (int k = 1; k < widths.length; k++) {
                if (widths[k - 1] < 1 || widths[k] <= widths[k - 1]) {
                    throw new IllegalArgumentException("widths: must be >= 1 and increasing, got "
                            + Arrays.toString(widths));
                }
            }
            if (!(time > 0) || !(eta > 0)) {
                throw new IllegalArgumentException("time, eta: must be > 0, got " + time + ", " + eta);
            }
            widths = widths.clone();
        }

        @Override public int[] widths() { return widths.clone(); }

        // tag::experiment-mf-width-sweep[]
        /**
         * The claim's sweep: widths 32 .. 1024 (1.5 decades), 6 antisymmetric initialisations each, T
         * = 2, eta = 0.05 (40 steps).
         */
        public static Config claim(long seed) {
            return new Config(seed, 64, 4, new int[] {32, 64, 128, 256, 512, 1024}, 6, 2.0, 0.05);
        }
        // end::experiment-mf-width-sweep[]
    }

    /**
     * The measured RD_w, one row per width, one column per initialisation, and the pooled log-log fit.
     *
     * @param widths the widths
     * @param rdW    (widths, inits) relative weight change of the hidden layer at T
     * @param slope  slope of log RD_w against log m over all points
     * @param slopeStandardError its standard error
     */
    public record Result(int[] widths, double[][] rdW, double slope, double slopeStandardError) {
        /** The geometric mean of RD_w over initialisations, per width. */
        public double[] geometricMeans() {
            double[] out = new double[widths.length];
            for (int k = 0; k < widths.length; k++) {
                out[k] = Math.exp(Arrays.stream(rdW[k]).map(Math::log).average().orElseThrow());
            }
            return out;
        }
    }

    private MeanFieldWidthSweep() {
    }

    /** Runs the sweep (widths in parallel; every run is sequential and seeded, so the result is reproducible). */
    public static Result run(Config c) {
        SplittableRandom rng = new SplittableRandom(c.seed());
        double[] x = GaussianInputs.sample(c.n(), c.d(), 1.0, rng.nextLong());
        TeacherNetwork teacher = TeacherNetwork.random(3, c.d(), Activation.TANH, rng.nextLong());
        Dataset data = teacher.dataset(x, 0.1, rng.nextLong());
        int[] widths = c.widths();
        long[][] initSeeds = new long[widths.length][c.inits()];
        for (long[] row : initSeeds) {
            for (int s = 0; s < row.length; s++) {
                row[s] = rng.nextLong();
            }
        }
        double[][] rd = new double[widths.length][];
        IntStream.range(0, widths.length).parallel().forEach(k -> {
            rd[k] = new double[c.inits()];
            for (int s = 0; s < c.inits(); s++) {
                rd[k][s] = relativeChange(data, widths[k], initSeeds[k][s], c.time(), c.eta());
            }
        });
        SimpleRegression fit = new SimpleRegression();
        for (int k = 0; k < widths.length; k++) {
            for (double v : rd[k]) {
                fit.addData(Math.log(widths[k]), Math.log(v));
            }
        }
        return new Result(widths, rd, fit.getSlope(), fit.getSlopeStdErr());
    }

    // tag::experiment-mf-relative-change[]
    /**
     * RD_w at time T of one meanField net of width m trained by gradient descent from the seed's
     * init.
     */
    static double relativeChange(Dataset data, int m, long initSeed, double time, double eta) {
        TwoLayerNet net = TwoLayerNet.initialize(data.d(), m, Activation.TANH,
                Parameterization.meanField().withAntisymmetricInit(true), initSeed);
        TrainingProblem problem =
                new TrainingProblem(net, data, Loss.SQUARED, Parallelism.sequential());
        GradientDescent gd = new GradientDescent(problem, GradientDescent.Config.plain(eta));
        gd.run(new double[] {time}, TrainingObserver.none());
        return WeightChange.relative(net, net.initialParameters(), gd.parameters(), Group.W);
    }
    // end::experiment-mf-relative-change[]
}
