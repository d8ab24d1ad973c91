package twolayer.chapter.lazy;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.commons.math3.stat.regression.SimpleRegression;
import twolayer.dynamics.GradientDescent;
import twolayer.model.Activation;
import twolayer.model.Parameterization;
import twolayer.run.LazyRun;
import twolayer.run.LazyTask;

/**
 * How laziness depends on the output scale alpha at a fixed width: the nets f = (alpha/m) sum_j a_j sigma(...) of
 * {@link LazyScaling#alphaPower} with alpha = m^p for several p (the seed study's m^0, m^0.3, m^0.5, m^0.7), all
 * trained to the same time T, with and without the antisymmetric initialisation (neurons in pairs (a, w), (-a, w),
 * so f(x; theta0) = 0, as Chizat, Oyallon and Bach do). Records the relative weight changes and the kernel drift.
 *
 * <p>With rates m / alpha^2 every neuron moves at speed O(1/alpha) (lazy-training chapter), so RD ~ 1/alpha wherever
 * the residual stays O(1); without the antisymmetric pairs the initial output has size alpha / sqrt(m), which for
 * alpha &gt; sqrt(m) makes the initial residual, and the motion, larger.
 */
public final class LazyScaleSweep {

    /**
     * @param task         the problem
     * @param seed         seed of the data and of the initialisations
     * @param m            the width (even, for the antisymmetric pairs)
     * @param exponents    the exponents p of alpha = m^p
     * @param inits        independent initialisations per point
     * @param activation   sigma
     * @param optimizer    gradient descent
     * @param steps        steps K; every run ends at T = K eta
     */
    public record Config(LazyTask task, long seed, int m, double[] exponents, int inits, Activation activation,
                         GradientDescent.Config optimizer, long steps) {
        public Config {
            Objects.requireNonNull(task, "task");
            Objects.requireNonNull(activation, "activation");
            Objects.requireNonNull(optimizer, "optimizer");
            if (m < 2 || m % 2 != 0) {
                throw new IllegalArgumentException("m: must be even and >= 2 (antisymmetric pairs), got " + m);
            }
            if (exponents.length < 2) {
                throw new IllegalArgumentException("exponents: at least two are needed, got " + exponents.length);
            }
            if (inits < 1) {
                throw new IllegalArgumentException("inits: must be >= 1, got " + inits);
            }
            exponents = exponents.clone();
        }

        @Override public double[] exponents() { return exponents.clone(); }

        /**
         * The site's sweep: the task of {@link LazyWidthSweep.Config#site}, m = 1024, the study's alpha = m^0, m^0.3,
         * m^0.5, m^0.7, three initialisations each, eta = 4 for 8 steps (T = 32).
         */
        public static Config site() {
            return new Config(LazyTask.classification(100, 100, 40), LazyRun.SITE_SEED, 1024,
                    new double[] {0.0, 0.3, 0.5, 0.7}, 3, Activation.TANH, GradientDescent.Config.plain(4.0), 8);
        }

        /** alpha = m^p for exponent index k. */
        public double alpha(int k) {
            return Math.pow(m, exponents[k]);
        }
    }

    /**
     * One run.
     *
     * @param exponent      the index of p in the configuration
     * @param antisymmetric whether the antisymmetric initialisation was used
     * @param init          the initialisation's index
     * @param result        what was measured
     */
    public record Run(int exponent, boolean antisymmetric, int init, LazyRun.Result result) {
    }

    /** All runs. */
    public record Result(Config config, List<Run> runs) {
        public Result {
            runs = List.copyOf(runs);
        }

        /** The geometric mean over initialisations of a final-time quantity, per exponent. */
        public double[] geometricMeans(boolean antisymmetric, LazyWidthSweep.Metric metric) {
            double[] mean = new double[config.exponents().length];
            for (int k = 0; k < mean.length; k++) {
                double sum = 0;
                int count = 0;
                for (Run r : runs) {
                    if (r.exponent() == k && r.antisymmetric() == antisymmetric) {
                        sum += Math.log(metric.of(r.result()));
                        count++;
                    }
                }
                mean[k] = Math.exp(sum / count);
            }
            return mean;
        }

        /** The least-squares slope of log(metric) against log(alpha) over the exponents from {@code fromIndex} on. */
        public double slope(boolean antisymmetric, LazyWidthSweep.Metric metric, int fromIndex) {
            SimpleRegression fit = new SimpleRegression();
            for (Run r : runs) {
                if (r.antisymmetric() == antisymmetric && r.exponent() >= fromIndex) {
                    fit.addData(Math.log(config.alpha(r.exponent())), Math.log(metric.of(r.result())));
                }
            }
            return fit.getSlope();
        }
    }

    private LazyScaleSweep() {
    }

    /**
     * The run at exponent index k, with or without the antisymmetric initialisation, initialisation {@code i}: the
     * one {@link #run} makes, so that {@code twolayer experiment lazy-scale} runs it unit by unit with the same bits.
     */
    public static LazyRun.Config runConfig(Config c, int k, boolean antisymmetric, int i) {
        Parameterization p = LazyScaling.alphaPower(c.exponents()[k]).withAntisymmetricInit(antisymmetric);
        return new LazyRun.Config(c.task(), c.seed(), p, c.activation(), c.m(), LazyRun.Init.PRESET,
                LazyWidthSweep.initSeed(c.seed(), c.m(), i), c.optimizer(), c.steps(), 1, false, true);
    }

    /** Runs the sweep on {@code threads} threads (the result does not depend on the thread count). */
    public static Result run(Config c, int threads) {
        List<LazyRun.Config> configs = new ArrayList<>();
        List<Run> keys = new ArrayList<>();
        for (boolean antisymmetric : new boolean[] {false, true}) {
            for (int k = 0; k < c.exponents().length; k++) {
                for (int i = 0; i < c.inits(); i++) {
                    configs.add(runConfig(c, k, antisymmetric, i));
                    keys.add(new Run(k, antisymmetric, i, null));
                }
            }
        }
        List<LazyRun.Result> results = LazyRun.runAll(configs, threads);
        List<Run> runs = new ArrayList<>();
        for (int j = 0; j < results.size(); j++) {
            Run key = keys.get(j);
            runs.add(new Run(key.exponent(), key.antisymmetric(), key.init(), results.get(j)));
        }
        return new Result(c, runs);
    }
}
