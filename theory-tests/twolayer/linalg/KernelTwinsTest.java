package twolayer.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The SIMD products and their scalar twins give the same bits, and both equal a naive triple loop that sums
 * each output in the documented k order. Shapes cover sizes below, at and above the vector width and the
 * register blocks; values include zeros of both signs, subnormals, huge values, NaN and infinities.
 */
class KernelTwinsTest {

    private static final int[] DIMS = {1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 64, 67};

    @Test
    void theSimdKernelsAreSelectedUnderTheBuild() {
        // the build runs the tests with the vector module; without it this class would compare the twin with itself
        assertTrue(Kernels.vectorModulePresent(), "the tests must run with --add-modules jdk.incubator.vector");
        assertTrue(Kernels.vectorized(), "the SIMD products must be selected when the module is present");
        assertTrue(Kernels.simd() != null && Kernels.simd() != Kernels.scalar(), "the SIMD kernels themselves");
    }

    @Test
    void fourWayTwinsAndNaiveLoopAgreeBitForBit() {
        compareAll(true, new SplittableRandom(11), false);
        compareAll(true, new SplittableRandom(12), true);
    }

    @Test
    void sequentialTwinsAndNaiveLoopAgreeBitForBit() {
        compareAll(false, new SplittableRandom(21), false);
        compareAll(false, new SplittableRandom(22), true);
    }

    @Test
    void signedZerosSurviveAsTheScalarSumLeavesThem() {
        // all terms -0.0 * +x: the scalar sum starting at +0.0 gives +0.0, never -0.0
        for (boolean fourWay : new boolean[] {true, false}) {
            int rows = 3, inner = 6, cols = 2 * 8 + 3;
            double[] a = new double[rows * inner], b = new double[inner * cols];
            java.util.Arrays.fill(a, -0.0);
            java.util.Arrays.fill(b, 1.5);
            double[] c = run(Kernels.simd(), fourWay, a, b, rows, inner, cols, 0, 0, 0);
            for (int q = 0; q < rows * cols; q++) {
                assertEquals(Double.doubleToRawLongBits(0.0), Double.doubleToRawLongBits(c[q]), "entry " + q);
            }
        }
    }

    @Test
    void stridedSequentialTwinsAndNaiveLoopAgreeBitForBitAndStayInTheirBlock() {
        // blocks of larger matrices (leading dimensions above the block's width), as the Gram's upper triangle uses
        stridedTwinsAgree(false, new SplittableRandom(31));
    }

