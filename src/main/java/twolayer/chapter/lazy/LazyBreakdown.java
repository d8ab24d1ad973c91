package twolayer.chapter.lazy;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import twolayer.dynamics.GradientDescent;
import twolayer.model.Activation;
import twolayer.model.Parameterization;
import twolayer.model.Scale;
import twolayer.run.LazyRun;
import twolayer.run.LazyTask;

/**
 * Three ways to break linearisation at a fixed width under the ntk preset (the seed study's lr, momentum and
 * theta_init notebooks, sections 4-6): the net and its linearisation, trained by the same optimiser from the same
 * theta0 on the same data for the same budget of K steps, drift apart
 * <ul>
 *   <li>as the step size eta grows (eta in {@code etas});</li>
 *   <li>as the heavy-ball momentum mu grows (mu in {@code momenta}, at eta = {@code baseEta});</li>
 *   <li>when the input weights start small, w ~ N(0, I/d) instead of N(0, I) (with {@code initActivation} units,
 *       at eta = {@code baseEta}).</li>
 * </ul>
 * The step-size sweep is also run at a fixed time T = K baseEta (K baseEta / eta steps), which separates the
 * per-step error of a large step from the longer time a fixed budget of large steps covers.
 * Every setting is run from the same {@code inits} initialisations (common random numbers), so that the
 * comparisons between settings are not blurred by the spread between initialisations.
 *
 * @see LazyRun
 */
public final class LazyBreakdown {

    /**
     * @param task           the problem
     * @param seed           seed of the data and of the initialisations
     * @param m              the width
     * @param inits          initialisations per setting
     * @param activation     sigma of the step-size and momentum sweeps
     * @param etas           step sizes, increasing
     * @param momenta        heavy-ball coefficients, increasing
     * @param initActivation sigma of the init-scale comparison
     * @param baseEta        step size of the momentum and init-scale comparisons
     * @param steps          the budget K of steps
     * @param fixedTime      whether to run the step-size sweep at the fixed time T = K baseEta too
     * @param observations   observations per run after t = 0 (1 for the final values only)
     */
    public record Config(LazyTask task, long seed, int m, int inits, Activation activation, double[] etas,
                         double[] momenta, Activation initActivation, double baseEta, long steps, boolean fixedTime,
                         int observations) {
        public Config {
            Objects.requireNonNull(task, "task");
            Objects.requireNonNull(activation, "activation");
            Objects.requireNonNull(initActivation, "initActivation");
            if (m < 1 || inits < 1 || steps < 1 || observations < 1) {
                throw new IllegalArgumentException("m, inits, steps, observations: must be >= 1, got " + m + ", " + inits
                        + ", " + steps + ", " + observations);
            }
            increasing(etas, "etas");
            increasing(momenta, "momenta");
            if (!(baseEta > 0)) {
                throw new IllegalArgumentException("baseEta: must be > 0, got " + baseEta);
            }
            for (double eta : fixedTime ? etas : new double[0]) {
                double fixedTimeSteps = steps * baseEta / eta;
                if (Math.abs(fixedTimeSteps - Math.rint(fixedTimeSteps)) > 1e-9 * fixedTimeSteps || fixedTimeSteps < 1) {
                    throw new IllegalArgumentException("etas: T / eta = K baseEta / eta must be a whole number >= 1; "
                            + "eta = " + eta + " gives " + fixedTimeSteps);
                }
            }
            etas = etas.clone();
            momenta = momenta.clone();
        }

        /**
         * The site's comparisons: the task of {@link LazyWidthSweep.Config#site}, m = 512 (the study used 5000),
         * three initialisations, a budget of K = 8 steps, eta in {1, 4, 16} (also at the fixed time T = 32), mu in
         * {0, 0.5, 0.9} at eta = 4, and the init-scale comparison with ReLU units; four observations per run.
         */
        public static Config site() {
            return new Config(LazyTask.classification(100, 100, 40), LazyRun.SITE_SEED, 512, 3, Activation.TANH,
                    new double[] {1.0, 4.0, 16.0}, new double[] {0.0, 0.5, 0.9}, Activation.RELU, 4.0, 8, true, 4);
        }

        @Override public double[] etas() { return etas.clone(); }

        @Override public double[] momenta() { return momenta.clone(); }

        private static void increasing(double[] v, String field) {
            if (v.length < 2) {
                throw new IllegalArgumentException(field + ": at least two values are needed, got " + v.length);
            }
            for (int k = 1; k < v.length; k++) {
                if (!(v[k] > v[k - 1])) {
                    throw new IllegalArgumentException(field + ": must be strictly increasing, got " + v[k - 1]
                            + " then " + v[k]);
                }
            }
        }
    }

    /**
     * One setting, measured at the end of its runs (geometric means over the initialisations).
     *
     * @param label     e.g. "eta = 2"
     * @param value     the swept value (eta, mu, or the init std s_W)
     * @param gap       geometric mean of the final linearisation gap
     * @param rdW       geometric mean of the final RD_w
     * @param gaps      the final gap of each initialisation
     * @param runs      the runs, one per initialisation
     */
    public record Point(String label, double value, double gap, double rdW, double[] gaps, List<LazyRun.Result> runs) {
        public Point {
            gaps = gaps.clone();
            runs = List.copyOf(runs);
        }

