package twolayer.chapter.twotimescale;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import twolayer.data.UniformLabelNoise;
import twolayer.kernel.IntrinsicKernel;
import twolayer.ledger.Claim;
import twolayer.ledger.Seeds;
import twolayer.ledger.ClaimFailureRecorder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The claims of the two-timescale chapter's experiments on x_1 x_2 (d = 15): alignment grows (TT-5), label noise
 * moves the degrees of freedom in the derived directions and the identities behind it hold (TT-6), the trained
 * net against fixed kernels (TT-7). The runs are the chapter's setting scaled to the test budget
 * ({@link #testScale}); the site figures run the larger one.
 */
@ExtendWith(ClaimFailureRecorder.class)
class KernelLearningClaims {

    /** The test-suite scale: n = 100, m = 200, 500 steps of the claim configuration (about 5 s per run idle). */
    static KernelLearning.Config testScale(long seed, double sigma) {
        return KernelLearning.Config.claim(seed, sigma).scaled(100, 200, 500, 2);
    }

    /** Runs shared by TT-5 and TT-6: (seed, variant) -&gt; result. */
    static final Map<String, KernelLearning.Result> RUNS = new ConcurrentHashMap<>();

    static KernelLearning.Result clean(long seed) {
        return RUNS.computeIfAbsent(seed + "/clean", k -> KernelLearning.run(testScale(seed, 0.0)));
    }

    static Stream<Long> trainingCases() {
        return Seeds.of(2);
    }

    // ------------------------------------------------------------------------------------------ TT-5

    /** Seeds of TT-5: four, so that the control's spread over seeds can be estimated. */
    static final int TT5_SEEDS = 4;
    /** Standard deviations of the null (trained run = a second control run) that the log ratio must exceed. */
    static final double TT5_Z = 4.0;

    static final Claim TT_5 = Claim.define("TT-5", "two-timescale",
            "Two-timescale training on x1 x2 (d = 15) increases the kernel-target alignment "
            + "y^T K y / (||K||_F ||y||^2) of the intrinsic kernel above its value at initialisation, and above the "
            + "alignment of a control run with the same initialisation and Langevin noise but no loss drift on the "
            + "first layer.",
            "Takakura and Suzuki 2024 (ICML), section 6, Fig. 1 (alignment grows during training); "
            + "two-timescale chapter",
            "A(end) > A(0) for every seed (the alignment is not monotone along the path, so only the endpoint is "
            + "compared); ln(A(end) / A_control(end)) > 4 sqrt(2) s for every seed, s the standard deviation over the "
            + "4 seeds of the control's ln(A(end) / A(0)): if the drift did nothing, the trained run would be a second "
            + "control, and the log ratio of two controls has standard deviation sqrt(2) s");

    /**
     * TT-5 with its control run. Bug injected once by hand: a mean-field drift without its factor m
     * ({@code -eta grad_w L} instead of {@code -eta m grad_w L} in {@code TwoTimescale.step}, so the loss barely moves
     * the first layer). The claim failed: "seed 20261123: alignment 0.0377 at init, 0.0352 at the end, control
     * 0.0326; ln(trained / control) = 0.076, bound 0.334 (control spread 0.059 over 4 seeds)".
     */
    @Test
    @DisplayName("TT-5 alignment of the intrinsic kernel grows from init and beyond the driftless control")
    void alignmentGrowsFromInitialisationAndBeyondTheControl() {
        long[] seeds = Seeds.of(TT5_SEEDS).mapToLong(Long::longValue).toArray();
        KernelLearning.Result[] trained = new KernelLearning.Result[seeds.length];
        KernelLearning.Result[] control = new KernelLearning.Result[seeds.length];
        java.util.stream.IntStream.range(0, 2 * seeds.length).parallel().forEach(q -> {
            int s = q % seeds.length;
            if (q < seeds.length) {
                trained[s] = clean(seeds[s]);
            } else {
                control[s] = KernelLearning.control(testScale(seeds[s], 0.0));
            }
        });
        // tag::experiment-claim-tt-5[]
        double[] controlDrift = new double[seeds.length];
        for (int s = 0; s < seeds.length; s++) {
            controlDrift[s] = Math.log(KernelLearning.Result.last(control[s].alignment()) / control[s].alignment()[0]);
        }
        double mean = java.util.Arrays.stream(controlDrift).average().orElseThrow(), ss = 0;
        for (double v : controlDrift) {
            ss += (v - mean) * (v - mean);
        }
        double spread = Math.sqrt(ss / (seeds.length - 1));
        double bound = TT5_Z * Math.sqrt(2) * spread;
        for (int s = 0; s < seeds.length; s++) {
            double a0 = trained[s].alignment()[0], aEnd = KernelLearning.Result.last(trained[s].alignment());
            double aControl = KernelLearning.Result.last(control[s].alignment());
            double logRatio = Math.log(aEnd / aControl);
            TT_5.check(aEnd > a0 && logRatio > bound, Claim.measure().min("alignment ratio end/init", aEnd / a0)
                            .min("alignment at end", aEnd).max("alignment at init", a0)
                            .min("ln(trained / control) at end", logRatio)
                            .max("control ln(end / init)", controlDrift[s])
                            .max("bound 4 sqrt(2) s", bound),
                    "seed " + seeds[s] + ": alignment " + a0 + " at init, " + aEnd + " at the end, control " + aControl
                            + "; ln(trained / control) = " + logRatio + ", bound " + bound + " (control spread "
                            + spread + " over " + seeds.length + " seeds)");
        }
        // end::experiment-claim-tt-5[]
    }

    // ------------------------------------------------------------------------------------------ TT-6

    /**
     * Monte Carlo draws for the identities. Each estimate's standard error is estimated from the draws; with
     * z = 4.4 per check and 2 checks the false-failure probability is below 2e-5 (normal tails; the averages of
     * 20000 bounded draws are normal to well within that).
     */
    static final int DRAWS = 20_000;
    static final double Z = 4.4;

    static final Claim TT_6 = Claim.define("TT-6", "two-timescale",
            "Label noise moves the degrees of freedom of the learned kernel as derived: intrinsic noise in the "
            + "labels (identity L1) raises df above the clean run's, the label-noise procedure (fresh noise, "
            + "identity L2) lowers it; and the identities "
            + "E G0(y + eps) = G0(y) + (s^2/2)(1 - df/n) (L1) and J(alpha_eps) = G0(y) + eps^T K R eps / (2n) "
            + "(L2, per eps; mean G0 + s^2 df / 2n) hold.",
            "directions: Takakura and Suzuki 2024 (ICML), section 6, Figs. 1 and 2; identities and procedure: our "
            + "derivation in the two-timescale chapter",
            "df(intrinsic noise sigma = 1) > df(clean) > df(label noise sigma = 1) at the end of runs sharing "
            + "data inputs, initialisation and Brownian noise; L2 per eps to 1e-10 relative "
            + "(round-off of n = 30 solves); Monte Carlo means within 4.4 estimated standard errors "
            + "(20000 draws, false-failure probability < 2e-5)");

    @Test
    @DisplayName("TT-6 label-noise identities hold by Monte Carlo")
    void labelNoiseIdentitiesHoldByMonteCarlo() {
        int n = 30;
        KernelLearning.Config c = KernelLearning.Config.claim(Seeds.BASE, 0.0).scaled(n, 60, 1, 1);
        double lambdaA = c.lambdaA(), sigma = 1.0, s2 = UniformLabelNoise.variance(sigma);
        double[] y = KernelLearning.train(c).y();
        IntrinsicKernel kernel = IntrinsicKernel.of(KernelLearning.initialNet(c),
                KernelLearning.initialNet(c).initialParameters(), KernelLearning.train(c));
        double[] k = kernel.gram();
        double g0 = innerValue(kernel, y, lambdaA);
        double df = kernel.degreesOfFreedom(lambdaA);
        SplittableRandom rng = new SplittableRandom(Seeds.BASE);
        double[] eps = new double[n], noisy = new double[n];
        double sum1 = 0, sq1 = 0, sum2 = 0, sq2 = 0, worstPerEps = 0;
        // tag::experiment-claim-tt-6-identities[]
        for (int t = 0; t < DRAWS; t++) {
            UniformLabelNoise.draw(eps, sigma, rng);
            for (int i = 0; i < n; i++) {
                noisy[i] = y[i] + eps[i];
            }
            // (L1) the ridge value with the noisy labels
            double v1 = innerValue(kernel, noisy, lambdaA);
            sum1 += v1;
            sq1 += v1 * v1;
            // (L2) the clean objective J at the ridge fit to the noisy labels, and its closed
            // form for this eps
            double[] alpha = kernel.solve(noisy, lambdaA);
            double v2 = cleanObjective(k, alpha, y, lambdaA);
            double[] r = kernel.solve(eps, lambdaA);
            double closed = g0 + quadratic(k, eps, r) / (2 * n);
            worstPerEps = Math.max(worstPerEps, Math.abs(v2 - closed) / closed);
            sum2 += v2;
            sq2 += v2 * v2;
        }
        double mean1 = sum1 / DRAWS, se1 = Math.sqrt((sq1 / DRAWS - mean1 * mean1) / DRAWS);
        double mean2 = sum2 / DRAWS, se2 = Math.sqrt((sq2 / DRAWS - mean2 * mean2) / DRAWS);
        double expected1 = g0 + s2 / 2 * (1 - df / n);
        double expected2 = g0 + s2 / (2 * n) * df;
        double z1 = Math.abs(mean1 - expected1) / se1, z2 = Math.abs(mean2 - expected2) / se2;
        // end::experiment-claim-tt-6-identities[]
        TT_6.check(z1 < Z && z2 < Z && worstPerEps < 1e-10,
                Claim.measure().max("L1 Monte Carlo z", z1).max("L2 Monte Carlo z", z2)
                        .max("L2 per-eps relative error", worstPerEps)
                        .value("df of the n = 30 Gram", df),
                "L1: mean " + mean1 + " vs " + expected1 + " (z = " + z1 + "); L2: mean " + mean2
                        + " vs " + expected2 + " (z = " + z2 + "); per-eps error " + worstPerEps);
    }

    // tag::experiment-claim-tt-6-direction[]
    @ParameterizedTest(name = "TT-6 the label-noise procedure lowers df [seed={0}]")
    @MethodSource("trainingCases")
    void labelNoiseProcedureLowersDegreesOfFreedom(long seed) {
        double dfClean = KernelLearning.Result.last(clean(seed).df());
        KernelLearning.Result noisy = KernelLearning.run(testScale(seed, 0.0).withLabelNoise(1.0));
        double dfNoise = KernelLearning.Result.last(noisy.df());
        TT_6.check(dfNoise < dfClean,
                Claim.measure().max("df(label noise) - df(clean)", dfNoise - dfClean),
                "seed " + seed + ": df " + dfNoise + " with the label-noise procedure, "
                        + dfClean + " clean");
    }

    @ParameterizedTest(name = "TT-6 intrinsic label noise raises df [seed={0}]")
    @MethodSource("trainingCases")
    void intrinsicNoiseRaisesDegreesOfFreedom(long seed) {
        double dfClean = KernelLearning.Result.last(clean(seed).df());
        KernelLearning.Result noisy = KernelLearning.run(testScale(seed, 1.0));
        double dfNoise = KernelLearning.Result.last(noisy.df());
        TT_6.check(dfNoise > dfClean,
                Claim.measure().min("df(intrinsic noise) - df(clean)", dfNoise - dfClean),
                "seed " + seed + ": df " + dfNoise + " with intrinsic noise sigma = 1, "
                        + dfClean + " clean");
    }
    // end::experiment-claim-tt-6-direction[]

    /** G0 = (lambdaA/2) v^T (K + n lambdaA I)^-1 v. */
    static double innerValue(IntrinsicKernel kernel, double[] v, double lambdaA) {
        double[] alpha = kernel.solve(v, lambdaA);
        double s = 0;
        for (int i = 0; i < v.length; i++) {
            s += v[i] * alpha[i];
        }
        return lambdaA / 2 * s;
    }

    /** J(alpha) = (1/2n) |K alpha - y|^2 + (lambdaA/2) alpha^T K alpha, written out from its definition. */
    static double cleanObjective(double[] k, double[] alpha, double[] y, double lambdaA) {
        int n = y.length;
        double risk = 0, penalty = 0;
        for (int i = 0; i < n; i++) {
            double f = 0;
            for (int l = 0; l < n; l++) {
                f += k[i * n + l] * alpha[l];
            }
            risk += (f - y[i]) * (f - y[i]);
            penalty += alpha[i] * f;
        }
        return risk / (2 * n) + lambdaA / 2 * penalty;
    }

    /** u^T K v. */
    static double quadratic(double[] k, double[] u, double[] v) {
        int n = u.length;
        double s = 0;
        for (int i = 0; i < n; i++) {
            for (int l = 0; l < n; l++) {
                s += u[i] * k[i * n + l] * v[l];
            }
        }
        return s;
    }

    // ------------------------------------------------------------------------------------------ TT-7

    static final Claim TT_7 = Claim.define("TT-7", "two-timescale",
            "On x1 x2 (d = 15) the two-timescale-trained net's test error is below that of kernel ridge regression "
            + "with the net's own kernels at initialisation, its intrinsic (random-features) kernel and its neural "
            + "tangent kernel, at the same n (200 and 400), ridges tuned. Not claimed: against the analytic relu "
            + "NTK with fan-in scaling the net loses at these n in d = 15 (ratio recorded) and wins on two "
            + "of three seeds in d = 30, n = 400 (chapter; runs too long for the suite).",
            "Takakura and Suzuki 2024 (ICML), section 5 (networks learn unions of RKHSs more efficiently than "
            + "kernel methods) and section 6; two-timescale chapter",
            "strict: net MSE < each of the two KRR MSEs on every seed and n (test MSE on 1000 clean points; "
            + "ridges tuned on a 20% hold-out of the training set); no tolerance involved (the worst ratio "
            + "net/kernel is recorded, and the range of net / relu NTK over the cases). The test seeds are disjoint "
            + "from the seeds 20261123 to 20261125 on which the net's hyper-parameters were chosen");

    /**
     * The seeds on which the comparison's hyper-parameters (lambdaA = 0.001, lambdaW = 0.05, 400 steps) were chosen
     * and the chapter's table was measured: the reported test seeds must not be among them.
     */
    static final long FIRST_TUNING_SEED = 20261123L, LAST_TUNING_SEED = 20261125L;
    /** The test seeds are the case seeds moved by this offset, past the tuning seeds. */
    static final long TEST_SEED_OFFSET = 1000L;

    static Stream<Arguments> comparisonCases() {
        return Seeds.of(2).map(seed -> seed + TEST_SEED_OFFSET)
                .flatMap(seed -> Stream.of(Arguments.of(seed, 200), Arguments.of(seed, 400)));
    }

    // tag::experiment-claim-tt-7[]
    /**
     * Measured on the test seeds: net / own kernels at most 0.41; net / relu NTK 1.21 to 1.94 (recorded, not asserted).
     * Bug tried: the first layer's loss drift switched off in TwoTimescale (random features with Langevin noise)
     * fails all four cases (net 1.07 to 1.37 against its kernels' 1.05 to 1.26).
     */
    @ParameterizedTest(name = "TT-7 the net beats KRR with its initial kernels [seed={0}, n={1}]")
    @MethodSource("comparisonCases")
    void trainedNetAgainstFixedKernels(long seed, int n) {
        // Hyper-parameters chosen on one seed and tested on it would be a fit, not a test
        if (seed >= FIRST_TUNING_SEED && seed <= LAST_TUNING_SEED) {
            throw new IllegalStateException("TT-7: seed " + seed + " is a tuning seed (" + FIRST_TUNING_SEED + " to "
                    + LAST_TUNING_SEED + "); choose -Dtwolayer.seed so that the test seeds avoid them");
        }
        KernelLearning.Config c = KernelLearning.Config.comparison(seed, n);
        KernelLearning.Result run = KernelLearning.run(c);
        double net = KernelLearning.Result.last(run.testError());
        KernelLearning.Baselines b = KernelLearning.baselines(c);
        double intrinsic = b.initialIntrinsic().testMse(), tangent = b.initialNtk().testMse();
        double relu = b.analyticNtk().testMse();
        TT_7.check(net < intrinsic && net < tangent, Claim.measure()
                        .max("net test MSE", net)
                        .min("KRR initial intrinsic kernel test MSE", intrinsic)
                        .min("KRR initial tangent kernel test MSE", tangent)
                        .max("net / min(own kernels)", net / Math.min(intrinsic, tangent))
                        .value("KRR relu NTK test MSE (not asserted)", relu)
                        .value("net / KRR relu NTK, range over cases (not asserted; > 1 where the net loses)", net / relu)
                        .min("plane share of the particles (2/15 if isotropic)", run.planeShare())
                        .min("diagonality in the plane (2/pi if isotropic)", run.diagonality()),
                "seed " + seed + ", n " + n + ": net " + net + ", KRR initial intrinsic "
                        + intrinsic + ", KRR initial tangent kernel " + tangent
                        + ", KRR relu NTK " + relu);
    }
    // end::experiment-claim-tt-7[]
}
