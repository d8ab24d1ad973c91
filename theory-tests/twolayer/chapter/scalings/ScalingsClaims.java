package twolayer.chapter.scalings;

import static twolayer.testing.TestData.gaussian;
import static twolayer.testing.TestData.regressionData;
import static twolayer.testing.TestData.times;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.commons.math3.stat.descriptive.moment.Variance;
import org.apache.commons.math3.stat.regression.SimpleRegression;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import twolayer.chapter.scalings.GolikovExponentSweep.Quantity;
import twolayer.data.Dataset;
import twolayer.dynamics.GradientDescent;
import twolayer.dynamics.TrainingProblem;
import twolayer.ledger.Claim;
import twolayer.ledger.Seeds;
import twolayer.measure.ProbeOutputs;
import twolayer.model.Activation;
import twolayer.model.Batch;
import twolayer.model.GolikovExponents;
import twolayer.model.Loss;
import twolayer.model.LuoScales;
import twolayer.model.Offset;
import twolayer.model.Parallelism;
import twolayer.model.Parameterization;
import twolayer.model.Scale;
import twolayer.model.TwoLayerNet;
import twolayer.run.LazyRun;
import twolayer.run.LazyTask;
import twolayer.testing.Cases;
import twolayer.testing.ProbedDescent;
import twolayer.ledger.ClaimFailureRecorder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The scalings chapter's claims: equivalent coordinates (SC-1), Golikov's exponents measured over widths (SC-2),
 * the initialisation-corrected mean field (SC-3) and Chizat-Oyallon-Bach's laws in the lazy scale (SC-4).
 */
@ExtendWith(ClaimFailureRecorder.class)
class ScalingsClaims {

    // ------------------------------------------------------------------------------------------ SC-1

    /**
     * Round-off bound of an equivalence: the two runs compute the same numbers with the multiplications regrouped
     * (m^(1/2) m^(-1/2) instead of 1, alpha (sigma_A z) instead of alpha sigma_A z), a relative difference of a few
     * eps = 2.2e-16 per operation; over 200 steps of a stable descent it stays below ~1e-13 relative to the outputs.
     * 1e-10 is the bar of every equivalence claim (FOUND-4), far below any real difference of dynamics.
     */
    static final double EQUIVALENCE_TOLERANCE = 1e-10;

    static final Claim SC_1 = Claim.define("SC-1", "scalings",
            "Presets that are one dynamics in other coordinates give the same function trajectory under gradient "
            + "descent, to round-off: muP and meanField; every Golikov scaling (ntk, mean field, sym-default, default, "
            + "IC-MF, random exponents) at m = mRef and the reference net; each of them but IC-MF at m = 2 mRef or "
            + "mRef / 2 and the Luo net of the triple written from Golikov's definition; any parameterisation and its Luo triple "
            + "(luoAlpha, beta1, beta2) at rate 1 with the step times eta_W, lazy scale not 1. (Standard with per-layer rates = ntk is "
            + "FOUND-4.)",
            "Substitution A = L kA a, W = kW w (rates kA^2 rhoA, kW^2 rhoW / L^2, L the lazy scale) and "
            + "a = alpha A (scalings chapter); "
            + "Yang and Hu 2021 (abc symmetry); Golikov 2020 (scalings relative to d*)",
            "max |f_1 - f_2| / max(1, max |f_1|) <= 1e-10 over probes and 200 steps: the runs differ only by round-off");

    /**
     * Every pair of activation (relu, tanh, erf), side of the reference width (mRef = m / 2 or 2 m) and range of the
     * random parameterisation's lazy scale (below or above 1): 3 x 2 x 2 pairwise, 6 cases, scaled by
     * -Dtwolayer.cases. The 8 seeds it replaces cycled the activation by the seed and drew side and range by a coin; at
     * the default seed they never met relu with mRef = 2 m nor tanh with mRef = m / 2 (printed there); cases 2 and 3
     * are those. (The full cross, 12 cases, doubled the time: the erf cases cost 2-5 times the others.)
     */
    static Stream<Arguments> equivalenceCases() {
        List<int[]> rows = Cases.pairwise(Seeds.BASE, ACTIVATIONS.length, 2, 2);
        return IntStream.range(0, rows.size()).mapToObj(i -> Arguments.of(Seeds.BASE + i,
                ACTIVATIONS[rows.get(i)[0]], rows.get(i)[1] == 1, rows.get(i)[2] == 1));
    }

