package twolayer.kernel;

import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.commons.math3.stat.regression.SimpleRegression;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import twolayer.kernel.AnalyticKernels.Kind;
import twolayer.kernel.AnalyticKernels.Options;
import twolayer.ledger.Claim;
import twolayer.ledger.Seeds;
import twolayer.model.Activation;
import twolayer.model.Parallelism;
import twolayer.model.Parameterization;
import twolayer.model.TwoLayerNet;
import twolayer.testing.TestData;
import twolayer.ledger.ClaimFailureRecorder;
import org.junit.jupiter.api.extension.ExtendWith;

/** The NTK chapter's claims on the infinite-width kernels: closed forms = their integrals, and the empirical NTK converges. */
@ExtendWith(ClaimFailureRecorder.class)
class NtkConvergenceClaims {

    // ------------------------------------------------------------------------------------------ NTK-1

    /**
     * Tolerance of NTK-1, relative to the kernel's scale sqrt(k(x, x) k(x', x')) (which bounds |k(x, x')| by
     * Cauchy-Schwarz). Both routes are accurate to ~1e-15 of that scale:
     * <ul>
     *   <li>closed form: the q's are inner products (relative error ~ d eps); the angle comes from atan2 of
     *       |xt||xt'| sin(theta) and q12, each with absolute error ~ eps times the scale, so theta has absolute error
     *       ~ eps, and Sigma, SigmaDot are Lipschitz in theta and q with constants of order 1 relative to the scale;</li>
     *   <li>reference: Householder QR is backward stable (R accurate to ~ eps |xt|); on every panel the integrand is
     *       analytic, so Gauss-Legendre converges geometrically and the stage accepted after two stages agree to 1e-14
     *       is far more accurate than that; the sums of ~1e4 terms round to ~1e-15.</li>
     * </ul>
     * 1e-12 leaves a factor of ~100 over both. A relative error of k(x, x') itself is not achievable where the value
     * cancels to ~0 (the relu NNGP near antiparallel inputs is O((pi - theta)^3) of the scale, a difference of O(1)
     * terms), which is why the scale is the kernel's diagonal.
     */
    static final double INTEGRATION_TOLERANCE = 1e-12;

    static final Claim NTK_1 = Claim.define("NTK-1", "ntk",
            "The closed-form relu (arc-cosine) and erf (arcsine) NNGP and NTK, with and without biases and with or "
            + "without fan-in scaling, equal an independent 2-D numerical integration of E sigma(u) sigma(v) and "
            + "E sigma'(u) sigma'(v), including nearly (anti)parallel inputs.",
            "Cho and Saul 2009 (arc-cosine kernels); Williams 1997 (arcsine kernel); Jacot et al. 2018 and Lee et al. "
            + "2019 (NTK recursion); reference: QR factor + polar Gauss-Legendre integration (chapter)",
            "|k - k_ref| <= 1e-12 sqrt(k(x,x) k(x',x')): both routes are accurate to ~1e-15 of that scale");

    /** The 8 combinations of activation, biases and fan-in scaling, 5 input geometries each. */
    static Stream<Long> integrationCases() {
        return Seeds.of(40);
    }