        @Override public double[] gaps() { return gaps.clone(); }
    }

    /**
     * @param stepSizes      the step-size sweep at a fixed budget of K steps
     * @param stepSizesAtFixedTime the step-size sweep at the fixed time T = K baseEta (empty unless asked for)
     * @param momenta        the momentum sweep
     * @param initScales     w ~ N(0, I) first, then w ~ N(0, I/d)
     */
    public record Result(Config config, List<Point> stepSizes, List<Point> stepSizesAtFixedTime, List<Point> momenta,
                         List<Point> initScales) {
    }

    private LazyBreakdown() {
    }

    /**
     * The settings {@link #run} compares, in its order: the step sizes (group 0), the step sizes at the fixed time
     * (group 1, if asked for), the momenta (group 2), the two initial scales (group 3); for
     * {@code twolayer experiment lazy-breakdown}, which runs them unit by unit with the same bits.
     */
    public static List<Setting> settings(Config c) {
        Parameterization ntk = Parameterization.ntk(1.0, 1.0);
        Parameterization smallInit = LazyScaling.withInputInitStd(ntk, new Scale(1.0, 0.0, 0.5)); // s_W = 1/sqrt(d)
        List<Setting> settings = new ArrayList<>();
        for (double eta : c.etas()) {
            settings.add(new Setting(0, "eta = " + eta, eta, ntk, c.activation(),
                    new GradientDescent.Config(eta, 0.0, 0, 0L), c.steps()));
        }
        for (double eta : c.fixedTime() ? c.etas() : new double[0]) {
            long steps = Math.round(c.steps() * c.baseEta() / eta);
            settings.add(new Setting(1, "eta = " + eta + " (T fixed)", eta, ntk, c.activation(),
                    new GradientDescent.Config(eta, 0.0, 0, 0L), steps));
        }
        for (double mu : c.momenta()) {
            settings.add(new Setting(2, "mu = " + mu, mu, ntk, c.activation(),
                    new GradientDescent.Config(c.baseEta(), mu, 0, 0L), c.steps()));
        }
        settings.add(new Setting(3, "w ~ N(0, I)", 1.0, ntk, c.initActivation(),
                new GradientDescent.Config(c.baseEta(), 0.0, 0, 0L), c.steps()));
        settings.add(new Setting(3, "w ~ N(0, I/d)", 1.0 / Math.sqrt(c.task().d()), smallInit, c.initActivation(),
                new GradientDescent.Config(c.baseEta(), 0.0, 0, 0L), c.steps()));
        return settings;
    }

    /** The run of setting {@code s} from initialisation {@code i} (common to every setting). */
    public static LazyRun.Config runConfig(Config c, Setting s, int i) {
        return new LazyRun.Config(c.task(), c.seed(), s.p(), s.activation(), c.m(), LazyRun.Init.PRESET,
                LazyWidthSweep.initSeed(c.seed(), c.m(), i), s.optimizer(), s.steps(), c.observations(), true, false);
    }

    /** Runs every setting on {@code threads} threads (the result does not depend on the thread count). */
    public static Result run(Config c, int threads) {
        List<Setting> settings = settings(c);
        List<LazyRun.Config> configs = new ArrayList<>();
        for (Setting s : settings) {
            for (int i = 0; i < c.inits(); i++) {
                configs.add(runConfig(c, s, i));
            }
        }
        List<LazyRun.Result> results = LazyRun.runAll(configs, threads);
        List<List<Point>> groups = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (int k = 0; k < settings.size(); k++) {
            Setting s = settings.get(k);
            List<LazyRun.Result> runs = results.subList(k * c.inits(), (k + 1) * c.inits());
            double[] gaps = new double[runs.size()];
            double logGap = 0, logRd = 0;
            for (int i = 0; i < gaps.length; i++) {
                gaps[i] = runs.get(i).finalGap();
                logGap += Math.log(gaps[i]);
                logRd += Math.log(runs.get(i).finalRdW());
            }
            groups.get(s.group()).add(new Point(s.label(), s.value(), Math.exp(logGap / gaps.length),
                    Math.exp(logRd / gaps.length), gaps, runs));
        }
        return new Result(c, groups.get(0), groups.get(1), groups.get(2), groups.get(3));
    }

    /**
     * One compared setting.
     *
     * @param group      0 step sizes, 1 step sizes at the fixed time, 2 momenta, 3 initial scales
     * @param label      e.g. "eta = 2"
     * @param value      the swept value (eta, mu, or the init std s_W)
     * @param p          the parameterisation
     * @param activation sigma
     * @param optimizer  gradient descent
     * @param steps      the number of steps
     */
    public record Setting(int group, String label, double value, Parameterization p, Activation activation,
                          GradientDescent.Config optimizer, long steps) {
    }
}