    @ParameterizedTest(name = "SC-1 equivalent scalings give the same trajectory [seed={0}, {1}, mRef = 2 m {2}, "
            + "lazy scale > 1 {3}]")
    @MethodSource("equivalenceCases")
    void equivalentScalingsGiveTheSameFunctionTrajectory(long seed, Activation sigma, boolean wideReference,
                                                         boolean lazyAbove) {
        SplittableRandom rng = new SplittableRandom(seed);
        int d = 2 + rng.nextInt(4), m = 2 * (4 + rng.nextInt(20)), n = 5 + rng.nextInt(10);
        Dataset data = regressionData(rng, n, d);
        double[] probes = gaussian(rng, 7 * d);
        long init = rng.nextLong();

        // muP is mean field under the abc symmetry
        Run run = new Run(sigma, m, data, probes, init);
        double muP = run.gap(Parameterization.muP(), 0.05, Parameterization.meanField(), 0.05);

        // Golikov's scalings at the reference width are the reference net (standard, no biases)
        Parameterization reference = Parameterization.standard(1, 1, 0).withBiases(false, false);
        List<Parameterization> golikov = List.of(Parameterization.golikov(-0.5, 0, 0, m),
                Parameterization.golikov(-1, 1, 1, m), Parameterization.golikov(-0.5, 0.5, 0.5, m),
                Parameterization.golikov(-0.5, 1, 0, m),
                Parameterization.initCorrectedMeanField(m),
                Parameterization.golikov(quarter(rng), quarter(rng), quarter(rng), m));
        double atReference = 0;
        for (Parameterization p : golikov) {
            atReference = Math.max(atReference, run.gap(p, 0.2, reference, 0.2));
        }

        // Away from the reference width the exponents matter: Golikov's scaling at r = m / mRef != 1 is the Luo net
        // of the triple written here from his definition, not through Parameterization or LuoScales (sigma_A =
        // r^qSigma / sqrt(mRef), sigma_W = 1 / sqrt(d), raw rates r^(q~a + 2 qSigma) and r^(q~w)). Measured: at most
        // 1.3e-15. Control: golikov() with the rate of a as r^(q~a) (the 2 qSigma dropped) failed all 6 cases with
        // gaps 0.08-0.58 here, while the gap at m = mRef stayed 4.6e-16 (the part at the reference width cannot see it).
        double awayFromReference = 0;
        int mRef = wideReference ? 2 * m : m / 2;
        double r = (double) m / mRef;
        double[][] exponents = {{-0.5, 0, 0}, {-1, 1, 1}, {-0.5, 0.5, 0.5}, {-0.5, 1, 0},
                {quarter(rng), quarter(rng), quarter(rng)}};
        for (double[] q : exponents) {
            Parameterization g = Parameterization.golikov(q[0], q[1], q[2], mRef);
            double sigmaA = Math.pow(r, q[0]) / Math.sqrt(mRef), sigmaW = 1 / Math.sqrt(d);
            double etaA = Math.pow(r, q[1] + 2 * q[0]), etaW = Math.pow(r, q[2]);
            double alpha = Math.sqrt(etaW / etaA);
            TwoLayerNet gNet = TwoLayerNet.initialize(d, m, sigma, g, init);
            double gEta = 0.5 / GolikovExponentSweep.kernelTrace(gNet, gNet.initialParameters(), data.x(), n);
            awayFromReference = Math.max(awayFromReference, run.gap(g, gEta,
                    Parameterization.luoRaw(alpha, alpha * sigmaA, sigmaW), gEta * etaW));
        }

        // tag::experiment-claim-sc-1[]
        // any net is Luo's (1/alpha) sum a sigma(w.x), both layers at the common rate eta_W
        Parameterization p = randomScaling(rng, lazyAbove);
        TwoLayerNet net = TwoLayerNet.initialize(d, m, sigma, p, init);
        double eta = 0.5 / GolikovExponentSweep.kernelTrace(net, net.initialParameters(),
                data.x(), n);
        // the rate of W = kW w is kW^2 rhoW / L^2: the lazy scale L divides every rate and is not absorbed by W
        double kW = p.kW().at(m, p.mRef(), d), lazy = p.lazyScale();
        double etaW = kW * kW * p.rhoW().at(m, p.mRef(), d) / (lazy * lazy);
        double luoGap = run.gap(p, eta, LuoScales.of(p, m, d).parameterization(), eta * etaW);

        double worst = Math.max(Math.max(muP, awayFromReference), Math.max(atReference, luoGap));
        SC_1.check(worst <= EQUIVALENCE_TOLERANCE, Claim.measure()
                        .max("maxGapMuPVsMeanField", muP)
                        .max("maxGapGolikovAtReferenceWidth", atReference)
                        .max("maxGapGolikovAwayFromReferenceWidth", awayFromReference)
                        .max("maxGapLuoTriple", luoGap),
                "seed " + seed + ", " + sigma + ": gaps " + muP + " (muP vs meanField), " + atReference
                        + " (Golikov at mRef), " + awayFromReference + " (Golikov at m / mRef = " + r
                        + " vs its Luo triple), " + luoGap + " (Luo triple of " + p.name()
                        + ") exceed " + EQUIVALENCE_TOLERANCE);
                        // end::experiment-claim-sc-1[]
    }

