package twolayer.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The SIMD tanh kernel and its scalar twin give {@link StrictMath#tanh}'s bits in every entry: on random inputs of
 * magnitude 1e-20 to 1e3, at every threshold of fdlibm's tanh and of the part of its expm1 that tanh reaches (a few
 * ulp either side), on signed zeros, subnormals, infinities and NaN, and on ranges of every length around the
 * vector length, in place and out of place, without writing outside the range.
 *
 * <p>Controls, each done once by hand in the SIMD kernel and then undone: dropping the correction term c of
 * expm1 ({@code r (e - c) - c} as {@code r e}) failed the random, threshold and range tests; moving the lower
 * reduction threshold (high word 0x3fd62e43 to 0x3fd62e44) failed the threshold test. Moving the k = -1 threshold
 * (0x3ff0a2b2 to 0x3ff0a2b3) passed until the 2000 random points near each threshold were added (the 17 neighbours
 * alone miss the affected interval, a relative 7e-7 wide); moving expm1's k &gt; 56 or k &lt; 20 switches by one
 * passed every tanh test, as tanh rounds those differences away near 1, so expm1 is tested by itself: the first
 * fails on its random points, the second only on the two pinned arguments there.
 */
class TanhTwinsTest {

    private static final double LN2 = Math.log(2);
    /** Random points near each threshold. */
    private static final int NEAR = 2000;

