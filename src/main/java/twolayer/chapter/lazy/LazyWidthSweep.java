package twolayer.chapter.lazy;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import org.apache.commons.math3.stat.regression.SimpleRegression;
import twolayer.dynamics.GradientDescent;
import twolayer.model.Activation;
import twolayer.model.Offset;
import twolayer.model.Parameterization;
import twolayer.run.LazyRun;
import twolayer.run.LazyTask;

/**
 * How laziness depends on the width: for each variant of the net and each width m, several independent
 * initialisations are trained to the same time T on one data set, and the relative weight changes, the
 * linearisation gap and the kernel drift at T are recorded. Log-log slopes against m are fitted over all widths and
 * initialisations.
 *
 * <p>The variants of the chapter ({@link #ntk}, {@link #meanField}, {@link #positiveOutputWeights}):
 * <ul>
 *   <li>the ntk preset (alpha = sqrt m): RD ~ m^(-1/2), and the gap and the kernel drift ~ m^(-1), faster than the
 *       m^(-1/2) of the general bounds because the initialisation is symmetric in the sign of a_j;</li>
 *   <li>the mean-field scaling (alpha = 1, {@link LazyScaling#alphaPower} with p = 0): RD, gap and drift O(1);</li>
 *   <li>the ntk preset with positive output weights and a centred output, softplus units: the symmetry is broken and
 *       the gap and the drift fall like m^(-1/2), the rate of the bounds.</li>
 * </ul>
 */
public final class LazyWidthSweep {

    /**
     * One kind of net.
     *
     * @param label            a short label for tables and legends
     * @param parameterization its scaling
     * @param activation       sigma
     * @param init             how theta0 is drawn
     * @param linearized       whether to train the linearised model too (needed for the gap)
     */
    public record Variant(String label, Parameterization parameterization, Activation activation, LazyRun.Init init,
                          boolean linearized) {
        public Variant {
            Objects.requireNonNull(label, "label");
            Objects.requireNonNull(parameterization, "parameterization");
            Objects.requireNonNull(activation, "activation");
            Objects.requireNonNull(init, "init");
        }

        /** The same variant without the linearised model (no gap, a third of the cost). */
        public Variant withoutLinearization() {
            return new Variant(label, parameterization, activation, init, false);
        }
    }

    // tag::experiment-lazy-variants[]
    /** The ntk preset, tanh units: a_j, w_j ~ N(0, 1), kA = 1/sqrt(m), kW = 1/sqrt(d), rates 1. */
    public static Variant ntk() {
        return new Variant("ntk (tanh)", Parameterization.ntk(1.0, 1.0), Activation.TANH,
                LazyRun.Init.PRESET, true);
    }

    /** The mean-field scaling alpha = 1 (kA = 1/m, rates m), fan-in 1/sqrt(d), tanh units. */
    public static Variant meanField() {
        return new Variant("meanField (tanh)", LazyScaling.alphaPower(0.0), Activation.TANH,
                LazyRun.Init.PRESET, true);
    }

    /**
     * The ntk preset with a_j replaced by |a_j| and the output centred, f - f(theta0), softplus
     * units: neither a_j -> -a_j nor (for a non-odd sigma) w_j -> -w_j leaves the law of theta0
     * unchanged.
     */
    public static Variant positiveOutputWeights() {
        return new Variant("ntk, a >= 0, centred (softplus)",
                Parameterization.ntk(1.0, 1.0).withOffset(Offset.CENTRED, null),
                Activation.SOFTPLUS, LazyRun.Init.POSITIVE_OUTPUT_WEIGHTS, true);
    }
    // end::experiment-lazy-variants[]

    /**
     * @param task      the problem
     * @param seed      seed of the data set and of the initialisations
     * @param widths    the widths m (at least two)
     * @param inits     independent initialisations per width
     * @param variants  the nets
     * @param optimizer gradient descent (full batch in the chapter)
     * @param steps     steps K; every run ends at T = K eta
     * @param observations observations per run (the figures' time axis)
     */
    public record Config(LazyTask task, long seed, int[] widths, int inits, List<Variant> variants,
                         GradientDescent.Config optimizer, long steps, int observations) {
        public Config {
            Objects.requireNonNull(task, "task");
            Objects.requireNonNull(optimizer, "optimizer");
            if (widths.length < 2) {
                throw new IllegalArgumentException("widths: at least two are needed for a slope, got " + widths.length);
            }
            for (int m : widths) {
                if (m < 2) {
                    throw new IllegalArgumentException("widths: every m must be >= 2, got " + m);
                }
            }
            if (inits < 1) {
                throw new IllegalArgumentException("inits: must be >= 1, got " + inits);
            }
            if (variants.isEmpty()) {
                throw new IllegalArgumentException("variants: at least one is needed");
            }
            widths = widths.clone();
            variants = List.copyOf(variants);
        }

        @Override public int[] widths() { return widths.clone(); }

        /**
         * The site's sweep: the classification task scaled down from the study's n = 1000, d = 100 to n = 100
         * training and 100 probe points in d = 40 (a full sweep at the study's size takes minutes), widths 32 to 2048,
         * three initialisations per width, the three variants with their linearisations, eta = 4 for 8 steps (T = 32),
         * observed at the end only (every observation costs a kernel on the probes).
         */
        public static Config site() {
            return new Config(LazyTask.classification(100, 100, 40), LazyRun.SITE_SEED,
                    new int[] {32, 64, 128, 256, 512, 1024, 2048}, 3, List.of(ntk(), meanField(), positiveOutputWeights()),
                    GradientDescent.Config.plain(4.0), 8, 1);
        }
    }