    /**
     * A parameterisation with random coefficients and exponents (multipliers, stds and rates of a and w) and a lazy
     * scale in [2, 4) if {@code lazyAbove}, else in [1/4, 3/4), never 1: a Luo triple that mishandles the lazy scale
     * fails the claim.
     */
    private static Parameterization randomScaling(SplittableRandom rng, boolean lazyAbove) {
        Scale[] s = new Scale[6];
        for (int k = 0; k < 6; k++) {
            s[k] = new Scale(0.5 + rng.nextDouble(), quarter(rng) / 2, 0);
        }
        Scale one = Scale.constant(1);
        int mRef = 1 + rng.nextInt(8);
        double lazy = lazyAbove ? 2 + 2 * rng.nextDouble() : 0.25 + 0.5 * rng.nextDouble();
        return new Parameterization("random", s[0], s[1], one, one, s[2], s[3], one, one, s[4], s[5], one, one,
                mRef, false, false, false, Offset.NONE, null, lazy);
    }

    private static final Activation[] ACTIVATIONS = {Activation.RELU, Activation.TANH, Activation.ERF};

    /** A problem on which two parameterisations are trained from the same normal draw and compared. */
    private record Run(Activation sigma, int m, Dataset data, double[] probes, long init) {

        /** The largest output difference of two runs (each with its own step) over probes and times, relative. */
        double gap(Parameterization p1, double eta1, Parameterization p2, double eta2) {
            ProbeOutputs o1 = ProbedDescent.run(p1, eta1, sigma, m, data, probes, init);
            ProbeOutputs o2 = ProbedDescent.run(p2, eta2, sigma, m, data, probes, init);
            double gap = 0, scale = 1;
            for (int k = 0; k < o1.count(); k++) {
                double[] f1 = o1.outputsAt(k), f2 = o2.outputsAt(k);
                for (int i = 0; i < f1.length; i++) {
                    gap = Math.max(gap, Math.abs(f1[i] - f2[i]));
                    scale = Math.max(scale, Math.abs(f1[i]));
                }
            }
            return gap / scale;
        }
    }