    /**
     * Waits for the background warm-up to have the SIMD kernel compiled (the expm1 entry runs the same compiled
     * method): run cold, the vector API is interpreted and the large arrays below take a minute instead of seconds.
     */
    @BeforeAll
    static void warmUp() throws InterruptedException {
        if (Tanh.selected() instanceof TanhKernels.Warming w) {
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (!w.warm() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        }
    }

    @Test
    void theSimdKernelIsSelectedUnderTheBuild() throws InterruptedException {
        // the build runs the tests with the vector module; without it this class would compare the twin with itself
        assertTrue(Kernels.vectorModulePresent(), "the tests must run with --add-modules jdk.incubator.vector");
        assertTrue(Tanh.simd() != null, "the SIMD tanh must be selected when the module is present");
        assertEquals("twolayer.linalg.VectorTanh", Tanh.simd().getClass().getName());
        TanhKernels.Warming w = assertInstanceOf(TanhKernels.Warming.class, Tanh.selected());
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!w.warm() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(w.warm(), "the SIMD tanh warm-up did not finish within a minute");
    }

    @Test
    void randomInputsOfEveryScale() {
        SplittableRandom rng = new SplittableRandom(41);
        double[] x = new double[1 << 19];
        for (int round = 0; round < 4; round++) {
            for (int q = 0; q < x.length; q++) {
                // log-uniform magnitude from 1e-20 to 1e3, either sign
                x[q] = (rng.nextBoolean() ? 1 : -1) * Math.pow(10, rng.nextDouble(-20, 3));
            }
            checkAll(x, "random round " + round);
        }
        // the range where the hidden layer lives, uniformly
        for (int q = 0; q < x.length; q++) {
            x[q] = rng.nextDouble(-25, 25);
        }
        checkAll(x, "uniform on (-25, 25)");
    }

    @Test
    void everyBranchThresholdAndItsNeighbours() {
        List<Double> points = new ArrayList<>(List.of(
                0x1p-55,                          // tanh: x (1 + x) below
                0x1p-28, 0x1p-54,                 // earlier fdlibm versions' small-argument cut-offs
                1.0,                              // tanh: expm1(-2|x|) below, expm1(2|x|) from here
                22.0,                             // tanh: 1 from here
                // expm1's reduction thresholds on u = -+2|x| (high words 0x3fd62e42, 0x3ff0a2b2), halved
                Double.longBitsToDouble(0x3fd62e43_00000000L) / 2,
                Double.longBitsToDouble(0x3ff0a2b2_00000000L) / 2,
                0.25 * LN2, 0.75 * LN2,           // 0.5 ln2 and 1.5 ln2 themselves, halved
                Double.longBitsToDouble(0x4043687a_00000000L) / 2, 28 * LN2));  // 56 ln2, halved
        // k = trunc(u / ln2 +- 1/2) changes at u = (k - 1/2) ln2: k = 2 .. 64 for u > 0, -2 / -3 for u < 0;
        // k = 20 and k = 57 switch expm1's reconstruction
        for (int k = 2; k <= 64; k++) {
            points.add((k - 0.5) * LN2 / 2);
        }
        points.add(2.5 * LN2 / 2);
        // each point and its 8 neighbours either side, then 2000 random points within a relative 1e-6 of it (a
        // threshold's high word is coarser than an ulp: one unit of it is about 1e-6 relative)
        SplittableRandom rng = new SplittableRandom(45);
        int perSide = 17 + NEAR;
        double[] x = new double[points.size() * 2 * perSide];
        int q = 0;
        for (double p : points) {
            for (double sign : new double[] {1, -1}) {
                double v = p;
                for (int step = 0; step < 8; step++) {
                    v = Math.nextDown(v);
                }
                for (int step = 0; step < 17; step++) {
                    x[q++] = sign * v;
                    v = Math.nextUp(v);
                }
                for (int step = 0; step < NEAR; step++) {
                    x[q++] = sign * p * (1 + rng.nextDouble(-1e-6, 1e-6));
                }
            }
        }
        checkAll(x, "thresholds");
    }

    @Test
    void theSimdExpm1MatchesStrictMathOnTheArgumentsTanhGivesIt() {
        // near 1, tanh rounds away most of expm1's last bits (for k >= 20, 2 / (t + 2) is below 2^-19), so the
        // reconstruction branches of expm1 are checked on expm1 itself: u = -2|x| in (-2, -2^-54], u = 2|x| in [2, 44)
        SplittableRandom rng = new SplittableRandom(49);
        List<Double> u = new ArrayList<>();
        for (int q = 0; q < 400_000; q++) {
            u.add(rng.nextBoolean() ? -Math.pow(2, rng.nextDouble(-54, 1)) : rng.nextDouble(2, 44));
        }
        List<Double> edges = new ArrayList<>(List.of(-0x1p-54, -2.0, 2.0, 43.99,
                -Double.longBitsToDouble(0x3fd62e43_00000000L), -Double.longBitsToDouble(0x3ff0a2b2_00000000L),
                -0.5 * LN2, -1.5 * LN2, 56 * LN2));
        for (int k = -3; k <= 64; k++) {
            edges.add((k + (k < 0 ? 0.5 : -0.5)) * LN2);
        }
        for (double e : edges) {
            for (int q = 0; q < NEAR; q++) {
                double v = q < 17 ? e + (q - 8) * Math.ulp(e) : e * (1 + rng.nextDouble(-1e-6, 1e-6));
                if (v <= -0x1p-54 && v > -2 || v >= 2 && v < 44) {
                    u.add(v);
                }
            }
        }
        // two u with k = 20 where fdlibm's reconstructions for k < 20 and for k >= 20 round differently (found by a
        // search over 6.5 million u in [19.5 ln2, 20.5 ln2); the two agree almost everywhere else)
        u.add(0x1.b2688c627e661p3);
        u.add(0x1.bd8ddf42833b8p3);
        int vectors = 64;                                   // a multiple of any vector length
        double[] x = new double[(u.size() + vectors - 1) / vectors * vectors];
        Arrays.fill(x, 3.0);
        for (int q = 0; q < u.size(); q++) {
            x[q] = u.get(q);
        }
        double[] y = new double[x.length];
        VectorTanh.expm1(x, 0, y, 0, x.length);
        for (int q = 0; q < x.length; q++) {
            assertEquals(bits(StrictMath.expm1(x[q])), bits(y[q]), "expm1 at u = " + x[q] + " (" + Double.toHexString(x[q]) + ")");
        }
    }

    @Test
    void specialValuesKeepTheirSign() {
        double[] x = {0.0, -0.0, Double.NaN, -Double.NaN, Double.longBitsToDouble(0x7ff0_0000_0000_0001L),
            Double.longBitsToDouble(0xfff8_0000_dead_beefL), Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
            Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL, -Double.MIN_NORMAL, Math.nextDown(Double.MIN_NORMAL),
            Double.MAX_VALUE, -Double.MAX_VALUE, 1e-300, -1e-300, 710, -710, 1e300, -1e300};
        checkAll(x, "special values");
        SplittableRandom rng = new SplittableRandom(43);
        double[] sub = new double[4096];
        for (int q = 0; q < sub.length; q++) {
            sub[q] = (rng.nextBoolean() ? 1 : -1) * Double.MIN_NORMAL * rng.nextDouble();
        }
        checkAll(sub, "subnormals");
        // -0.0 stays -0.0 and +0.0 stays +0.0, in the vector lanes and in the tail
        double[] zeros = new double[35];
        for (int k = 0; k < zeros.length; k++) {
            zeros[k] = k % 2 == 0 ? 0.0 : -0.0;
        }
        for (Tanh t : new Tanh[] {Tanh.simd(), Tanh.scalar()}) {
            double[] out = new double[zeros.length];
            t.tanh(zeros, 0, out, 0, zeros.length);
            for (int k = 0; k < zeros.length; k++) {
                assertEquals(Double.doubleToRawLongBits(zeros[k]), Double.doubleToRawLongBits(out[k]), "zero " + k);
            }
        }
    }

    @Test
    void rangesOfEveryLengthInPlaceAndOutOfPlaceStayInTheirRange() {
        SplittableRandom rng = new SplittableRandom(47);
        for (int length = 0; length <= 70; length++) {
            for (int off = 0; off < 3; off++) {
                double[] src = new double[off + length + 2];
                for (int q = 0; q < src.length; q++) {
                    src[q] = rng.nextGaussian() * 3;
                }
                for (Tanh t : new Tanh[] {Tanh.simd(), Tanh.scalar(), Tanh.selected()}) {
                    int dstOff = (off + 1) % 3;
                    double[] dst = new double[dstOff + length + 2];
                    Arrays.fill(dst, SENTINEL);
                    t.tanh(src, off, dst, dstOff, length);
                    double[] inPlace = src.clone();
                    t.tanh(inPlace, off, inPlace, off, length);
                    for (int q = 0; q < dst.length; q++) {
                        boolean inside = q >= dstOff && q < dstOff + length;
                        double expected = inside ? StrictMath.tanh(src[q - dstOff + off]) : SENTINEL;
                        assertEquals(bits(expected), bits(dst[q]), t + " length " + length + ", entry " + q);
                    }
                    for (int q = 0; q < src.length; q++) {
                        boolean inside = q >= off && q < off + length;
                        double expected = inside ? StrictMath.tanh(src[q]) : src[q];
                        assertEquals(bits(expected), bits(inPlace[q]), t + " in place, length " + length + ", entry " + q);
                    }
                }
            }
        }
    }

    private static final double SENTINEL = 12345.678;

    /** Both kernels on the whole array against StrictMath.tanh, entry by entry. */
    private static void checkAll(double[] x, String what) {
        double[] simd = new double[x.length], twin = new double[x.length];
        Tanh.simd().tanh(x, 0, simd, 0, x.length);
        Tanh.scalar().tanh(x, 0, twin, 0, x.length);
        for (int q = 0; q < x.length; q++) {
            long expected = bits(StrictMath.tanh(x[q]));
            if (expected != bits(simd[q]) || expected != bits(twin[q])) {
                assertEquals(expected, bits(simd[q]), what + ": SIMD at x = " + x[q] + " (" + Double.toHexString(x[q]) + ")");
                assertEquals(expected, bits(twin[q]), what + ": scalar twin at x = " + x[q]);
            }
        }
    }

    /** The bits of v, every NaN as the canonical NaN (Java does not fix which NaN payload survives). */
    private static long bits(double v) {
        return Double.doubleToLongBits(v);
    }
}