    /** A measured quantity at the final time. */
    public enum Metric {
        RD_A, RD_W, GAP, GAP_RMS, DRIFT;

        double of(LazyRun.Result r) {
            return switch (this) {
                case RD_A -> r.finalRdA();
                case RD_W -> r.finalRdW();
                case GAP -> r.finalGap();
                case GAP_RMS -> r.finalGapRms();
                case DRIFT -> r.finalDrift();
            };
        }
    }

    /**
     * One run.
     *
     * @param variant the variant's index in the configuration
     * @param m       the width
     * @param init    the initialisation's index
     * @param result  what was measured
     */
    public record Run(int variant, int m, int init, LazyRun.Result result) {
    }

    /**
     * A log-log fit of a metric against m.
     *
     * @param slope         the fitted exponent s in metric ~ C m^s
     * @param standardError its standard error from the scatter about the line
     * @param points        the number of (m, init) points
     */
    public record Fit(double slope, double standardError, int points) {
    }

    /** All runs, in the order variant, width, initialisation. */
    public record Result(Config config, List<Run> runs) {
        public Result {
            runs = List.copyOf(runs);
        }

        /** The runs of one variant. */
        public List<Run> runsOf(int variant) {
            return runs.stream().filter(r -> r.variant() == variant).toList();
        }

        /** The mean of log(metric) over the initialisations at each width, exponentiated (the geometric mean). */
        public double[] geometricMeans(int variant, Metric metric) {
            int[] widths = config.widths();
            double[] mean = new double[widths.length];
            for (int k = 0; k < widths.length; k++) {
                int m = widths[k];
                double sum = 0;
                int count = 0;
                for (Run r : runsOf(variant)) {
                    if (r.m() == m) {
                        sum += Math.log(metric.of(r.result()));
                        count++;
                    }
                }
                mean[k] = Math.exp(sum / count);
            }
            return mean;
        }

        /** The least-squares slope of log(metric) against log(m) over every width and initialisation. */
        public Fit slope(int variant, Metric metric) {
            SimpleRegression fit = new SimpleRegression();
            for (Run r : runsOf(variant)) {
                fit.addData(Math.log(r.m()), Math.log(metric.of(r.result())));
            }
            return new Fit(fit.getSlope(), fit.getSlopeStdErr(), (int) fit.getN());
        }
    }

    private LazyWidthSweep() {
    }

    /**
     * The slope of log(metric) against log(m) over several sweeps (one per data set), each with its own intercept:
     * log(metric) and log(m) are centred within each sweep and the centred values regressed through the origin, so
     * that the spread between data sets does not enter the slope or its standard error. The standard error has
     * N - S - 1 degrees of freedom (N points, S sweeps).
     */
    public static Fit pooledSlope(List<Result> sweeps, int variant, Metric metric) {
        double sxy = 0, sxx = 0;
        List<double[]> centred = new ArrayList<>();
        for (Result sweep : sweeps) {
            List<Run> runs = sweep.runsOf(variant);
            double mx = 0, my = 0;
            for (Run r : runs) {
                mx += Math.log(r.m());
                my += Math.log(metric.of(r.result()));
            }
            mx /= runs.size();
            my /= runs.size();
            for (Run r : runs) {
                double x = Math.log(r.m()) - mx, y = Math.log(metric.of(r.result())) - my;
                centred.add(new double[] {x, y});
                sxy += x * y;
                sxx += x * x;
            }
        }
        double slope = sxy / sxx;
        double ss = 0;
        for (double[] p : centred) {
            double e = p[1] - slope * p[0];
            ss += e * e;
        }
        int dof = centred.size() - sweeps.size() - 1;
        double se = dof > 0 ? Math.sqrt(ss / dof / sxx) : Double.NaN;
        return new Fit(slope, se, centred.size());
    }

    /** The seed of initialisation {@code i} at width m: the same for every variant (common random numbers). */
    static long initSeed(long seed, int m, int i) {
        return new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (m + 1L))).split().nextLong() + i;
    }

    /**
     * The run of variant {@code v} (its index in the configuration) at width m, initialisation {@code i}: the one
     * {@link #run} makes, so that {@code twolayer experiment lazy-width} runs it unit by unit with the same bits.
     */
    public static LazyRun.Config runConfig(Config c, int v, int m, int i) {
        Variant variant = c.variants().get(v);
        return new LazyRun.Config(c.task(), c.seed(), variant.parameterization(), variant.activation(),
                m, variant.init(), initSeed(c.seed(), m, i), c.optimizer(), c.steps(), c.observations(),
                variant.linearized(), true);
    }

    /** Runs the sweep on {@code threads} threads (the result does not depend on the thread count). */
    public static Result run(Config c, int threads) {
        List<LazyRun.Config> configs = new ArrayList<>();
        List<int[]> keys = new ArrayList<>();
        for (int v = 0; v < c.variants().size(); v++) {
            for (int m : c.widths()) {
                for (int i = 0; i < c.inits(); i++) {
                    configs.add(runConfig(c, v, m, i));
                    keys.add(new int[] {v, m, i});
                }
            }
        }
        List<LazyRun.Result> results = LazyRun.runAll(configs, threads);
        List<Run> runs = new ArrayList<>(results.size());
        for (int k = 0; k < results.size(); k++) {
            int[] key = keys.get(k);
            runs.add(new Run(key[0], key[1], key[2], results.get(k)));
        }
        return new Result(c, runs);
    }
}
