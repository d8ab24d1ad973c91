package twolayer.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import twolayer.data.Dataset;
import twolayer.dynamics.Dynamics;
import twolayer.dynamics.GradientDescent;
import twolayer.dynamics.GradientFlow;
import twolayer.dynamics.MeanFieldLangevin;
import twolayer.dynamics.TrainingObserver;
import twolayer.dynamics.TrainingProblem;
import twolayer.dynamics.TrainingState;
import twolayer.dynamics.TwoTimescale;
import twolayer.kernel.IntrinsicKernel;
import twolayer.measure.CertifiedBounds;
import twolayer.measure.GibbsCertificate;
import twolayer.measure.TrainingHistory;
import twolayer.model.Activation;
import twolayer.model.Group;
import twolayer.model.Loss;
import twolayer.model.Parallelism;
import twolayer.model.Parameterization;
import twolayer.model.TwoLayerNet;

/**
 * One training run from start to end: a data set, a freshly initialised net, one dynamics, and the
 * {@link TrainingHistory} (loss and relative weight change RD_g per group) at evenly spaced times.
 *
 * <p>Time is gradient-flow time t throughout: a gradient-descent run of k steps at step size eta ends at
 * t = k eta. The observation schedule with N observations:
 * <ul>
 *   <li>gradient flow to time T: t_j = j T / N, j = 0..N, so N + 1 rows;</li>
 *   <li>gradient descent or MFLD of k steps: after step s_j = floor(j k / N), j = 0..N, at t_j = s_j eta; repeated
 *       steps are observed once, so there are min(N, k) + 1 rows (every step when N >= k).</li>
 * </ul>
 * The first row is always the initialisation (t = 0) and the last always the end of the run.
 *
 * <p>An MFLD run ({@link Langevin}) also records at each observation the regularised energy of the particles
 * and, where {@link #certificateAbsence} finds that {@link GibbsCertificate} applies, its bounds on the optimal
 * free energy F* (see {@link Energy}). A two-timescale run ({@link TwoTimescales}) records its objective without
 * entropy and the alignment and degrees of freedom of the intrinsic kernel (see {@link TwoTimescaleRecord}).
 */
public final class TrainingRun {

    /** How the net is trained. */
    public sealed interface Schedule permits Descent, Flow, Langevin, TwoTimescales {
    }

    /** The check every fixed-step schedule makes: a config, and a whole number of steps k >= 1. */
    private static void requireConfigAndSteps(Object config, long steps) {
        Objects.requireNonNull(config, "config");
        if (steps < 1) {
            throw new IllegalArgumentException("steps: must be >= 1, got " + steps);
        }
    }

    /**
     * Gradient descent (heavy-ball, mini-batch) for a whole number of steps.
     *
     * @param config step size, momentum, batch size, mini-batch seed
     * @param steps  number of steps k (>= 1); the run ends at t = k eta
     */
    public record Descent(GradientDescent.Config config, long steps) implements Schedule {
        public Descent {
            requireConfigAndSteps(config, steps);
        }

        /** The final time k eta. */
        public double time() {
            return steps * config.eta();
        }
    }

    /**
     * Gradient flow, integrated with error control to time T.
     *
     * @param config tolerances of the adaptive integrator
     * @param time   the final time T (finite, > 0)
     */
    public record Flow(GradientFlow.Config config, double time) implements Schedule {
        public Flow {
            Objects.requireNonNull(config, "config");
            if (!(time > 0) || !Double.isFinite(time)) {
                throw new IllegalArgumentException("time: must be finite and > 0, got " + time);
            }
        }
    }

    /**
     * Mean-field Langevin dynamics ({@link MeanFieldLangevin}) for a whole number of steps; the net must have the
     * mean-field rates rho = m.
     *
     * @param config step size, entropy temperature lambda, L2 strengths lambdaA and lambdaW, noise seed
     * @param steps  number of steps k (>= 1); the run ends at t = k eta
     */
    public record Langevin(MeanFieldLangevin.Config config, long steps) implements Schedule {
        public Langevin {
            requireConfigAndSteps(config, steps);
        }