    /**
     * NTK-1: for relu and erf, NNGP and NTK, with and without biases and fan-in scaling, the closed forms equal the
     * numerical integral of their defining expectations to {@link #INTEGRATION_TOLERANCE} of the kernel's scale
     * (Cho and Saul 2009; Williams 1997; the tolerance is derived at the constant).
     */
    // tag::kernel-claim-ntk-1[]
    @ParameterizedTest(name = "NTK-1 closed form = numerical integration [seed={0}]")
    @MethodSource("integrationCases")
    void closedFormKernelsEqualNumericalIntegration(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int index = (int) Math.floorMod(seed - Seeds.BASE, 40L);
        Activation sigma = index % 2 == 0 ? Activation.RELU : Activation.ERF;
        Double sigmaB = (index / 2) % 2 == 0 ? null : 0.1 + 0.9 * rng.nextDouble();
        boolean fanIn = (index / 4) % 2 == 0;
        String geometry = GEOMETRIES[index / 8];
        int d = 1 + rng.nextInt(8);
        double sigmaW = 0.5 + 1.5 * rng.nextDouble();
        double kW = fanIn ? sigmaW / Math.sqrt(d) : sigmaW;
        double[] x = randomInput(rng, d, kW), xPrime = partner(rng, x, kW, geometry);
        double sigmaV = 0.5 + rng.nextDouble();
        Options ntk = new Options(sigma, Kind.NTK, sigmaW, sigmaV, sigmaB, fanIn);

        // Both kernels from one reference integration of Sigma and SigmaDot
        AnalyticKernelsReference.Expectations ref =
                AnalyticKernelsReference.expectations(ntk, x, xPrime);
        double worst = 0.0;
        StringBuilder detail = new StringBuilder();
        for (Kind kind : Kind.values()) {
            Options o = ntk.withKind(kind);
            double value = AnalyticKernels.kernel(o, x, xPrime);
            double reference = assemble(o, ref);
            double scale = Math.sqrt(AnalyticKernels.kernel(o, x, x)
                    * AnalyticKernels.kernel(o, xPrime, xPrime));
            double error = Math.abs(value - reference) / scale;
            worst = Math.max(worst, error);
            detail.append(kind).append(": ").append(value)
                    .append(" vs ").append(reference).append("; ");
        }
        // Tolerance: INTEGRATION_TOLERANCE, about 100 times the accuracy of either route
        NTK_1.check(worst <= INTEGRATION_TOLERANCE,
                Claim.measure().max("maxRelativeError", worst),
                "seed " + seed + ", " + ntk + ", d=" + d + ", " + geometry + ": " + detail
                        + "relative error " + worst + " > " + INTEGRATION_TOLERANCE);
    }
    // end::kernel-claim-ntk-1[]

    static final String[] GEOMETRIES = {"random", "nearly parallel", "nearly antiparallel", "identical", "orthogonal"};

    /**
     * A Gaussian direction scaled so that kW |x| lies between 0.3 and 3 (log-uniform): the pre-activation variance
     * kW^2 |x|^2 spans two decades around 1, the range where the kernels change shape.
     */
    static double[] randomInput(SplittableRandom rng, int d, double kW) {
        double[] x = TestData.gaussian(rng, d);
        double target = Math.exp(Math.log(0.3) + Math.log(10) * rng.nextDouble()) / kW;
        double norm = AnalyticKernelsTest.norm(x);
        for (int q = 0; q < d; q++) {
            x[q] *= target / norm;
        }
        return x;
    }

    /**
     * The second input: another random one, c x + eps delta or -c x + eps delta (c in [0.5, 1.5], eps log-uniform from
     * 1e-3 down to 1e-12 of |x|), x itself, or orthogonal to x (for d &gt; 1).
     */
    static double[] partner(SplittableRandom rng, double[] x, double kW, String geometry) {
        int d = x.length;
        double[] y = randomInput(rng, d, kW);
        double c = 0.5 + rng.nextDouble(), eps = Math.pow(10, -3 - 9 * rng.nextDouble());
        double nx = AnalyticKernelsTest.norm(x), ny = AnalyticKernelsTest.norm(y);
        for (int q = 0; q < d; q++) {
            switch (geometry) {
                case "nearly parallel" -> y[q] = c * x[q] + eps * nx * y[q] / ny;
                case "nearly antiparallel" -> y[q] = -c * x[q] + eps * nx * y[q] / ny;
                case "identical" -> y[q] = x[q];
                default -> { }
            }
        }
        if (geometry.equals("orthogonal") && d > 1) {
            double proj = AnalyticKernelsTest.dot(x, y) / (nx * nx);
            for (int q = 0; q < d; q++) {
                y[q] -= proj * x[q];
            }
        }
        return y;
    }

    private static double assemble(Options o, AnalyticKernelsReference.Expectations e) {
        double sV2 = o.sigmaV() * o.sigmaV(), b2 = o.sigmaB() == null ? 0.0 : o.sigmaB() * o.sigmaB();
        double nngp = sV2 * e.sigma() + b2;
        return o.kind() == Kind.NNGP ? nngp : nngp + sV2 * e.sigmaDot() * e.q12();
    }

    // ------------------------------------------------------------------------------------------ NTK-2