    /**
     * A sum done in consecutive blocks of terms, the first by productSequential and the rest by
     * productSequentialAdd, has the bits of the one-pass naive loop, in both implementations, with cuts at random
     * places (empty blocks included) and blocks longer than the SIMD product's passes of 128 terms. A control: an Add
     * that restarts its sums at +0.0 fails here.
     */
    @Test
    void sumsResumedBlockByBlockHaveTheBitsOfOnePass() {
        SplittableRandom rng = new SplittableRandom(33);
        for (boolean specials : new boolean[] {false, true}) {
            for (int rows : new int[] {1, 4, 5, 9, 64}) {
                for (int inner : new int[] {1, 2, 7, 130, 600, 1100}) {
                    for (int cols : new int[] {1, 3, 9, 33, 100}) {
                        int lda = inner + rng.nextInt(3), ldb = cols + rng.nextInt(3), ldc = cols + rng.nextInt(3);
                        double[] a = values(rng, rows * lda, specials), b = values(rng, inner * ldb, specials);
                        int cut1 = rng.nextInt(inner + 1), cut2 = cut1 + rng.nextInt(inner - cut1 + 1);
                        for (Products p : new Products[] {Kernels.simd(), Kernels.scalar()}) {
                            double[] c = new double[rows * ldc];
                            java.util.Arrays.fill(c, SENTINEL);
                            p.productSequential(a, 0, lda, b, 0, ldb, c, 0, ldc, rows, cut1, cols);
                            p.productSequentialAdd(a, cut1, lda, b, cut1 * ldb, ldb, c, 0, ldc, rows, cut2 - cut1, cols);
                            p.productSequentialAdd(a, cut2, lda, b, cut2 * ldb, ldb, c, 0, ldc, rows, inner - cut2, cols);
                            for (int r = 0; r < rows; r++) {
                                for (int col = 0; col < ldc; col++) {
                                    double expected = SENTINEL;
                                    if (col < cols) {
                                        expected = 0.0;
                                        for (int k = 0; k < inner; k++) {
                                            expected = expected + a[r * lda + k] * b[k * ldb + col];
                                        }
                                    }
                                    assertEquals(bits(expected), bits(c[r * ldc + col]), p.getClass().getSimpleName()
                                            + " " + rows + "x" + inner + "x" + cols + " cut at " + cut1 + ", " + cut2
                                            + (specials ? " with special values" : "") + ": entry " + r + ", " + col);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void stridedFourWayTwinsAndNaiveLoopAgreeBitForBitAndStayInTheirBlock() {
        // blocks of inputs of the pre-activation product: B and C are column blocks of wider matrices
        stridedTwinsAgree(true, new SplittableRandom(32));
    }

    private static void stridedTwinsAgree(boolean fourWay, SplittableRandom rng) {
        // inner dimensions past 512 cover the SIMD product's passes over blocks of k
        int[] inners = java.util.stream.IntStream.concat(java.util.Arrays.stream(DIMS),
                java.util.stream.IntStream.of(513, 700, 1025)).toArray();
        for (boolean specials : new boolean[] {false, true}) {
            for (int rows : new int[] {1, 3, 4, 5, 6, 8, 9, 10, 13, 32, 64}) {
                for (int inner : inners) {
                    for (int cols : DIMS) {
                        int lda = inner + rng.nextInt(3), ldb = cols + rng.nextInt(3), ldc = cols + rng.nextInt(3);
                        int aOff = rng.nextInt(3), bOff = rng.nextInt(3), cOff = rng.nextInt(3);
                        double[] a = values(rng, aOff + rows * lda, specials);
                        double[] b = values(rng, bOff + inner * ldb, specials);
                        String shape = (fourWay ? "four-way " : "") + "strided " + rows + "x" + inner + "x" + cols + " (" + lda + ", " + ldb + ", "
                                + ldc + ")" + (specials ? " with special values" : "");
                        double[] simd = new double[cOff + rows * ldc + 2], twin = new double[simd.length];
                        java.util.Arrays.fill(simd, SENTINEL);
                        java.util.Arrays.fill(twin, SENTINEL);
                        for (Products p : new Products[] {Kernels.simd(), Kernels.scalar()}) {
                            double[] out = p == Kernels.simd() ? simd : twin;
                            if (fourWay) {
                                p.productFourWay(a, aOff, lda, b, bOff, ldb, out, cOff, ldc, rows, inner, cols);
                            } else {
                                p.productSequential(a, aOff, lda, b, bOff, ldb, out, cOff, ldc, rows, inner, cols);
                            }
                        }
                        for (int q = 0; q < simd.length; q++) {
                            int r = (q - cOff) / ldc, col = (q - cOff) % ldc;
                            boolean inside = q >= cOff && r < rows && col < cols;
                            double expected = SENTINEL;
                            if (inside) {
                                double[] sum = new double[4];
                                int full = fourWay ? inner / 4 * 4 : 0;
                                for (int k = 0; k < inner; k++) {
                                    int acc = k < full ? k % 4 : 0;
                                    sum[acc] = sum[acc] + a[aOff + r * lda + k] * b[bOff + k * ldb + col];
                                }
                                expected = fourWay ? (sum[0] + sum[1]) + (sum[2] + sum[3]) : sum[0];
                            }
                            assertEquals(bits(expected), bits(twin[q]), shape + ": scalar twin, entry " + q);
                            assertEquals(bits(expected), bits(simd[q]), shape + ": SIMD, entry " + q);
                        }
                    }
                }
            }
        }
    }

    /**
     * The sequential product with the left operand read down the columns of its transpose: SIMD, twin and the
     * naive loop agree bit for bit, for inner dimensions that span several of the SIMD kernel's passes, and entries
     * of C outside the block are left alone.
     */
    @Test
    void transposedLeftOperandTwinsAndNaiveLoopAgreeBitForBit() {
        SplittableRandom rng = new SplittableRandom(51);
        for (boolean specials : new boolean[] {false, true}) {
            for (int rows : new int[] {1, 3, 4, 6, 7, 9, 10, 64}) {
                for (int inner : new int[] {1, 5, 17, 256, 257, 600}) {
                    for (int cols : new int[] {1, 9, 16, 33, 67}) {
                        int ldat = rows + rng.nextInt(3), ldb = cols + rng.nextInt(3), ldc = cols + rng.nextInt(3);
                        int atOff = rng.nextInt(3), bOff = rng.nextInt(3), cOff = rng.nextInt(3);
                        double[] at = values(rng, atOff + inner * ldat, specials);
                        double[] b = values(rng, bOff + inner * ldb, specials);
                        double[] simd = new double[cOff + rows * ldc + 2], twin = new double[simd.length];
                        java.util.Arrays.fill(simd, SENTINEL);
                        java.util.Arrays.fill(twin, SENTINEL);
                        Kernels.simd().productSequentialTransposedA(at, atOff, ldat, b, bOff, ldb, simd, cOff, ldc, rows,
                                inner, cols);
                        Kernels.scalar().productSequentialTransposedA(at, atOff, ldat, b, bOff, ldb, twin, cOff, ldc,
                                rows, inner, cols);
                        String shape = rows + "x" + inner + "x" + cols + (specials ? " with special values" : "");
                        for (int q = 0; q < simd.length; q++) {
                            int r = (q - cOff) / ldc, col = (q - cOff) % ldc;
                            boolean inside = q >= cOff && r < rows && col < cols;
                            double expected = SENTINEL;
                            if (inside) {
                                expected = 0.0;
                                for (int k = 0; k < inner; k++) {
                                    expected = expected + at[atOff + k * ldat + r] * b[bOff + k * ldb + col];
                                }
                            }
                            assertEquals(bits(expected), bits(twin[q]), shape + ": scalar twin, entry " + q);
                            assertEquals(bits(expected), bits(simd[q]), shape + ": SIMD, entry " + q);
                        }
                    }
                }
            }
        }
    }

    /**
     * The error-free running sums over the rows of S, column by column: SIMD, twin and the documented TwoSum loop
     * written out plainly agree bit for bit, with and without weights, for column ranges that start anywhere and
     * cover the four-vector block, single vectors and the scalar tail, and they touch nothing outside the range.
     */
    @Test
    void twoSumColumnsTwinsAndNaiveLoopAgreeBitForBit() {
        SplittableRandom rng = new SplittableRandom(41);
        for (boolean specials : new boolean[] {false, true}) {
            for (int rows : new int[] {1, 2, 3, 17, 64}) {
                for (int count : new int[] {1, 3, 7, 8, 9, 31, 32, 33, 45, 67}) {
                    for (boolean weighted : new boolean[] {false, true}) {
                        int ld = count + rng.nextInt(4), i0 = ld - count, sOff = rng.nextInt(3), out = rng.nextInt(3);
                        double[] s = values(rng, sOff + rows * ld, specials);
                        double[] w = weighted ? values(rng, rows, specials) : null;
                        double[][] simd = twoSums(Kernels.simd(), w, s, sOff, ld, rows, i0, count, out);
                        double[][] twin = twoSums(Kernels.scalar(), w, s, sOff, ld, rows, i0, count, out);
                        String shape = rows + " rows, columns " + i0 + ".." + (i0 + count) + " of " + ld
                                + (weighted ? ", weighted" : "") + (specials ? ", with special values" : "");
                        for (int q = 0; q < out + count + 2; q++) {
                            boolean inside = q >= out && q < out + count;
                            double[] naive = inside ? naiveTwoSum(w, s, sOff + i0 + q - out, ld, rows) : null;
                            for (int k = 0; k < 3; k++) {
                                double expected = inside ? naive[k] : SENTINEL;
                                assertEquals(bits(expected), bits(twin[k][q]), shape + ": twin, output " + k + ", " + q);
                                assertEquals(bits(expected), bits(simd[k][q]), shape + ": SIMD, output " + k + ", " + q);
                            }
                        }
                    }
                }
            }
        }
    }

    private static double[][] twoSums(Products p, double[] w, double[] s, int sOff, int ld, int rows, int i0, int count,
                                      int out) {
        double[][] r = new double[3][out + count + 2];
        for (double[] a : r) {
            java.util.Arrays.fill(a, SENTINEL);
        }
        p.twoSumColumns(w, s, sOff, ld, rows, i0, count, r[0], r[1], r[2], out);
        return r;
    }

    /** Knuth's TwoSum down one column, as Products.twoSumColumns documents it. */
    private static double[] naiveTwoSum(double[] w, double[] s, int col, int ld, int rows) {
        double h = -0.0, l = 0.0, a = 0.0;
        for (int j = 0; j < rows; j++) {
            double p = w == null ? s[col + j * ld] : w[j] * s[col + j * ld];
            double t = h + p, v = t - h, e = (h - (t - v)) + (p - v);
            h = t;
            l = l + e;
            a = a + Math.abs(e);
        }
        return new double[] {h, l, a};
    }

    private static void compareAll(boolean fourWay, SplittableRandom rng, boolean specials) {
        for (int rows : new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 13, 14}) {
            for (int inner : DIMS) {
                for (int cols : DIMS) {
                    int aOff = rng.nextInt(3), bOff = rng.nextInt(3), cOff = rng.nextInt(3);
                    double[] a = values(rng, aOff + rows * inner, specials);
                    double[] b = values(rng, bOff + inner * cols, specials);
                    double[] naive = naive(fourWay, a, aOff, b, bOff, rows, inner, cols);
                    double[] simd = run(Kernels.simd(), fourWay, a, b, rows, inner, cols, aOff, bOff, cOff);
                    double[] twin = run(Kernels.scalar(), fourWay, a, b, rows, inner, cols, aOff, bOff, cOff);
                    String shape = (fourWay ? "four-way " : "sequential ") + rows + "x" + inner + "x" + cols
                            + (specials ? " with special values" : "");
                    for (int q = 0; q < simd.length; q++) {
                        boolean inside = q >= cOff && q < cOff + rows * cols;
                        double expected = inside ? naive[q - cOff] : SENTINEL;
                        assertEquals(bits(expected), bits(twin[q]), shape + ": scalar twin, entry " + q);
                        assertEquals(bits(expected), bits(simd[q]), shape + ": SIMD, entry " + q);
                    }
                }
            }
        }
    }

    private static final double SENTINEL = 12345.678;

    /** C with cOff leading and two trailing sentinel entries, which the product must leave alone. */
    private static double[] run(Products p, boolean fourWay, double[] a, double[] b, int rows, int inner, int cols,
                                int aOff, int bOff, int cOff) {
        double[] c = new double[cOff + rows * cols + 2];
        java.util.Arrays.fill(c, SENTINEL);
        if (fourWay) {
            p.productFourWay(a, aOff, b, bOff, c, cOff, rows, inner, cols);
        } else {
            p.productSequential(a, aOff, b, bOff, c, cOff, rows, inner, cols);
        }
        return c;
    }

    /** The documented order written out plainly, one output at a time. */
    private static double[] naive(boolean fourWay, double[] a, int aOff, double[] b, int bOff, int rows, int inner,
                                  int cols) {
        double[] c = new double[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int col = 0; col < cols; col++) {
                double[] s = new double[4];
                int full = fourWay ? inner / 4 * 4 : 0;
                for (int k = 0; k < inner; k++) {
                    int acc = k < full ? k % 4 : 0;
                    s[acc] = s[acc] + a[aOff + r * inner + k] * b[bOff + k * cols + col];
                }
                c[r * cols + col] = fourWay ? (s[0] + s[1]) + (s[2] + s[3]) : s[0];
            }
        }
        return c;
    }

    /** Gaussians over a wide exponent range; with specials, also zeros, subnormals, huge values, NaN and infinities. */
    private static double[] values(SplittableRandom rng, int len, boolean specials) {
        double[] v = new double[len];
        for (int q = 0; q < len; q++) {
            v[q] = rng.nextGaussian() * Math.scalb(1.0, rng.nextInt(-30, 30));
            if (specials && rng.nextInt(6) == 0) {
                v[q] = switch (rng.nextInt(8)) {
                    case 0 -> 0.0;
                    case 1 -> -0.0;
                    case 2 -> Double.NaN;
                    case 3 -> Double.POSITIVE_INFINITY;
                    case 4 -> Double.NEGATIVE_INFINITY;
                    case 5 -> Double.MIN_VALUE * rng.nextInt(1, 1000);
                    case 6 -> Double.MAX_VALUE * rng.nextDouble(-1, 1);
                    default -> -rng.nextDouble() * 1e-300;
                };
            }
        }
        return v;
    }

    /** The bits of v, every NaN as the canonical NaN (Java does not fix which NaN payload survives). */
    private static long bits(double v) {
        return Double.doubleToLongBits(v);
    }

    @Test
    void theWarmUpRoutesToTheSimdKernelsWithinAMinute() throws InterruptedException {
        // before, the scalar twin answers (the same bits); after, the compiled SIMD kernels
        WarmingProducts w = (WarmingProducts) Kernels.selected();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!w.warm() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(w.warm(), "the SIMD warm-up did not finish within a minute");
    }
}