        /** The final time k eta. */
        public double time() {
            return steps * config.eta();
        }
    }

    /**
     * Two-timescale training ({@link TwoTimescale}) for a whole number of steps; the net must have the mean-field
     * multiplier and rates, no output bias, and the loss must be squared.
     *
     * @param config         step size, lambda, lambdaA (the inner ridge), lambdaW, rate ratio, noise seed
     * @param steps          number of first-layer steps k (>= 1); the run ends at t = k eta
     * @param labelNoise     half-width sigma of the label-noise procedure ({@link TwoTimescale#withLabelNoise});
     *                       0 for none
     * @param labelNoiseSeed seed of the label noise
     */
    public record TwoTimescales(TwoTimescale.Config config, long steps, double labelNoise, long labelNoiseSeed)
            implements Schedule {
        public TwoTimescales {
            requireConfigAndSteps(config, steps);
            if (!(labelNoise >= 0) || !Double.isFinite(labelNoise)) {
                throw new IllegalArgumentException("labelNoise: must be finite and >= 0, got " + labelNoise);
            }
            if (labelNoise > 0 && !config.isExact()) {
                throw new IllegalArgumentException("labelNoise: the label-noise procedure needs the exact inner solve"
                        + " (ratio infinity), got ratio " + config.ratio());
            }
        }

        /** Without label noise. */
        public TwoTimescales(TwoTimescale.Config config, long steps) {
            this(config, steps, 0.0, 0L);
        }

        /** The final time k eta. */
        public double time() {
            return steps * config.eta();
        }
    }

    /**
     * A two-timescale run at one observation (Takakura and Suzuki 2024): the intrinsic kernel K_mu of its particles,
     * with its kernel-target alignment y^T K y / (||K||_F ||y||^2) and its degrees of freedom
     * tr(K (K + n lambdaA I)^-1) ({@link IntrinsicKernel}), and, at a finite rate ratio, the joint objective
     * J(a, mu) = L + (lambdaA/2) E a^2 + (lambdaW/2) E ||w||^2 of the actual second layer, which is at least
     * G(mu) - lambda Ent(mu) (NaN with the exact inner solve, where the two are equal).
     */
    public record TwoTimescaleRecord(double time, double alignment, double degreesOfFreedom, double jointEnergy) {
    }

    /**
     * The free-energy record of an MFLD run at one observation (Nitanda, Wu, Suzuki 2022; Chizat 2022):
     * <pre>
     *   energy = F0(mu) = L + (lambdaA/2) (1/m) sum_j a_j^2 + (lambdaW/2) (1/m) sum_j (||w_j||^2 + b_j^2)
     *   lower  &lt;= F* = min F,   F = F0 + lambda Ent       (the certificate's lower bound)
     *   upper  = F(p_mu) &gt;= F*                          (the free energy of the proximal Gibbs measure)
     * </pre>
     * F(mu) of the particles' empirical measure itself is infinite (Ent of a sum of Diracs), so it is not a column;
     * upper - lower bounds both F(p_mu) - F* and F* - lower. lower and upper are NaN where the certificate does
     * not apply, and at an observation whose loss is so large that the certificate's grid would exceed
     * {@link #MAX_GRID_POINTS} nodes (a run on its way to diverging).
     */
    public record Energy(double time, double energy, double lower, double upper) {
        /** The certified gap upper - lower (NaN without a certificate). */
        public double gap() {
            return upper - lower;
        }
    }

    /**
     * @param data             the training set
     * @param m                width (>= 1)
     * @param activation       sigma
     * @param parameterization multipliers, initial scales and rates
     * @param initSeed         seed of the initialisation theta_0
     * @param loss             the per-sample loss
     * @param schedule         the dynamics
     * @param observations     N, the number of observation intervals (>= 1)
     * @param threads          worker threads (>= 1); the results do not depend on it
     */
    public record Config(Dataset data, int m, Activation activation, Parameterization parameterization, long initSeed,
                         Loss loss, Schedule schedule, int observations, int threads) {
        public Config {
            Objects.requireNonNull(data, "data");
            Objects.requireNonNull(activation, "activation");
            Objects.requireNonNull(parameterization, "parameterization");
            Objects.requireNonNull(loss, "loss");
            Objects.requireNonNull(schedule, "schedule");
            if (m < 1) {
                throw new IllegalArgumentException("m: width must be >= 1, got " + m);
            }
            if (observations < 1) {
                throw new IllegalArgumentException("observations: must be >= 1, got " + observations);
            }
            if (threads < 1) {
                throw new IllegalArgumentException("threads: must be >= 1, got " + threads);
            }
        }
    }