    /** Widths from 10^2 to 10^5, half a decade apart: 7 points spanning 3 decades. */
    static final int[] WIDTHS = {100, 316, 1000, 3162, 10000, 31623, 100000};
    /** Independent nets per width. */
    static final int NETS = 30;
    /**
     * Slope tolerance. E (Theta_m - Theta_inf)^2 = Var(xi)/m exactly (Theta_m is the mean of m iid summands whose mean
     * is exactly the limit), so the mean square over S = 30 nets is unbiased with relative standard deviation
     * sqrt((2 + kappa/m)/S), kappa the excess kurtosis of xi (kappa/m &lt;= 0.3 at m = 100 here), and
     * log RMS has standard deviation ~ 1/sqrt(2S) = 0.13. Over seven widths half a decade apart,
     * sum (ln m_k - mean)^2 = 28 (ln 10 / 2)^2 = 37.1, so the fitted slope has standard deviation
     * 0.13 / sqrt(37.1) = 0.021 and 0.1 is 4.7 of them: a false failure has probability ~3e-6 per fit, below 1e-4
     * over the 24 fits (4 configurations x 6 input pairs), while a wrong rate (m^0 or m^-1) fails by 0.5.
     */
    static final double SLOPE_TOLERANCE = 0.1;
    /**
     * Standardised-error bound. By the central limit theorem (Theta_m - Theta_inf) / (sd(xi)/sqrt m) is about N(0, 1),
     * with sd(xi) from the analytic moments ({@link AnalyticNtkFluctuations}), not estimated; |Z| &gt; 6 has probability
     * 2e-9. The summand is skewed (it contains a_j^2, a chi-square variable), so at m = 100 the tail is heavier; a
     * chi-square sum with 100 degrees of freedom exceeds 6 standard deviations with probability ~5e-7 (Wilson-Hilferty).
     * Over the 720 checks at m = 100 (4 configurations x 6 pairs x 30 nets) and the 4320 at larger m this is below
     * 1e-3 in total.
     */
    static final double Z_BOUND = 6.0;

    /** One configuration of NTK-2: the activation and the ntk-preset constants. */
    record Config(Activation sigma, double sigmaW, double sigmaV, Double sigmaB, boolean fanIn) {
        Options options() {
            return new Options(sigma, Kind.NTK, sigmaW, sigmaV, sigmaB, fanIn);
        }

        /** The ntk preset whose empirical NTK tends to these options' kernel: without fan-in, kW = sigmaW = (sigmaW sqrt d)/sqrt d. */
        Parameterization preset(int d) {
            double sW = fanIn ? sigmaW : sigmaW * Math.sqrt(d);
            return sigmaB == null ? Parameterization.ntk(sW, sigmaV) : Parameterization.ntk(sW, sigmaV, sigmaB);
        }
    }

    /** Each activation family (closed forms and quadrature), biases on and off, fan-in scaling on and off. */
    static final Config[] CONFIGS = {
        new Config(Activation.RELU, 1.0, 1.0, 0.5, true),
        new Config(Activation.RELU, 0.8, 1.3, null, false),
        new Config(Activation.ERF, 1.2, 0.9, 0.3, false),
        new Config(Activation.TANH, 1.5, 1.1, null, true),
    };

    static final Claim NTK_2 = Claim.define("NTK-2", "ntk",
            "The empirical NTK of the ntk preset at initialisation converges to the analytic NTK: over m from 10^2 to "
            + "10^5 the RMS error over nets falls like m^(-1/2) for every input pair, and each net is within 6 "
            + "standard deviations sd(xi)/sqrt(m) of the limit (relu, erf, tanh; with and without biases and fan-in).",
            "Jacot, Gabriel, Hongler 2018, Thm. 1 (convergence at initialisation); the m^(-1/2) rate and sd(xi) from "
            + "the central limit theorem for the mean of m iid per-neuron summands (chapter)",
            "|slope + 1/2| <= 0.1 (4.7 standard errors of the fit over 30 nets x 7 widths); |Theta_m - Theta_inf| <= "
            + "6 sd(xi)/sqrt(m) with sd(xi) from the analytic moments");

