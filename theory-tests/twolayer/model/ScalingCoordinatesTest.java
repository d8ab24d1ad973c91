package twolayer.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import twolayer.data.Dataset;
import twolayer.ledger.Seeds;

/**
 * The coordinate systems of the scalings chapter: Luo (gamma, gamma'), Golikov (q_sigma, q~_a, q~_w), abc; their
 * exact conversions, the presets' coordinates (the scalings chapter's table), and the two classifiers.
 */
class ScalingCoordinatesTest {

    /** Exponents are sums of halves and quarters: exact in binary, so conversions agree to the last bit or near. */
    private static final double EXACT = 1e-12;

    @Test
    void luoPresetHasKappaAndKappaPrimeExactlyAtEveryWidth() {
        double gamma = 1.3, gammaPrime = -0.4;
        Parameterization p = Parameterization.luo(gamma, gammaPrime);
        for (int m : new int[] {1, 7, 256, 16384}) {
            LuoScales s = LuoScales.of(p, m, 2);
            assertEquals(1.0, s.luoAlpha(), 0.0, "the gauge luoAlpha = 1");
            assertEquals(Math.pow(m, -(gamma + gammaPrime) / 2), s.beta1(), 1e-15 * s.beta1() + 1e-300);
            assertEquals(1.0, s.kappa() / Math.pow(m, -gamma), 1e-13, "kappa = m^-gamma at m = " + m);
            assertEquals(1.0, s.kappaPrime() / Math.pow(m, -gammaPrime), 1e-13, "kappa' = m^-gamma' at m = " + m);
        }
        assertClose(new LuoCoordinates(gamma, gammaPrime), p.luoCoordinates());
    }

    @Test
    void luoRawFormReturnsItsTripleAndTrainsBothLayersAtRateOne() {
        Parameterization p = Parameterization.luoRaw(3.0, 0.5, 2.0);
        LuoScales s = LuoScales.of(p, 100, 3);
        assertEquals(3.0, s.luoAlpha(), 1e-15);
        assertEquals(0.5, s.beta1(), 1e-15);
        assertEquals(2.0, s.beta2(), 1e-15);
        assertEquals(0.5 * 2.0 / 3.0, s.kappa(), 1e-15);
        TwoLayerNet net = TwoLayerNet.initialize(3, 100, Activation.RELU, p, 1L);
        assertEquals(1.0 / 3.0, net.multiplier(Group.A), 1e-16);
        assertEquals(1.0, net.rate(Group.A), 0.0);
        assertEquals(1.0, net.rate(Group.W), 0.0);
        assertEquals(0, net.count(Group.B), "the bias is folded into w through the constant input");
    }

    /**
     * The lazy scale L multiplies the output and divides both rates by L^2. On luoRaw(3, 1/2, 2) it gives
     * f = (L/3) sum a sigma(w . x) at rate 1/L^2, which is luoRaw(3/L, 1/2, 2) run on the clock t / L^2: L moves
     * only luoAlpha (and kappa), not beta1, beta2 or kappa'.
     */
    @Test
    void lazyScaleDividesLuoAlphaOnly() {
        for (double lazy : new double[] {0.25, 4.0, 10.0}) {
            LuoScales s = LuoScales.of(Parameterization.luoRaw(3.0, 0.5, 2.0).withLazyScale(lazy), 100, 3);
            assertEquals(3.0 / lazy, s.luoAlpha(), 1e-15 * 3.0 / lazy, "luoAlpha at L = " + lazy);
            assertEquals(0.5, s.beta1(), 1e-15, "beta1 at L = " + lazy);
            assertEquals(2.0, s.beta2(), 1e-15, "beta2 at L = " + lazy);
            assertEquals(0.25, s.kappaPrime(), 1e-15, "kappa' at L = " + lazy);
            assertEquals(lazy / 3.0, s.kappa(), 1e-15 * lazy, "kappa at L = " + lazy);
        }
    }

    @Test
    void constantInputFoldsTheBiasIntoW() {
        Dataset data = new Dataset(new double[] {1, 2, 3, 4}, new double[] {5, 6}, 2, 2).withConstantInput();
        assertEquals(3, data.d());
        assertEquals(1.0, data.x(0, 2), 0.0);
        assertEquals(4.0, data.x(1, 1), 0.0);
        assertEquals(6.0, data.y(1), 0.0);
    }

