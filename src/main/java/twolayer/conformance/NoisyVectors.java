package twolayer.conformance;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import twolayer.conformance.ConformanceVectors.InputSet;
import twolayer.data.Dataset;
import twolayer.dynamics.MeanFieldLangevin;
import twolayer.dynamics.TrainingProblem;
import twolayer.dynamics.TrainingState;
import twolayer.dynamics.TwoTimescale;
import twolayer.kernel.IntrinsicKernel;
import twolayer.model.Activation;
import twolayer.model.Group;
import twolayer.model.Loss;
import twolayer.model.Parallelism;
import twolayer.model.Parameterization;
import twolayer.model.TwoLayerNet;
import twolayer.run.FreeEnergyRecorder;

/**
 * The conformance vectors of the noisy dynamics: mean-field Langevin dynamics ({@value #MFLD}) and two-timescale
 * training ({@value #TWO_TIMESCALE}), each run fed the Gaussian increments xi written in its case (and a
 * two-timescale case with the label-noise procedure its eps), in the draw order of the baseline chapter, section
 * "Exporting and replaying a run", so another implementation can reproduce it step for step without matching a
 * random generator. Each stream of a case has its own seed, and the initialisation search skips them. The tolerance is gradient descent's rule (K G delta, see
 * {@code DynamicsVectors}), with the same noise in the perturbed run; for two-timescale training delta carries the
 * condition number of the inner ridge system (see the baseline chapter, section "Conformance vectors").
 */
final class NoisyVectors {

    static final String MFLD = "mfld.json";
    static final String TWO_TIMESCALE = "two-timescale.json";

    private static final double EPS = Math.ulp(1.0);
    /** The shape of every noisy case: n points in d dimensions, m neurons. */
    static final int N = 6, D = 2, M = 8;
    /** The steps of every run, and those at which the state is written. */
    static final int STEPS = 16;
    static final int[] SNAPSHOTS = {0, 1, 2, 4, 8, 16};

    private NoisyVectors() {
    }

    /** The two documents, file name to JSON text. */
    static void generate(String version, Map<String, String> files) {
        files.put(MFLD, ConformanceJson.write(mfld(version)));
        files.put(TWO_TIMESCALE, ConformanceJson.write(twoTimescale(version)));
    }

    static InputSet inputs() {
        return ConformanceVectors.gaussian("x", 20240721L, N, D, "");
    }

    static double[] targets() {
        return DynamicsVectors.squaredTargets(N, 20240722L);
    }

    /**
     * A Gaussian source that hands out given increments in order: nextGaussian() is the only draw the dynamics
     * may make, so a draw outside the documented order (or one too many) fails loudly.
     */
    static final class Replay implements RandomGenerator {
        private final double[] xi;
        private int next;

        Replay(double[] xi) {
            this.xi = xi;
        }

        @Override
        public double nextGaussian() {
            if (next == xi.length) {
                throw new IllegalStateException("noise: the run drew more than the " + xi.length + " increments given");
            }
            return xi[next++];
        }

        @Override
        public long nextLong() {
            throw new UnsupportedOperationException("noise: only nextGaussian() is replayed");
        }

        int used() {
            return next;
        }
    }