    // ------------------------------------------------------------------------------------------ SC-2

    /** Widths 2^8 ... 2^13: six widths over 1.5 decades. */
    static final int[] SC2_WIDTHS = GolikovExponentSweep.powersOfTwo(8, 13);
    /**
     * Tolerance on |measured slope - derived exponent|: 0.06 (the bar), checked against its parts.
     * Bias: Var f(x; theta0) = m kA^2 sA^2 E sigma(z)^2 and the expected kernel diagonal are exact powers of m at every
     * width (the neurons are independent and E a = 0), so A and B have no finite-width bias beyond the curvature of a
     * sum of two powers (default: relative m^-1, slope bias &lt; 0.005); the steps go through l'(f), which differs from
     * its limit by a relative O(m^A) (mean field: m^(-1/2)), whose least-squares slope over these widths is
     * -0.0145 c1, so at most 0.015 for |c1| &lt;= 1. Noise: 48 draws per width give log RMS logit a standard error
     * of about 0.03 per width (the inputs' logits are correlated), 0.01 on the slope; the steps at A = 0 vary by about
     * 25 % between draws (l'(f) depends on the random O(1) logits), 24 draws give 0.05 per width and 0.017 on the slope.
     * 0.06 is the bias plus about 3 standard errors.
     */
    static final double EXPONENT_TOLERANCE = 0.06;

    static final Claim SC_2 = Claim.define("SC-2", "scalings",
            "Golikov's three exponents measured at initialisation over m = 256 ... 8192 (48 draws per width) match the "
            + "derived values A = q_sigma + 1/2 (logits), B = max q~ + 2 q_sigma + 1 (tangent kernel with the layer "
            + "rates), C_g = q~_g + q_sigma (one logistic step of the normalised weights) for the ntk, mean-field, "
            + "sym-default and default scalings.",
            "Golikov 2020 (arXiv 2006.06574), exponents derived in the scalings chapter",
            "|slope - exponent| <= 0.06: finite-width bias <= 0.015 plus about 3 standard errors of the fits");

    static Stream<Long> exponentCases() {
        return Seeds.of(2);
    }

    // tag::experiment-claim-sc-2[]
    @ParameterizedTest(name = "SC-2 Golikov's exponents A, B, C over widths [seed={0}]")
    @MethodSource("exponentCases")
    void golikovExponentsMatchTheirDerivedValues(long seed) {
        List<GolikovExponents> scalings =
                GolikovExponentSweep.Config.namedScalings().subList(0, 4);
        GolikovExponentSweep.Config config = new GolikovExponentSweep.Config(scalings, SC2_WIDTHS,
                Parameterization.GOLIKOV_REFERENCE_WIDTH, 48, 24, 32, 8, seed);
        GolikovExponentSweep.Result r = GolikovExponentSweep.run(config, Parallelism.available());
        Claim.Case measured = Claim.measure().max("maxDeviation", r.worstDeviation());
        StringBuilder slopes = new StringBuilder();
        for (int s = 0; s < scalings.size(); s++) {
            for (Quantity q : Quantity.values()) {
                double slope = r.slope(s, q);
                measured.value("slope " + q.exponent() + " " + label(scalings.get(s)), slope);
                slopes.append(q.exponent()).append(label(scalings.get(s))).append(" = ")
                        .append(slope).append(" vs ").append(q.predicted(scalings.get(s)))
                        .append("; ");
            }
        }
        SC_2.check(r.worstDeviation() <= EXPONENT_TOLERANCE, measured,
                "seed " + seed + ": worst deviation " + r.worstDeviation() + " > "
                        + EXPONENT_TOLERANCE + ": " + slopes);
    }
    // end::experiment-claim-sc-2[]

    private static String label(GolikovExponents g) {
        return "(" + g.qSigma() + ", " + g.qTildeA() + ", " + g.qTildeW() + ")";
    }

    // ------------------------------------------------------------------------------------------ SC-3