    /**
     * @param rows        the observations, oldest first
     * @param groups      the parameter groups the net has (the RD columns)
     * @param finalLoss   L at the end of the run
     * @param finalTime   t at the end of the run
     * @param steps       steps taken (gradient descent, MFLD) or accepted integrator steps (gradient flow)
     * @param energies    MFLD only: the free-energy record at each observation, in step with {@code rows};
     *                    empty for the other dynamics
     *                    (two-timescale: the objective without entropy, with NaN bounds)
     * @param certified   whether the certificate applies to the run ({@link #certificateAbsence} is empty), so
     *                    that the energies carry its bounds
     * @param kernels     two-timescale only: the intrinsic kernel's alignment and df at each observation; empty
     *                    for the other dynamics
     */
    public record Result(List<TrainingHistory.Row> rows, List<Group> groups, double finalLoss, double finalTime,
                         long steps, List<Energy> energies, boolean certified, List<TwoTimescaleRecord> kernels) {
        public Result {
            rows = List.copyOf(rows);
            groups = List.copyOf(groups);
            energies = List.copyOf(energies);
            kernels = List.copyOf(kernels);
            if (!energies.isEmpty() && energies.size() != rows.size()) {
                throw new IllegalArgumentException("energies: expected one per row (" + rows.size() + "), got "
                        + energies.size());
            }
            if (!kernels.isEmpty() && kernels.size() != rows.size()) {
                throw new IllegalArgumentException("kernels: expected one per row (" + rows.size() + "), got "
                        + kernels.size());
            }
        }

        /** A result without a free-energy record. */
        public Result(List<TrainingHistory.Row> rows, List<Group> groups, double finalLoss, double finalTime,
                      long steps) {
            this(rows, groups, finalLoss, finalTime, steps, List.of(), false, List.of());
        }
    }

    /**
     * sup sigma'^2 + sup |sigma| sup |sigma''| over the certificate's bounded activations: tanh 1 + 4/(3 sqrt 3)
     * = 1.77, erf 4/pi + 4/sqrt(2 e pi) = 2.24, sigmoid 1/16 + 1/(6 sqrt 3) = 0.16; the largest, rounded up.
     */
    private static final double CURVATURE_CONSTANT = 2.25;

    /** Grid nodes per smallest length scale of the certificate's integrands (see {@link #certificate}). */
    private static final double NODES_PER_SCALE = 10.0;

    /**
     * The certificate's grid is refused beyond this many nodes (about 1 s per observation at n = 100); it
     * grows like sqrt(L/lambda), so only a run with a very small lambda or a huge loss gets there.
     */
    public static final long MAX_GRID_POINTS = 1_000_001;

    private TrainingRun() {
    }