    /** Each preset's Luo and Golikov coordinates (Luo et al. 2021, Golikov 2020, Yang and Hu 2021). */
    // tag::model-preset-coordinates[]
    @ParameterizedTest(name = "{0}: Luo ({1}, {2}), Golikov ({3}, {4}, {5})")
    @CsvSource({
            "ntk,               0.5, 0,   -0.5, 0,   0",
            "standardNtkRates,  0.5, 0,   -0.5, 0,   0",
            "meanField,         1,   0,   -1,   1,   1",
            "muP,               1,   0,   -1,   1,   1",
            "standard,          0.5, 0.5, -0.5, 1,   0",
            "symDefault,        0.5, 0,   -0.5, 0.5, 0.5",
            "icMf,              1,   0,   -1,   1,   1",
            "lazyNtk,           0.5, 0,   -0.5, 0,   0"})
    void presetsHaveTheirPublishedCoordinates(String preset, double gamma, double gammaPrime,
                                              double qSigma, double qTildeA, double qTildeW) {
        Parameterization p = switch (preset) {
            case "ntk" -> Parameterization.ntk(1.2, 0.8, 0.1);
            case "standardNtkRates" -> Parameterization.standardWithNtkRates(1.2, 0.8, 0.1);
            case "meanField" -> Parameterization.meanField();
            case "muP" -> Parameterization.muP();
            case "standard" -> Parameterization.standard(1, 1, 0);
            case "symDefault" -> Parameterization.golikov(-0.5, 0.5, 0.5);
            case "icMf" -> Parameterization.initCorrectedMeanField();
            case "lazyNtk" -> Parameterization.ntk(1, 1).withLazyScale(10.0);
            default -> throw new IllegalArgumentException(preset);
        };
        LuoCoordinates luo = p.luoCoordinates();
        assertEquals(gamma, luo.gamma(), EXACT, "gamma");
        assertEquals(gammaPrime, luo.gammaPrime(), EXACT, "gamma'");
        GolikovExponents g = p.golikovExponents();
        assertEquals(qSigma, g.qSigma(), EXACT, "q_sigma");
        assertEquals(qTildeA, g.qTildeA(), EXACT, "q~_a");
        assertEquals(qTildeW, g.qTildeW(), EXACT, "q~_w");
    }
    // end::model-preset-coordinates[]

    @Test
    void yangHuFeatureLearningExponent() {
        assertEquals(0.5, Parameterization.ntk(1, 1).abcExponents().r(), EXACT, "ntk is a kernel regime");
        assertEquals(0.0, Parameterization.meanField().abcExponents().r(), EXACT, "mean field learns features");
        assertEquals(0.0, Parameterization.muP().abcExponents().r(), EXACT, "muP learns features");
        assertEquals(new AbcExponents(-0.5, 0.5, 0.5, 0.5, 0, 0), Parameterization.muP().abcExponents());
        assertEquals(Parameterization.muP().abcExponents(), Parameterization.meanField().abcExponents().shifted(-0.5),
                "muP is mean field under the abc symmetry theta = -1/2");
        assertThrows(IllegalStateException.class, () -> new AbcExponents(0, 0, 0, 0, 1, 0).r());
    }

    static java.util.stream.Stream<Long> randomCases() {
        return Seeds.of(20);
    }

    /** Every route between the three coordinate systems gives the same point, for random exponents. */
    @ParameterizedTest(name = "conversions commute [seed={0}]")
    @MethodSource("randomCases")
    void conversionsCommuteAndInvert(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        AbcExponents abc = new AbcExponents(quarter(rng), quarter(rng), quarter(rng), quarter(rng), quarter(rng),
                quarter(rng));
        LuoCoordinates luo = abc.toLuo();
        assertClose(luo, abc.toGolikov().toLuo());
        assertClose(luo, abc.shifted(quarter(rng)).toLuo());
        assertClose(luo, abc.parameterization().luoCoordinates());
        GolikovExponents g = abc.toGolikov();
        assertClose(g, abc.shifted(quarter(rng)).toGolikov());
        assertClose(g, g.toAbc().toGolikov());
        assertClose(g, g.parameterization(64).golikovExponents());
        assertClose(luo, luo.toAbc().toLuo());
        assertClose(luo, luo.toGolikov(quarter(rng)).toLuo());
        assertClose(luo, luo.parameterization().luoCoordinates());
    }