    /** Widths 32 ... 8192 (five, 2.4 decades) and nets per width for the variance at init. */
    static final int[] SC3_WIDTHS = {32, 128, 512, 2048, 8192};
    static final int NETS_PER_WIDTH = 300;
    /**
     * Slope tolerance 0.1: log of a sample variance of S = 300 nets has standard error sqrt(2/(S-1)) = 0.082 (Gaussian
     * f; the ReLU net's excess kurtosis at m = 32 adds at most ~20 %); the slope over five widths with
     * sqrt(sum (log m - mean)^2) = 4.38 has standard error 0.019, so 0.1 is about 5 standard errors. There is no
     * finite-width bias: Var f(x; theta0) = m sA^2 E sigma(z)^2 exactly at every m.
     */
    static final double VARIANCE_SLOPE_TOLERANCE = 0.1;

    static final Claim SC_3 = Claim.define("SC-3", "scalings",
            "Golikov's initialisation-corrected mean field (IC-MF): its output variance at init is flat in m (slope 0, like "
            + "the reference net) while the mean-field net's falls like 1/m (slope -1), over m = 32 ... 8192; and it "
            + "trains by the mean-field gradient: its trajectory equals that of the mean-field net trained on the "
            + "shifted targets y - g(x), to round-off.",
            "Golikov 2020 (arXiv 2006.06574): f_IC = f_MF(theta) - f_MF(theta0) + f_ref(theta0); scalings chapter",
            "variance slopes within 0.1 (5 standard errors of the fit; no finite-width bias); trajectories within 1e-10 "
            + "relative (round-off)");

    /** The homogeneous activation and a smooth one. */
    static final Activation[] IC_MF_ACTIVATIONS = {Activation.RELU, Activation.TANH};

    /** Each activation once (scaled by -Dtwolayer.cases), listed rather than picked by the seed's parity. */
    static Stream<Arguments> icMfCases() {
        List<int[]> rows = Cases.cross(IC_MF_ACTIVATIONS.length);
        return IntStream.range(0, rows.size()).mapToObj(i -> Arguments.of(Seeds.BASE + i,
                IC_MF_ACTIVATIONS[rows.get(i)[0]]));
    }

    @ParameterizedTest(name = "SC-3 IC-MF: O(1) output at init, mean-field gradient [seed={0}, {1}]")
    @MethodSource("icMfCases")
    void initCorrectedMeanFieldHasReferenceVarianceAndMeanFieldGradient(long seed, Activation sigma) {
        SplittableRandom rng = new SplittableRandom(seed);
        int d = 4, mRef = 128;
        Parameterization icMf = Parameterization.initCorrectedMeanField(mRef);
        Parameterization meanField = Parameterization.golikov(-1, 1, 1, mRef);
        double[] x = gaussian(rng, d);
        double icSlope = varianceSlope(icMf, sigma, d, x, rng.nextLong());
        double mfSlope = varianceSlope(meanField, sigma, d, x, rng.nextLong());

        // IC-MF on y equals the mean-field net on y - g: the same parameters after every step
        int m = 256, n = 12;
        Dataset data = regressionData(rng, n, d);
        long init = rng.nextLong();
        TwoLayerNet ic = TwoLayerNet.initialize(d, m, sigma, icMf, init);
        TwoLayerNet mf = TwoLayerNet.initialize(d, m, sigma, meanField, init);
        // tag::experiment-claim-sc-3[]
        Batch batch = ic.batch(data.x(), n, Parallelism.sequential());
        double[] shifted = data.y();
        for (int i = 0; i < n; i++) {
            shifted[i] -= batch.offset(i);
        }
        double[] thetaIc = train(ic, mf, data, 200);
        double[] thetaMf = train(mf, mf, new Dataset(data.x(), shifted, n, d), 200);
        double diff = 0, scale = 0;
        for (int k = 0; k < thetaIc.length; k++) {
            diff = Math.max(diff, Math.abs(thetaIc[k] - thetaMf[k]));
            scale = Math.max(scale, Math.abs(thetaIc[k]));
        }
        double trajectoryGap = diff / scale;

        boolean ok = Math.abs(icSlope) <= VARIANCE_SLOPE_TOLERANCE
                && Math.abs(mfSlope + 1) <= VARIANCE_SLOPE_TOLERANCE
                && trajectoryGap <= EQUIVALENCE_TOLERANCE;
        SC_3.check(ok, Claim.measure().value("varianceSlopeIcMf", icSlope)
                        .value("varianceSlopeMeanField", mfSlope)
                        .max("maxRelativeParameterGap", trajectoryGap),
                "seed " + seed + ", " + sigma + ": variance slopes " + icSlope
                        + " (IC-MF, expected 0) and " + mfSlope + " (MF, expected -1), tolerance "
                        + VARIANCE_SLOPE_TOLERANCE + "; parameter gap " + trajectoryGap
                        + " (tolerance " + EQUIVALENCE_TOLERANCE + ")");
                        // end::experiment-claim-sc-3[]
    }