    static Stream<Arguments> convergenceCases() {
        return Seeds.of(CONFIGS.length).map(seed ->
                Arguments.of(seed, CONFIGS[(int) Math.floorMod(seed - Seeds.BASE, (long) CONFIGS.length)]));
    }

    /**
     * NTK-2: the empirical NTK of the ntk preset converges to the analytic NTK at rate m^(-1/2) (Jacot et al. 2018,
     * Thm. 1, with the central limit theorem for the rate); tolerances derived at {@link #SLOPE_TOLERANCE} and
     * {@link #Z_BOUND}.
     */
    @ParameterizedTest(name = "NTK-2 empirical NTK converges at rate m^-1/2 [seed={0}, {1}]")
    @MethodSource("convergenceCases")
    void empiricalNtkConvergesToTheAnalyticKernel(long seed, Config config) {
        SplittableRandom rng = new SplittableRandom(seed);
        int d = 4, n = 3;
        double[] x = TestData.gaussian(rng, n * d);
        for (int q = 0; q < d; q++) {
            x[2 * d + q] = x[q] + 0.1 * x[2 * d + q];          // a third input near the first
        }
        Options options = config.options();
        double[] limit = AnalyticKernels.matrix(options, d, x, n, Parallelism.sequential());
        int[][] pairs = {{0, 0}, {0, 1}, {0, 2}, {1, 1}, {1, 2}, {2, 2}};
        double[] sd = new double[pairs.length];                 // sd of one neuron's summand
        SimpleRegression[] fits = new SimpleRegression[pairs.length];
        for (int p = 0; p < pairs.length; p++) {
            sd[p] = Math.sqrt(AnalyticNtkFluctuations.summandVariance(options,
                    row(x, pairs[p][0], d), row(x, pairs[p][1], d)));
            fits[p] = new SimpleRegression();
        }
        double maxZ = 0.0;
        for (int m : WIDTHS) {
            // Empirical NTK of NETS independent nets, in parallel, each into its own slot
            long[] seeds = rng.longs(NETS).toArray();
            double[][] theta = new double[NETS][];
            IntStream.range(0, NETS).parallel().forEach(s -> {
                TwoLayerNet net = TwoLayerNet.initialize(d, m, config.sigma(),
                        config.preset(d), seeds[s]);
                theta[s] = EmpiricalNtk.gram(net, net.initialParameters(), x, n,
                        Parallelism.sequential());
            });
            // tag::kernel-claim-ntk-2[]
            for (int p = 0; p < pairs.length; p++) {
                int at = pairs[p][0] * n + pairs[p][1];
                double sumSq = 0.0;
                for (int s = 0; s < NETS; s++) {
                    double error = theta[s][at] - limit[at];
                    sumSq += error * error;
                    maxZ = Math.max(maxZ, Math.abs(error) / (sd[p] / Math.sqrt(m)));
                }
                fits[p].addData(Math.log(m), 0.5 * Math.log(sumSq / NETS));  // log RMS
            }
        }
        double minSlope = Double.POSITIVE_INFINITY, maxSlope = Double.NEGATIVE_INFINITY;
        for (SimpleRegression fit : fits) {
            minSlope = Math.min(minSlope, fit.getSlope());
            maxSlope = Math.max(maxSlope, fit.getSlope());
        }
        double deviation = Math.max(Math.abs(minSlope + 0.5), Math.abs(maxSlope + 0.5));
        // Tolerances: SLOPE_TOLERANCE (4.7 standard errors of the fit) and Z_BOUND (CLT)
        NTK_2.check(deviation <= SLOPE_TOLERANCE && maxZ <= Z_BOUND,
                Claim.measure().min("minSlope", minSlope).max("maxSlope", maxSlope)
                        .max("maxStandardisedError", maxZ),
                "seed " + seed + ", " + config + ": slopes in [" + minSlope + ", "
                        + maxSlope + "] (expected -1/2 +- " + SLOPE_TOLERANCE
                        + "), largest |Theta_m - Theta_inf| / (sd/sqrt m) = " + maxZ
                        + " (bound " + Z_BOUND + ")");
                        // end::kernel-claim-ntk-2[]
    }

    private static double[] row(double[] x, int i, int d) {
        return java.util.Arrays.copyOfRange(x, i * d, i * d + d);
    }
}