    /**
     * The exponent formula against the definition: gamma = -d log kappa / d log m computed from the Luo triple at two
     * widths, for parameterisations with random coefficients (which drop out of the slope) and exponents.
     */
    @ParameterizedTest(name = "gamma = -dlog kappa/dlog m [seed={0}]")
    @MethodSource("randomCases")
    void exponentsAgreeWithFiniteDifferenceSlopesOfKappa(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Scale[] s = new Scale[6];
        for (int k = 0; k < 6; k++) {
            s[k] = new Scale(0.2 + rng.nextDouble(), quarter(rng), rng.nextBoolean() ? 0.5 : 0);
        }
        Scale one = Scale.constant(1);
        int mRef = 1 + rng.nextInt(100);
        Parameterization p = new Parameterization("random", s[0], s[1], one, one, s[2], s[3], one, one, s[4], s[5],
                one, one, mRef, false, false, false, Offset.NONE, null, 0.5 + rng.nextDouble());
        int m1 = 50, m2 = 5000, d = 3;
        LuoScales l1 = LuoScales.of(p, m1, d), l2 = LuoScales.of(p, m2, d);
        double logRatio = Math.log((double) m2 / m1);
        LuoCoordinates luo = p.luoCoordinates();
        assertEquals(luo.gamma(), -Math.log(l2.kappa() / l1.kappa()) / logRatio, 1e-10, "gamma");
        assertEquals(luo.gammaPrime(), -Math.log(l2.kappaPrime() / l1.kappaPrime()) / logRatio, 1e-10, "gamma'");
    }

    @ParameterizedTest(name = "({0}, {1}) is {2}")
    @CsvSource({
            "0.5,  0,    LINEAR",
            "0.5,  0.5,  LINEAR",
            "0.75, -0.25, LINEAR",
            "1.25, 0.75, LINEAR",
            "1.5,  1.25, LINEAR",
            "1,    0,    CRITICAL",
            "1,    -0.5, CRITICAL",
            "1.5,  0.5,  CRITICAL",
            "3,    2,    CRITICAL",
            "1.5,  0,    CONDENSED",
            "2,    0,    CONDENSED",
            "1.75, 0.25, CONDENSED",
            "1.5,  -1,   CONDENSED",
            "4,    0,    CONDENSED",
            "1,    0.5,  LINEAR"})
    void luoRegimeFollowsTheoremsOneAndTwo(double gamma, double gammaPrime, Regime expected) {
        assertEquals(expected, new LuoCoordinates(gamma, gammaPrime).regime());
    }

    @Test
    void regimeToleranceWidensTheCriticalBand() {
        LuoCoordinates nearMf = new LuoCoordinates(1.03, 0.0);
        assertEquals(Regime.CONDENSED, nearMf.regime(0.01));
        assertEquals(Regime.CRITICAL, nearMf.regime(0.05));
        assertEquals(Regime.LINEAR, new LuoCoordinates(0.97, 0.0).regime(0.01));
        assertEquals(Regime.CRITICAL, new LuoCoordinates(0.1 + 0.2 + 0.7, 0.0).regime(), "round-off is on the line");
        assertEquals(Regime.CRITICAL, Parameterization.meanField().luoCoordinates().regime());
        assertEquals(Regime.LINEAR, Parameterization.ntk(1, 1).luoCoordinates().regime());
    }

    /** Golikov's named scalings and an example point of each of the 13 regions (his code's list of cases). */
    @ParameterizedTest(name = "golikov({0}, {1}) in {2}")
    @CsvSource({
            "-1,    1,     MEAN_FIELD",
            "-0.5,  0,     NTK",
            "-0.5,  0.5,   SYM_DEFAULT",
            "-0.75, 0.5,   MF_NTK_SEGMENT",
            "-0.5,  0.25,  NTK_SYM_DEFAULT_SEGMENT",
            "-0.75, 0.75,  SYM_DEFAULT_MF_SEGMENT",
            "-1.5,  1.5,   POST_MF_RAY",
            "0,     0,     PRE_SYM_DEFAULT_RAY",
            "-1,    0.5,   POST_NTK_RAY",
            "0,     -0.5,  PRE_NTK_RAY",
            "-0.66, 0.5,   TRIANGLE",
            "-1,    0.75,  POST_MF_NTK",
            "0,     -0.25, PRE_NTK_SYM_DEFAULT",
            "-0.5,  1,     UNSTABLE",
            "-1,    -0.25, TRIVIAL"})
    void golikovRegionsOfTheDiagonal(double qSigma, double qTilde, GolikovRegion expected) {
        GolikovExponents g = new GolikovExponents(qSigma, qTilde, qTilde);
        assertEquals(expected, g.region(1e-9));
        assertEquals(g.a() + g.c() + 0.5, g.b(), EXACT, "B = A + C + 1/2 on the diagonal");
    }