    /** {@code steps} steps of gradient descent at half the step of {@code stepNet}'s kernel trace (stable). */
    private static double[] train(TwoLayerNet net, TwoLayerNet stepNet, Dataset data, int steps) {
        double eta = 0.5 / GolikovExponentSweep.kernelTrace(stepNet, stepNet.initialParameters(), data.x(), data.n());
        TrainingProblem problem = new TrainingProblem(net, data, Loss.SQUARED, Parallelism.sequential());
        GradientDescent gd = new GradientDescent(problem, GradientDescent.Config.plain(eta));
        gd.run(times(eta, steps, 1), s -> { });
        return gd.parameters();
    }

    private static double varianceSlope(Parameterization p, Activation sigma, int d, double[] x, long seed) {
        SimpleRegression fit = new SimpleRegression();
        SplittableRandom seeds = new SplittableRandom(seed);
        for (int m : SC3_WIDTHS) {
            double[] f = new double[NETS_PER_WIDTH];
            for (int s = 0; s < NETS_PER_WIDTH; s++) {
                TwoLayerNet net = TwoLayerNet.initialize(d, m, sigma, p, seeds.nextLong());
                f[s] = net.output(net.initialParameters(), x);
            }
            fit.addData(Math.log(m), Math.log(new Variance().evaluate(f)));
        }
        return fit.getSlope();
    }

    // ------------------------------------------------------------------------------------------ SC-4

    /** The lazy scales: 1, 4, ..., 256; the slopes are fitted over alpha >= 4 (four points, 1.8 decades). */
    static final double[] ALPHAS = {1, 4, 16, 64, 256};
    /**
     * Tolerance 0.05 on the slopes. Chizat, Oyallon and Bach's expansion gives w_alpha(T) - w0 = u(T)/alpha
     * (1 + c/alpha + ...), the same for the centred function's distance to its linearisation; the least-squares slope
     * of a relative correction c/alpha over alpha = 4 ... 256 is -0.060 c, so 0.05 allows |c| up to 0.8, and the
     * runs are deterministic given the draw (no sampling error in the slope of one draw; the three draws are pooled).
     * With the antisymmetric initialisation the second-order terms of a pair (a, w), (-a, w) cancel and the
     * distance falls like alpha^-2; 0.1 is allowed there for the larger relative correction of a faster rate.
     */
    static final double LAZY_SLOPE_TOLERANCE = 0.05;

    static final Claim SC_4 = Claim.define("SC-4", "scalings",
            "With Chizat-Oyallon-Bach's lazy scale alpha (output times alpha, loss over alpha^2) on the centred ntk net "
            + "(tanh, m = 256, trained to T = 16), ||w(T) - w0|| falls like alpha^-1 and the distance between the net and "
            + "its trained linearisation like alpha^-1 (alpha^-2 with the antisymmetric initialisation), fitted over "
            + "alpha = 4 ... 256.",
            "Chizat, Oyallon, Bach 2019, Thm 2.2 (O(1/alpha) for weights and function); scalings chapter",
            "|slope + 1| <= 0.05 for RD_w and the centred gap: a relative correction c/alpha biases the slope by "
            + "0.06 c; |slope + 2| <= 0.1 for the antisymmetric gap");