    /** The observation times of the schedule (see the class comment). */
    public static double[] observationTimes(Schedule schedule, int observations) {
        if (schedule instanceof Flow flow) {
            double[] times = new double[observations + 1];
            for (int j = 0; j <= observations; j++) {
                times[j] = flow.time() * j / observations;
            }
            return times;
        }
        long k;
        double eta;
        if (schedule instanceof Descent descent) {
            k = descent.steps();
            eta = descent.config().eta();
        } else if (schedule instanceof Langevin langevin) {
            k = langevin.steps();
            eta = langevin.config().eta();
        } else {
            TwoTimescales tt = (TwoTimescales) schedule;
            k = tt.steps();
            eta = tt.config().eta();
        }
        List<Double> times = new ArrayList<>();
        long previous = -1;
        for (int j = 0; j <= observations; j++) {
            long step = Math.multiplyExact(j, k) / observations;
            if (step != previous) {
                times.add(step * eta);
                previous = step;
            }
        }
        return times.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /**
     * Initialises the net, trains it and records the history.
     *
     * @param progress also told of every observation (e.g. a progress bar); {@link TrainingObserver#none()} for none
     * @throws twolayer.dynamics.DivergenceException when the loss stops being finite
     */
    public static Result run(Config c, TrainingObserver progress) {
        // Initialise theta_0 and pose the problem L(theta) on the training set
        Dataset data = c.data();
        TwoLayerNet net = TwoLayerNet.initialize(data.d(), c.m(), c.activation(), c.parameterization(), c.initSeed());
        TrainingProblem problem = new TrainingProblem(net, data, c.loss(), new Parallelism(c.threads()));

        // Train, observing L and RD_g (and for MFLD the free energy) at the scheduled times
        Dynamics dynamics;
        if (c.schedule() instanceof Descent gd) {
            dynamics = new GradientDescent(problem, gd.config());
        } else if (c.schedule() instanceof Langevin mfld) {
            dynamics = new MeanFieldLangevin(problem, mfld.config());
        } else if (c.schedule() instanceof TwoTimescales tt) {
            TwoTimescale twoTimescale = new TwoTimescale(problem, tt.config());
            dynamics = tt.labelNoise() > 0 ? twoTimescale.withLabelNoise(tt.labelNoise(), tt.labelNoiseSeed())
                    : twoTimescale;
        } else {
            dynamics = new GradientFlow(problem, ((Flow) c.schedule()).config());
        }
        TrainingHistory history = new TrainingHistory(net);
        List<Energy> energies = new ArrayList<>();
        TrainingObserver observers = history;
        List<TwoTimescaleRecord> kernels = new ArrayList<>();
        if (c.schedule() instanceof Langevin mfld) {
            observers = observers.andThen(energyRecorder(net, c, mfld.config(), energies));
        }
        if (dynamics instanceof TwoTimescale tt) {
            observers = observers.andThen(kernelRecorder(tt, data.y(), energies, kernels));
        }
        dynamics.run(observationTimes(c.schedule(), c.observations()), observers.andThen(progress));
        List<TrainingHistory.Row> rows = history.rows();
        TrainingHistory.Row last = rows.get(rows.size() - 1);
        boolean certified = c.schedule() instanceof Langevin && certificateAbsence(c).isEmpty();
        return new Result(rows, history.groups(), last.loss(), last.time(), dynamics.steps(), energies, certified,
                kernels);
    }

    /**
     * Records, at each observation of a two-timescale run, its objective without entropy
     * ({@link TwoTimescale#energy()}: G0(mu) + (lambdaW/2) E_mu ||w||^2; and the joint J(a, mu) at a finite ratio)
     * and the alignment and df of the current particles' intrinsic kernel (one Gram and one Cholesky of the
     * size the step itself factorises, so an observation costs about one step).
     */
    private static TrainingObserver kernelRecorder(TwoTimescale tt, double[] y, List<Energy> energies,
                                                   List<TwoTimescaleRecord> into) {
        return state -> {
            energies.add(new Energy(state.time(), tt.energy(), Double.NaN, Double.NaN));
            IntrinsicKernel k = tt.kernel();
            double alignment;
            try {
                alignment = k.alignment(y);
            } catch (IllegalArgumentException e) {
                alignment = Double.NaN; // y = 0 or K = 0: the alignment is undefined
            }
            double joint = tt.config().isExact() ? Double.NaN : tt.jointEnergy();
            into.add(new TwoTimescaleRecord(state.time(), alignment, k.degreesOfFreedom(tt.config().lambdaA()),
                    joint));
        };
    }

    /**
     * Why {@link GibbsCertificate} does not apply to an MFLD run, or empty when it does. Its domain: the squared
     * loss, inputs of dimension d = 1 and particles (a, w) of a mean-field net without biases (so that the
     * Gibbs measure's integrals are one-dimensional quadratures), lambda, lambdaA, lambdaW > 0 (the Gibbs measure
     * is Gaussian in a with variance lambda/lambdaA, and lambdaW makes its w-marginal normalisable), and a bounded
     * activation (tanh, erf, sigmoid): with relu or softplus g(w) = (1/n) sum_i r_i sigma(w x_i) grows like |w|,
     * so exp(-Phi/lambda) need not be integrable and no finite grid bounds its tails.
     */
    public static java.util.Optional<String> certificateAbsence(Config c) {
        if (!(c.schedule() instanceof Langevin mfld)) {
            return java.util.Optional.of("the certificate is for mean-field Langevin dynamics only");
        }
        List<String> why = new ArrayList<>();
        if (c.loss() != Loss.SQUARED) {
            why.add("it is derived for the squared loss, not " + c.loss().name().toLowerCase(java.util.Locale.ROOT));
        }
        if (c.data().d() != 1) {
            why.add("its quadrature integrates over a scalar input weight w, so it needs d = 1 (got d = "
                    + c.data().d() + ")");
        }
        if (c.activation() != Activation.TANH && c.activation() != Activation.ERF
                && c.activation() != Activation.SIGMOID) {
            why.add("it needs a bounded activation (tanh, erf, sigmoid): with "
                    + c.activation().name().toLowerCase(java.util.Locale.ROOT)
                    + " g(w) grows like |w| and the Gibbs measure exp(-Phi/lambda) need not be integrable");
        }
        MeanFieldLangevin.Config m = mfld.config();
        if (!(m.lambda() > 0 && m.lambdaA() > 0 && m.lambdaW() > 0)) {
            why.add("it needs lambda, lambdaA, lambdaW > 0 (got " + m.lambda() + ", " + m.lambdaA() + ", "
                    + m.lambdaW() + "): the Gibbs measure has variance lambda/lambdaA in a, and lambdaW makes it"
                    + " normalisable in w");
        }
        Parameterization p = c.parameterization();
        if (p.hiddenBias() || p.outputBias() || !p.name().equals("meanField")) {
            why.add("it needs the mean-field net f = (1/m) sum_j a_j sigma(w_j x) without biases (got "
                    + p.name() + ")");
        }
        return why.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(String.join("; ", why));
    }

    /** Records the {@link Energy} at each observation of an MFLD run. */
    private static TrainingObserver energyRecorder(TwoLayerNet net, Config c, MeanFieldLangevin.Config mfld,
                                                   List<Energy> into) {
        boolean certified = certificateAbsence(c).isEmpty();
        return state -> {
            double energy = regularisedEnergy(net, state, mfld);
            GibbsCertificate certificate = certified ? certificate(net, c.data(), mfld, state.loss()) : null;
            if (certificate == null) {
                into.add(new Energy(state.time(), energy, Double.NaN, Double.NaN));
                return;
            }
            CertifiedBounds b = certificate.certify(state.time(), state.theta(), net.width());
            into.add(new Energy(state.time(), energy, b.lower(), b.upper()));
        };
    }

    /** F0 = L + (lambdaA/2) (1/m) sum_j a_j^2 + (lambdaW/2) (1/m) sum_j (||w_j||^2 + b_j^2): MFLD's prior. */
    static double regularisedEnergy(TwoLayerNet net, TrainingState state, MeanFieldLangevin.Config c) {
        double[] theta = state.theta();
        double sumA2 = squares(net, theta, Group.A), sumW2 = squares(net, theta, Group.W)
                + squares(net, theta, Group.B);
        int m = net.width();
        return state.loss() + c.lambdaA() / 2 * sumA2 / m + c.lambdaW() / 2 * sumW2 / m;
    }

    private static double squares(TwoLayerNet net, double[] theta, Group g) {
        double s = 0.0;
        for (int k = net.offset(g), end = k + net.count(g); k < end; k++) {
            s += theta[k] * theta[k];
        }
        return s;
    }

    // tag::experiment-certificate-grid[]
    /**
     * The certificate of a state with loss L on a grid chosen from L, or null if that grid would
     * have more than {@link #MAX_GRID_POINTS} nodes.
     */
    static GibbsCertificate certificate(TwoLayerNet net, Dataset data, MeanFieldLangevin.Config c,
                                        double loss) {
        double lambda = c.lambda(), lambdaA = c.lambdaA(), lambdaW = c.lambdaW();
        double xMax = 0.0;
        for (double xi : data.x()) {
            xMax = Math.max(xMax, Math.abs(xi));
        }
        // The Gibbs marginal is log p(w) = g(w)^2/(2 lambda lambdaA) - lambdaW w^2/(2 lambda) + C
        // with g(w) = (1/n) sum_i r_i sigma(w x_i), and |g| <= sqrt(2L) for |sigma| <= 1.
        // Half-width: log p(0) >= C and log p(wMax) <= L/(lambda lambdaA)
        // - lambdaW wMax^2/(2 lambda) + C, so this wMax puts the ends at least drop below the peak
        double drop = GibbsCertificate.EDGE_DROP + 4;
        double wMax = Math.sqrt((2 * lambda * drop + 2 * loss / lambdaA) / lambdaW);
        // Spacing: |(log p)''| <= lambdaW/lambda + (g'^2 + |g g''|)/(lambda lambdaA) <= kappa,
        // and the features sigma(w x_i) vary on the scale 1/xMax: a tenth of the smaller scale
        double kappa = lambdaW / lambda
                + CURVATURE_CONSTANT * 2 * loss * xMax * xMax / (lambda * lambdaA);
        double scale = 1 / Math.sqrt(kappa);
        if (xMax > 0) {
            scale = Math.min(scale, 1 / xMax);
        }
        double half = Math.ceil(wMax / (scale / NODES_PER_SCALE));
        if (!(2 * half + 1 <= MAX_GRID_POINTS)) {
            return null;
        }
        int points = (int) Math.max(101, 2 * half + 1);
        return GibbsCertificate.forNet(net, data, lambda, lambdaA, lambdaW, wMax, points);
    }
    // end::experiment-certificate-grid[]

    /**
     * The history as CSV: the header {@code time,step,loss,rd_a,rd_w[,rd_b,rd_c]} (one RD column per group the
     * net has), then one line per observation. Numbers are written with {@link Double#toString(double)}, which
     * parses back to the same double; RD_g is NaN when theta_g(0) = 0. An MFLD run adds the column {@code energy}
     * and, where the certificate applies ({@link Result#certified()}), {@code f_star_lower,f_star_upper,gap}
     * ({@link Energy}); a two-timescale run adds {@code energy,alignment,df} and at a finite ratio
     * {@code joint_energy} ({@link TwoTimescaleRecord}).
     */
    public static String historyCsv(Result r) {
        boolean energy = !r.energies().isEmpty();
        boolean certified = energy && r.certified();
        StringBuilder out = new StringBuilder("time,step,loss");
        for (Group g : r.groups()) {
            out.append(",rd_").append(g.symbol());
        }
        if (energy) {
            out.append(",energy");
        }
        if (certified) {
            out.append(",f_star_lower,f_star_upper,gap");
        }
        boolean kernel = !r.kernels().isEmpty();
        boolean joint = kernel && !Double.isNaN(r.kernels().get(0).jointEnergy());
        if (kernel) {
            out.append(",alignment,df");
        }
        if (joint) {
            out.append(",joint_energy");
        }
        out.append('\n');
        for (int j = 0; j < r.rows().size(); j++) {
            TrainingHistory.Row row = r.rows().get(j);
            out.append(Double.toString(row.time())).append(',').append(row.step()).append(',')
                    .append(Double.toString(row.loss()));
            for (Group g : r.groups()) {
                out.append(',').append(Double.toString(row.weightChange().get(g)));
            }
            if (energy) {
                Energy e = r.energies().get(j);
                out.append(',').append(Double.toString(e.energy()));
                if (certified) {
                    out.append(',').append(Double.toString(e.lower())).append(',').append(Double.toString(e.upper()))
                            .append(',').append(Double.toString(e.gap()));
                }
            }
            if (kernel) {
                TwoTimescaleRecord k = r.kernels().get(j);
                out.append(',').append(Double.toString(k.alignment())).append(',')
                        .append(Double.toString(k.degreesOfFreedom()));
                if (joint) {
                    out.append(',').append(Double.toString(k.jointEnergy()));
                }
            }
            out.append('\n');
        }
        return out.toString();
    }
}