    /** K rows of P standard Gaussian increments from seed. */
    static double[] increments(long seed, int count) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] xi = new double[count];
        for (int i = 0; i < count; i++) {
            xi[i] = rng.nextGaussian();
        }
        return xi;
    }

    /** A copy of theta moved by 1e-8 max(1, max|theta|) with random signs: the probe of the growth G. */
    static double[] perturbed(double[] theta, double h) {
        SplittableRandom signs = new SplittableRandom(42);
        double[] moved = theta.clone();
        for (int k = 0; k < moved.length; k++) {
            moved[k] += signs.nextBoolean() ? h : -h;
        }
        return moved;
    }

    static boolean isSnapshot(int k) {
        return Arrays.stream(SNAPSHOTS).anyMatch(s -> s == k);
    }

    static Map<String, Object> conventions(String version, String tolerance) {
        Map<String, Object> conv = DynamicsVectors.conventions(version, tolerance);
        conv.put("noise", "xi is given in the case as `steps` rows of P standard Gaussian increments, row k for step k "
                + "(0-based), in the order of theta: MFLD a_1..a_m, then w row-major (w_11..w_1d, w_21, ...), then "
                + "b_1..b_m, P = m + md (+ m); two-timescale w row-major, then b, P = md (+ m). The reference run reads "
                + "exactly these numbers, in this order (twolayer's baseline chapter, section \"Exporting and "
                + "replaying a run\": the layout of noise.npy)");
        return conv;
    }

    // ------------------------------------------------------------------------------------------ MFLD

    /** One MFLD case: activation, biases (hidden, output), step, temperature and the two L2 strengths. */
    record MfldCase(String id, Activation sigma, boolean hiddenBias, boolean outputBias, double eta, double lambda,
                    double lambdaA, double lambdaW) {
        Parameterization parameterization() {
            return Parameterization.meanField().withBiases(hiddenBias, outputBias);
        }

        String factory() {
            return "Parameterization.meanField().withBiases(" + hiddenBias + ", " + outputBias + ")";
        }
    }

    static final List<MfldCase> MFLD_CASES = List.of(
        new MfldCase("tanh/no-bias", Activation.TANH, false, false, 0.05, 0.05, 0.2, 0.2),
        new MfldCase("tanh/hidden-bias", Activation.TANH, true, false, 0.05, 0.05, 0.2, 0.2),
        new MfldCase("relu/hidden-and-output-bias", Activation.RELU, true, true, 0.05, 0.02, 0.1, 0.3),
        new MfldCase("erf/no-bias/hot", Activation.ERF, false, false, 0.1, 0.5, 0.5, 0.1));

    static final String MFLD_STEP = "mean-field Langevin dynamics (twolayer.dynamics.MeanFieldLangevin), one "
            + "Euler-Maruyama step per k = 0..steps-1: with the full-batch gradient grad L(theta) at the current "
            + "theta, theta_g <- theta_g + (-eta rho_g grad_g L - eta lambda_g theta_g + sqrt(2 eta lambda) xi_k,g) "
            + "for the particle coordinates g in {a, w, b} (lambda_g = lambdaA on a, lambdaW on w and b; rho_g = m, "
            + "the mean-field rate), and c <- c - eta rho_c grad_c L for the output bias (no prior, no noise); time "
            + "t = eta k. energy is F0 = L + (lambdaA/2) (1/m) sum_j a_j^2 + (lambdaW/2) (1/m) sum_j (|w_j|^2 + "
            + "b_j^2), the finite part of the free energy (twolayer.run.FreeEnergyRecorder.regularisedEnergy)";

    // tag::conformance-noisy-tolerance[]
    static final String MFLD_TOLERANCE = "at every snapshot: max |theta_impl - theta| <= tolerance * max(1, "
            + "max|theta|), max |f_impl - f| <= tolerance * max(1, max|f|), |L_impl - L| <= tolerance * max(1, L), "
            + "|F0_impl - F0| <= tolerance * max(1, F0). The rule of gd-trajectories.json: the noise is given, so "
            + "each step is a deterministic map of theta whose own rounding is delta = 10 terms eps (1 + 2 zmax^2) "
            + "relative (the added sqrt(2 eta lambda) xi is one more rounded term), and the step map carries earlier "
            + "errors forward, multiplying them by at most the growth G of a perturbation; after K steps the error "
            + "is at most K G delta. growth is G measured: the run repeated from theta0 + 1e-8 max(1, max|theta0|) "
            + "u (u of random signs) with the same xi, the largest distance of the two runs (parameters and "
            + "outputs) over the initial one. The noise does not loosen this: two implementations fed the same xi "
            + "differ only by rounding. tolerance = K G delta, rounded up to one digit, at least 1e-12; a wrong "
            + "noise scale (sqrt(eta lambda)), a missing prior or a wrong draw order is off by O(sqrt(eta lambda))";
    // end::conformance-noisy-tolerance[]

    static Map<String, Object> mfld(String version) {
        InputSet x = inputs();
        double[] y = targets();
        Dataset data = new Dataset(x.x(), y, N, D);
        List<Map<String, Object>> cases = new ArrayList<>();
        long seed = 31_000;
        for (MfldCase s : MFLD_CASES) {
            cases.add(mfldCase(s, data, seed));
            seed += 10_000;
        }
        Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put("x", x.rows());
        inputs.put("y_squared", y);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("title", "twolayer conformance vectors: mean-field Langevin dynamics fed given Gaussian increments");
        doc.put("format", "twolayer-mfld/1");
        Map<String, Object> conv = conventions(version, MFLD_TOLERANCE);
        conv.put("mfld", MFLD_STEP);
        conv.put("cases", "each case starts at theta0, takes `steps` steps with the case's eta, lambda, lambdaA, "
                + "lambdaW and xi, and lists at each snapshot the step k, the time t = eta k, the parameters, the "
                + "outputs on x, the loss on the training set and the energy F0");
        doc.put("conventions", conv);
        doc.put("inputs", inputs);
        doc.put("cases", cases);
        return doc;
    }

    /** The states after 0..STEPS MFLD steps from theta0 fed xi; checks that every increment was drawn. */
    static List<double[]> runMfld(TrainingProblem problem, MeanFieldLangevin.Config config, double[] theta0,
                                  double[] xi) {
        Replay noise = new Replay(xi);
        MeanFieldLangevin mfld = new MeanFieldLangevin(problem, config, theta0, noise);
        List<double[]> run = new ArrayList<>();
        run.add(mfld.parameters());
        for (int k = 0; k < STEPS; k++) {
            mfld.step();
            run.add(mfld.parameters());
        }
        if (noise.used() != xi.length) {
            throw new IllegalStateException("noise: the run drew " + noise.used() + " of " + xi.length);
        }
        return run;
    }

    static Map<String, Object> mfldCase(MfldCase s, Dataset data, long seed) {
        MeanFieldLangevin.Config config = new MeanFieldLangevin.Config(s.eta(), s.lambda(), s.lambdaA(), s.lambdaW(),
                0L);
        // relu: the first draw (net and noise) whose run keeps its pre-activations RELU_MARGIN / 10 from the kink
        for (long draw = seed; draw < seed + 1000; draw++) {
            // the attempt's increments come from seed draw + 1, which its initialisation search must not use
            TwoLayerNet net = DynamicsVectors.draw(D, M, s.sigma(), s.parameterization(), draw, data.x(), N, draw + 1);
            TrainingProblem problem = new TrainingProblem(net, data, Loss.SQUARED, Parallelism.sequential());
            int p = net.count(Group.A) + net.count(Group.W) + net.count(Group.B);
            double[] xi = increments(draw + 1, STEPS * p);
            double[] theta0 = net.initialParameters();
            List<double[]> run = runMfld(problem, config, theta0, xi);
            double margin = Double.POSITIVE_INFINITY;
            for (double[] theta : run) {
                margin = Math.min(margin, DynamicsVectors.Point.of(net, theta, data.x(), N).zMinAbs());
            }
            if (s.sigma() == Activation.RELU && margin < DynamicsVectors.RELU_MARGIN / 10) {
                continue;
            }
            double h = 1e-8 * Math.max(1, DynamicsVectors.maxAbs(theta0));
            List<double[]> other = runMfld(problem, config, perturbed(theta0, h), xi);
            double growth = 1, zMax = 0, fMax = 0, eMax = 0;
            double[] f = new double[N], fOther = new double[N];
            List<Map<String, Object>> snapshots = new ArrayList<>();
            for (int k = 0; k <= STEPS; k++) {
                double[] theta = run.get(k);
                problem.outputs(theta, problem.batch(), f);
                problem.outputs(other.get(k), problem.batch(), fOther);
                growth = Math.max(growth, Math.max(DynamicsVectors.maxDiff(theta, other.get(k)),
                        DynamicsVectors.maxDiff(f, fOther)) / h);
                zMax = Math.max(zMax, DynamicsVectors.Point.of(net, theta, data.x(), N).zMax());
                fMax = Math.max(fMax, DynamicsVectors.maxAbs(f));
                double loss = problem.loss(theta);
                double energy = FreeEnergyRecorder.regularisedEnergy(net,
                        new TrainingState(k * s.eta(), k, loss, theta), config);
                eMax = Math.max(eMax, energy);
                if (isSnapshot(k)) {
                    Map<String, Object> at = new LinkedHashMap<>();
                    at.put("step", k);
                    at.put("time", k * s.eta());
                    at.put("theta", DynamicsVectors.groups(net, theta));
                    at.put("outputs", f.clone());
                    at.put("loss", loss);
                    at.put("energy", energy);
                    snapshots.add(at);
                }
            }
            int terms = M + N + 2 * D + 8;
            double delta = 10 * terms * EPS * (1 + 2 * Math.pow(Math.max(zMax, fMax), 2));
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("id", s.id());
            c.put("description", "MFLD at eta = " + s.eta() + ", lambda = " + s.lambda() + ", lambdaA = "
                    + s.lambdaA() + ", lambdaW = " + s.lambdaW());
            DynamicsVectors.putNet(c, "meanField", s.hiddenBias() || s.outputBias(), net);
            c.put("factory", s.factory());
            c.put("hidden_bias", s.hiddenBias());
            c.put("output_bias", s.outputBias());
            c.put("loss", "squared");
            c.put("y", "y_squared");
            c.put("eta", s.eta());
            c.put("lambda", s.lambda());
            c.put("lambdaA", s.lambdaA());
            c.put("lambdaW", s.lambdaW());
            c.put("steps", STEPS);
            c.put("theta0", DynamicsVectors.groups(net, theta0));
            c.put("xi", ConformanceVectors.rows(xi, STEPS, p));
            if (s.sigma() == Activation.RELU) {
                c.put("min_abs_preactivation", margin);
            }
            c.put("zmax", zMax);
            growth = DynamicsVectors.upTwoDigits(growth);
            c.put("growth", growth);
            c.put("tolerance", DynamicsVectors.up(STEPS * growth * delta, 1e-12));
            c.put("snapshots", snapshots);
            return c;
        }
        throw new IllegalStateException(s.id() + ": no draw keeps the relu pre-activations away from 0");
    }

    // ------------------------------------------------------------------------------------------ two-timescale

    /**
     * One two-timescale case: activation, hidden bias, step, temperature, strengths, the ratio and the half-width of
     * the label-noise procedure (0: off).
     */
    record TtCase(String id, Activation sigma, boolean hiddenBias, double eta, double lambda, double lambdaA,
                  double lambdaW, double ratio, double labelNoise) {
        Parameterization parameterization() {
            return Parameterization.meanField().withBiases(hiddenBias, false);
        }

        String factory() {
            return "Parameterization.meanField().withBiases(" + hiddenBias + ", false)";
        }
    }

    static final List<TtCase> TT_CASES = List.of(
        new TtCase("exact/tanh/hidden-bias", Activation.TANH, true, 0.1, 0.01, 0.05, 0.05, Double.POSITIVE_INFINITY, 0),
        new TtCase("exact/erf/no-bias", Activation.ERF, false, 0.1, 0.05, 0.02, 0.1, Double.POSITIVE_INFINITY, 0),
        new TtCase("ratio-20/tanh/hidden-bias", Activation.TANH, true, 0.1, 0.01, 0.05, 0.05, 20.0, 0),
        new TtCase("label-noise/tanh/hidden-bias", Activation.TANH, true, 0.1, 0.01, 0.05, 0.05,
                Double.POSITIVE_INFINITY, 0.5));

    static final String TT_STEP = "two-timescale training (twolayer.dynamics.TwoTimescale; Takakura and Suzuki 2024) "
            + "of the mean-field net without output bias, f(x) = (1/m) sum_j a_j h(x; w_j), h(x; w_j) = sigma(kW "
            + "<w_j, x> + kB b_j). Inner problem at particles mu = (1/m) sum_j delta_(w_j, b_j) and targets y: K = "
            + "(1/m) sum_j h_j h_j^T with h_j = (h(x_i; w_j))_i (n x n), alpha = (K + n lambdaA I)^-1 y, readouts "
            + "a_mu(w_j) = alpha^T h_j, G0 = (lambdaA/2) y^T alpha, energy = G0 + (lambdaW/2) (1/m) sum_j (|w_j|^2 + "
            + "b_j^2), alignment = y^T K y / (|K|_F |y|^2), df = tr(K (K + n lambdaA I)^-1). Start: with ratio inf "
            + "the a of theta0 is replaced by the readouts of theta0's particles (so the state at step 0 already has "
            + "them); with a finite ratio theta0's a is kept. Step k = 0..steps-1: with the full-batch gradient grad L "
            + "at the current theta (its current a), w and b move as theta_g <- theta_g + (-eta m grad_g L - eta "
            + "lambdaW theta_g + sqrt(2 eta lambda) xi_k,g) (no noise on a); then the inner problem is solved at the "
            + "moved particles, and a is set to its readouts (ratio inf) or (ratio r) takes s_k sub-steps a <- a - "
            + "(eta r / s_k) (m grad_a L + lambdaA a), each with the gradient at the current a, s_k = ceil(eta r "
            + "(max_i K_ii + lambdaA)) with K at the moved particles (given in the case as substeps, so that an "
            + "implementation need not match a ceiling at a rounding edge). Every state's alpha, readouts, G0, "
            + "energy, alignment and df are those of its own particles; joint_energy = (1/2n)|f - y|^2 + "
            + "(lambdaA/2)(1/m)|a|^2 + (lambdaW/2)(1/m) sum_j (|w_j|^2 + b_j^2) with the state's actual a. Label-noise "
            + "procedure (a case with label_noise sigma > 0, ratio inf; the two-timescale chapter, section \"Label noise "
            + "and the degrees of freedom\"): step k first takes the case's eps[k] (n values in [-sigma, sigma], "
            + "given, in the order of the training points), solves the same ridge system for them, alpha_eps = (K + n "
            + "lambdaA I)^-1 eps[k] with K of the particles before the move, and sets a_eps(w_j) = alpha_eps^T h_j; "
            + "the drift of w and b is then -eta m (grad_g L(theta; y) - grad_g L(theta_eps; eps[k])), where theta_eps "
            + "is theta with a replaced by a_eps and L(theta_eps; eps) = (1/2n)|f(theta_eps) - eps|^2 is the loss "
            + "against the targets eps: the particles move down the gradient of -(lambdaA/2) a_(mu,y)(w)^2 + "
            + "(lambdaA/2) a_(mu,eps)(w)^2 + (lambdaW/2)|w|^2. Everything recorded (alpha, readouts, g0, energy, "
            + "alignment, df, loss) is of the clean targets y";

    static final String TT_TOLERANCE = "at every snapshot: max |v_impl - v| <= tolerance * max(1, max|v|) for v each "
            + "of theta, outputs, alpha and readouts, and |s_impl - s| <= tolerance * max(1, |s|) for s each of loss, "
            + "g0, energy, joint_energy, alignment and df. The rule of mfld.json (K G delta, the growth G measured "
            + "with the same xi), with delta = 10 terms eps (1 + 2 zmax^2) kappa: every step solves the ridge "
            + "system K + n lambdaA I, which multiplies the rounding of its entries by up to its condition number "
            + "kappa = (lambda_max(K) + n lambdaA) / (n lambdaA) (the largest along the run, written in the case). "
            + "tolerance = K G delta, rounded up to one digit, at least 1e-12. With the label-noise procedure every "
            + "step makes a second ridge solve (for eps, with the same kappa) and a second backward pass, whose "
            + "outputs f_eps count in zmax: delta is doubled, and G is measured with the same xi and eps, so the given "
            + "eps loosen nothing; a dropped eps-term, a wrong sign on it or eps fitted with a's of y are off by "
            + "O(eta m |grad L(theta_eps; eps)|), above 1e-3 here";

    static Map<String, Object> twoTimescale(String version) {
        InputSet x = inputs();
        double[] y = targets();
        Dataset data = new Dataset(x.x(), y, N, D);
        List<Map<String, Object>> cases = new ArrayList<>();
        long seed = 71_000;   // past the MFLD cases (31_000..61_000): no two files share a theta0 or a noise path
        for (TtCase s : TT_CASES) {
            cases.add(ttCase(s, data, seed));
            seed += 10_000;
        }
        Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put("x", x.rows());
        inputs.put("y_squared", y);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("title", "twolayer conformance vectors: two-timescale training (inner ridge solved exactly, or at a "
                + "finite ratio) fed given Gaussian increments, with the intrinsic kernel's ridge solution, "
                + "alignment and degrees of freedom");
        doc.put("format", "twolayer-two-timescale/1");
        Map<String, Object> conv = conventions(version, TT_TOLERANCE);
        conv.put("two_timescale", TT_STEP);
        conv.put("cases", "each case starts at theta0, takes `steps` steps with the case's eta, lambda, lambdaA, "
                + "lambdaW, ratio (\"inf\" for the exact inner solve), xi and, with label_noise > 0, eps (one row of n "
                + "values per step), and lists at each snapshot the step k, "
                + "the time t = eta k, the parameters, the outputs on x, the loss, alpha, the readouts, g0, energy, "
                + "joint_energy, alignment and df");
        doc.put("conventions", conv);
        doc.put("inputs", inputs);
        doc.put("cases", cases);
        return doc;
    }

    /** A state of a two-timescale run with the inner problem at its particles. */
    record TtState(double[] theta, double[] alpha, double[] readouts, double g0, double energy, double jointEnergy,
                   double alignment, double df, double kappa) {
    }

    static List<TtState> runTt(TrainingProblem problem, TwoTimescale.Config config, double[] theta0, double[] xi,
                               double[] y, List<Long> substeps) {
        return runTt(problem, config, theta0, xi, 0, null, y, substeps, null);
    }

    /**
     * The states after 0..STEPS steps from theta0 fed xi and, with sigma &gt; 0, the label-noise procedure fed eps
     * (STEPS rows of n); checks that every increment and every eps was used. epsFits, if not null, receives the
     * outputs of the eps fit f(theta_eps) of every step (for the rounding scale).
     */
    static List<TtState> runTt(TrainingProblem problem, TwoTimescale.Config config, double[] theta0, double[] xi,
                               double sigma, double[] eps, double[] y, List<Long> substeps, List<double[]> epsFits) {
        Replay noise = new Replay(xi);
        TwoTimescale tt = new TwoTimescale(problem, config, theta0, noise);
        int n = y.length;
        int[] epsUsed = {0};
        if (sigma > 0) {
            tt.withLabelNoise(sigma, out -> {
                if (epsUsed[0] + n > eps.length) {
                    throw new IllegalStateException("label noise: the run drew more than the " + eps.length / n
                            + " rows given");
                }
                System.arraycopy(eps, epsUsed[0], out, 0, n);
                if (epsFits != null) {
                    epsFits.add(epsFit(problem, tt, out, config.lambdaA()));
                }
                epsUsed[0] += n;
            });
        }
        List<TtState> run = new ArrayList<>();
        run.add(state(tt, y, config.lambdaA()));
        for (int k = 0; k < STEPS; k++) {
            tt.step();
            run.add(state(tt, y, config.lambdaA()));
            if (substeps != null && !config.isExact()) {
                substeps.add(substeps(tt.kernel(), config));
            }
        }
        if (noise.used() != xi.length) {
            throw new IllegalStateException("noise: the run drew " + noise.used() + " of " + xi.length);
        }
        if (sigma > 0 && epsUsed[0] != eps.length) {
            throw new IllegalStateException("label noise: the run drew " + epsUsed[0] + " of " + eps.length);
        }
        return run;
    }

    /** The outputs f(theta_eps) of the eps fit at the current particles: a = (K + n lambdaA I)^-1 eps read out. */
    static double[] epsFit(TrainingProblem problem, TwoTimescale tt, double[] eps, double lambdaA) {
        IntrinsicKernel k = tt.kernel();
        double[] theta = tt.parameters();
        double[] a = k.readouts(k.solve(eps, lambdaA));
        System.arraycopy(a, 0, theta, problem.net().offset(Group.A), a.length);
        double[] f = new double[eps.length];
        problem.outputs(theta, problem.batch(), f);
        return f;
    }

    /** The fast layer's sub-step count of the step that led to kernel k, by the rule of TwoTimescale. */
    static long substeps(IntrinsicKernel k, TwoTimescale.Config config) {
        // the same sums in the same order as TwoTimescale's fast layer, so the ceiling sees the same double
        double maxDiagonal = 0;
        for (int i = 0; i < k.n(); i++) {
            double s = 0;
            for (int j = 0; j < k.atoms(); j++) {
                s += k.feature(j, i) * k.feature(j, i);
            }
            maxDiagonal = Math.max(maxDiagonal, s / k.atoms());
        }
        return (long) Math.ceil(config.eta() * config.ratio() * (maxDiagonal + config.lambdaA()));
    }

    static TtState state(TwoTimescale tt, double[] y, double lambdaA) {
        IntrinsicKernel k = tt.kernel();
        int n = k.n();
        double[] gram = k.gram();
        double lambdaMax = Arrays.stream(twolayer.kernel.SpectralDecomposition.of(gram, n).eigenvalues()).max()
                .orElseThrow();
        double kappa = (lambdaMax + n * lambdaA) / (n * lambdaA);
        return new TtState(tt.parameters(), tt.inner().alpha(), tt.inner().readouts(), tt.inner().innerValue(),
                tt.energy(), tt.jointEnergy(), k.alignment(y), k.degreesOfFreedom(lambdaA), kappa);
    }

    static Map<String, Object> ttCase(TtCase s, Dataset data, long seed) {
        TwoTimescale.Config config = new TwoTimescale.Config(s.eta(), s.lambda(), s.lambdaA(), s.lambdaW(), s.ratio(),
                0L);
        // three streams: the initialisation (seed), the increments (seed + 1), the label noise (seed + 2)
        TwoLayerNet net = DynamicsVectors.draw(D, M, s.sigma(), s.parameterization(), seed, data.x(), N, seed + 1,
                seed + 2);
        TrainingProblem problem = new TrainingProblem(net, data, Loss.SQUARED, Parallelism.sequential());
        int p = net.count(Group.W) + net.count(Group.B);
        double[] xi = increments(seed + 1, STEPS * p);
        double[] eps = null;
        if (s.labelNoise() > 0) {
            eps = new double[STEPS * N];
            TwoTimescale.LabelNoise draws = TwoTimescale.LabelNoise.uniform(s.labelNoise(), seed + 2);
            double[] row = new double[N];
            for (int k = 0; k < STEPS; k++) {
                draws.draw(row);
                System.arraycopy(row, 0, eps, k * N, N);
            }
        }
        double[] theta0 = net.initialParameters();
        List<Long> substeps = new ArrayList<>();
        List<double[]> epsFits = new ArrayList<>();
        List<TtState> run = runTt(problem, config, theta0, xi, s.labelNoise(), eps, data.y(), substeps, epsFits);
        double h = 1e-8 * Math.max(1, DynamicsVectors.maxAbs(theta0));
        List<TtState> other = runTt(problem, config, perturbed(theta0, h), xi, s.labelNoise(), eps, data.y(), null,
                null);
        double growth = 1, zMax = 0, fMax = 0, kappa = 1;
        for (double[] fit : epsFits) {
            fMax = Math.max(fMax, DynamicsVectors.maxAbs(fit));
        }
        double[] f = new double[N], fOther = new double[N];
        List<Map<String, Object>> snapshots = new ArrayList<>();
        for (int k = 0; k <= STEPS; k++) {
            TtState st = run.get(k), so = other.get(k);
            problem.outputs(st.theta(), problem.batch(), f);
            problem.outputs(so.theta(), problem.batch(), fOther);
            growth = Math.max(growth, Math.max(Math.max(DynamicsVectors.maxDiff(st.theta(), so.theta()),
                    DynamicsVectors.maxDiff(f, fOther)), DynamicsVectors.maxDiff(st.alpha(), so.alpha())) / h);
            zMax = Math.max(zMax, DynamicsVectors.Point.of(net, st.theta(), data.x(), N).zMax());
            fMax = Math.max(fMax, DynamicsVectors.maxAbs(f));
            kappa = Math.max(kappa, st.kappa());
            if (isSnapshot(k)) {
                Map<String, Object> at = new LinkedHashMap<>();
                at.put("step", k);
                at.put("time", k * s.eta());
                at.put("theta", DynamicsVectors.groups(net, st.theta()));
                at.put("outputs", f.clone());
                at.put("loss", problem.loss(st.theta()));
                at.put("alpha", st.alpha());
                at.put("readouts", st.readouts());
                at.put("g0", st.g0());
                at.put("energy", st.energy());
                at.put("joint_energy", st.jointEnergy());
                at.put("alignment", st.alignment());
                at.put("df", st.df());
                snapshots.add(at);
            }
        }
        int terms = M + N + 2 * D + 8;
        double delta = 10 * terms * EPS * (1 + 2 * Math.pow(Math.max(zMax, fMax), 2)) * DynamicsVectors.upTwoDigits(kappa)
                * (s.labelNoise() > 0 ? 2 : 1);
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("id", s.id());
        c.put("description", "two-timescale training at eta = " + s.eta() + ", lambda = " + s.lambda()
                + ", lambdaA = " + s.lambdaA() + ", lambdaW = " + s.lambdaW() + ", ratio "
                + (config.isExact() ? "inf (the inner ridge solved exactly)" : s.ratio())
                + (s.labelNoise() > 0 ? ", with the label-noise procedure at half-width sigma = " + s.labelNoise()
                + " fed the given eps" : ""));
        DynamicsVectors.putNet(c, "meanField", s.hiddenBias(), net);
        c.put("factory", s.factory());
        c.put("loss", "squared");
        c.put("y", "y_squared");
        c.put("eta", s.eta());
        c.put("lambda", s.lambda());
        c.put("lambdaA", s.lambdaA());
        c.put("lambdaW", s.lambdaW());
        c.put("ratio", config.isExact() ? "inf" : (Object) s.ratio());
        c.put("substeps", config.isExact() ? null : new ArrayList<Object>(substeps));
        c.put("steps", STEPS);
        c.put("theta0", DynamicsVectors.groups(net, theta0));
        c.put("xi", ConformanceVectors.rows(xi, STEPS, p));
        if (s.labelNoise() > 0) {
            c.put("label_noise", s.labelNoise());
            c.put("eps", ConformanceVectors.rows(eps, STEPS, N));
        }
        c.put("zmax", zMax);
        c.put("kappa", DynamicsVectors.upTwoDigits(kappa));
        growth = DynamicsVectors.upTwoDigits(growth);
        c.put("growth", growth);
        c.put("tolerance", DynamicsVectors.up(STEPS * growth * delta, 1e-12));
        c.put("snapshots", snapshots);
        return c;
    }
}