    static final int LAZY_INITS = 3;

    /** The lazy-scale runs, one per alpha and initialisation, centred or antisymmetric. */
    static List<LazyRun.Result> lazyRuns(boolean antisymmetric, long seed) {
        List<LazyRun.Config> configs = new ArrayList<>();
        for (double alpha : ALPHAS) {
            for (int i = 0; i < LAZY_INITS; i++) {
                Parameterization p = Parameterization.ntk(1, 1).withLazyScale(alpha);
                p = antisymmetric ? p.withAntisymmetricInit(true) : p.withOffset(Offset.CENTRED, null);
                configs.add(new LazyRun.Config(LazyTask.regression(50, 50, 20), seed, p, Activation.TANH, 256,
                        LazyRun.Init.PRESET, seed + 1 + i, GradientDescent.Config.plain(1.0), 16, 1, true, false));
            }
        }
        return LazyRun.runAll(configs, LazyRun.defaultThreads());
    }

    /** The pooled slope of log(metric) against log(alpha) over alpha >= 4, one intercept per initialisation. */
    static double alphaSlope(List<LazyRun.Result> runs, java.util.function.ToDoubleFunction<LazyRun.Result> metric) {
        double sxy = 0, sxx = 0;
        for (int i = 0; i < LAZY_INITS; i++) {
            double mx = 0, my = 0;
            int count = ALPHAS.length - 1;
            for (int k = 1; k < ALPHAS.length; k++) {
                mx += Math.log(ALPHAS[k]) / count;
                my += Math.log(metric.applyAsDouble(runs.get(k * LAZY_INITS + i))) / count;
            }
            for (int k = 1; k < ALPHAS.length; k++) {
                double dx = Math.log(ALPHAS[k]) - mx;
                sxy += dx * (Math.log(metric.applyAsDouble(runs.get(k * LAZY_INITS + i))) - my);
                sxx += dx * dx;
            }
        }
        return sxy / sxx;
    }

    static Stream<Long> lazyCases() {
        return Seeds.of(1);
    }

    // tag::experiment-claim-sc-4[]
    @ParameterizedTest(name = "SC-4 lazy scale: weights and linearisation gap vs alpha [seed={0}]")
    @MethodSource("lazyCases")
    void lazyScaleShrinksWeightChangeAndLinearisationGap(long seed) {
        List<LazyRun.Result> centred = lazyRuns(false, seed), antisymmetric = lazyRuns(true, seed);
        double rdW = alphaSlope(centred, LazyRun.Result::finalRdW);
        double gap = alphaSlope(centred, LazyRun.Result::finalGapRms);
        double gapAntisymmetric = alphaSlope(antisymmetric, LazyRun.Result::finalGapRms);
        boolean ok = Math.abs(rdW + 1) <= LAZY_SLOPE_TOLERANCE
                && Math.abs(gap + 1) <= LAZY_SLOPE_TOLERANCE
                && Math.abs(gapAntisymmetric + 2) <= 2 * LAZY_SLOPE_TOLERANCE;
        SC_4.check(ok, Claim.measure().value("slopeWeightChange", rdW)
                        .value("slopeGapCentred", gap)
                        .value("slopeGapAntisymmetric", gapAntisymmetric),
                "seed " + seed + ": slopes " + rdW + " (||w - w0||, expected -1), " + gap
                        + " (centred gap, expected -1), " + gapAntisymmetric
                        + " (antisymmetric gap, expected -2)");
    }
    // end::experiment-claim-sc-4[]

    // ------------------------------------------------------------------------------------------ helpers

    private static double quarter(SplittableRandom rng) {
        return (rng.nextInt(9) - 4) / 4.0;
    }
}