    @Test
    void golikovDefaultIsUnstableInTheInputAndOutputLayersDifferently() {
        GolikovExponents def = Parameterization.golikov(-0.5, 1, 0).golikovExponents();
        assertEquals(0.0, def.a(), EXACT);
        assertEquals(1.0, def.b(), EXACT);
        assertEquals(0.5, def.cA(), EXACT);
        assertEquals(-0.5, def.cW(), EXACT);
        assertEquals(GolikovRegion.UNSTABLE, def.region(1e-9));
    }

    @Test
    void golikovPresetIsTheReferenceNetAtTheReferenceWidth() {
        int mRef = 64, d = 5;
        Parameterization ref = Parameterization.standard(1, 1, 0).withBiases(false, false);
        for (double[] q : new double[][] {{-1, 1, 1}, {-0.5, 0, 0}, {-0.75, 0.2, -0.3}}) {
            Parameterization p = Parameterization.golikov(q[0], q[1], q[2], mRef);
            for (Group g : new Group[] {Group.A, Group.W}) {
                assertEquals(ref.initStd(g).at(mRef, 1, d), p.initStd(g).at(mRef, mRef, d), 1e-16, "s_" + g);
                assertEquals(1.0, p.rate(g).at(mRef, mRef, d), 0.0, "rho_" + g);
                assertEquals(1.0, p.multiplier(g).at(mRef, mRef, d), 0.0, "k_" + g);
            }
        }
    }

    @Test
    void initCorrectedMeanFieldStartsAtTheReferenceOutput() {
        int d = 3, m = 512, mRef = 32;
        Parameterization ic = Parameterization.initCorrectedMeanField(mRef);
        TwoLayerNet net = TwoLayerNet.initialize(d, m, Activation.RELU, ic, 5L);
        TwoLayerNet mf = TwoLayerNet.initialize(d, m, Activation.RELU, Parameterization.golikov(-1, 1, 1, mRef), 5L);
        TwoLayerNet ref = TwoLayerNet.initialize(d, m, Activation.RELU, Parameterization.golikov(-0.5, 0, 0, mRef), 5L);
        double[] x = {0.4, -1.1, 0.7};
        double fIc = net.output(net.initialParameters(), x);
        assertEquals(ref.output(ref.initialParameters(), x), fIc, 1e-14);
        assertEquals(Math.sqrt((double) m / mRef) * mf.output(mf.initialParameters(), x), fIc, 1e-12,
                "f_ref(theta0) = sqrt(m / mRef) f_MF(theta0) on the same draw");
    }

    @Test
    void badExponentsNameTheField() {
        assertMessage(() -> Parameterization.luoRaw(0, 1, 1), "luoAlpha");
        assertMessage(() -> Parameterization.luoRaw(1, -1, 1), "beta1");
        assertMessage(() -> Parameterization.luo(Double.NaN, 0), "gamma");
        assertMessage(() -> Parameterization.golikov(0, 0, 0, 0), "mRef");
        assertMessage(() -> new LuoCoordinates(1, 0).regime(-1), "tolerance");
        assertMessage(() -> LuoScales.of(Parameterization.ntk(1, 1).withRates(Scale.constant(0), Scale.constant(1),
                Scale.constant(1), Scale.constant(1)), 10, 2), "eta_A");
    }

    private static double quarter(SplittableRandom rng) {
        return (rng.nextInt(17) - 8) / 4.0;
    }

    private static void assertClose(LuoCoordinates expected, LuoCoordinates actual) {
        assertEquals(expected.gamma(), actual.gamma(), EXACT, "gamma: " + expected + " vs " + actual);
        assertEquals(expected.gammaPrime(), actual.gammaPrime(), EXACT, "gamma': " + expected + " vs " + actual);
    }

    private static void assertClose(GolikovExponents expected, GolikovExponents actual) {
        assertEquals(expected.qSigma(), actual.qSigma(), EXACT, expected + " vs " + actual);
        assertEquals(expected.qTildeA(), actual.qTildeA(), EXACT, expected + " vs " + actual);
        assertEquals(expected.qTildeW(), actual.qTildeW(), EXACT, expected + " vs " + actual);
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable call, String field) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(field), "message should name '" + field + "': " + e.getMessage());
    }
}
