package twolayer.linalg;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD implementation of {@link Products} (jdk.incubator.vector). The lanes of a vector hold adjacent
 * outputs c_r,col .. c_r,col+L-1 of one row, never parts of one sum: lane l does exactly the scalar
 * arithmetic of output col + l, so the bits equal those of {@link ScalarProducts} for any vector length.
 * Register blocks (6 or 4 rows x 4 vectors, then 4 x 2, for the sequential product; the four-way product as four
 * sequential block products, one per accumulator, then 2 x 2 with the four accumulators side by side) reuse each
 * loaded B vector for several rows; a column panel is finished for all rows before the next, so that it stays in
 * the L1 cache. Columns left over after the vectors are done with scalar code of the same arithmetic.
 *
 * <p>Loaded only through {@link Kernels}, when the module is present.
 */
final class VectorProducts implements Products {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    @Override
    public void productFourWay(double[] a, int aOff, int lda, double[] b, int bOff, int ldb, double[] c, int cOff,
                               int ldc, int rows, int inner, int cols) {
        int col = 0;
        if (rows >= 4 && cols >= 4 * L) {
            // A's rows regrouped by accumulator: packed[q rows quarter + r quarter + t] = a_r,q+4t, so that each
            // accumulator's terms are a sequential product of their own (B's rows q, q + 4, ...: row stride 4 ldb)
            int quarter = inner / 4;
            double[][] scratch = FOUR_WAY.get();
            if (scratch[0].length < rows * 4 * quarter) {
                scratch[0] = new double[rows * 4 * quarter];
            }
            double[] packed = scratch[0], phases = scratch[1];
            for (int q = 0; q < 4; q++) {
                for (int r = 0; r < rows; r++) {
                    int src = aOff + r * lda + q, dst = (q * rows + r) * quarter;
                    for (int t = 0; t < quarter; t++) {
                        packed[dst + t] = a[src + 4 * t];
                    }
                }
            }
            for (; col + 4 * L <= cols; col += 4 * L) {
                int r = 0;
                while (blockHeight(rows - r) > 1) {
                    int height = blockHeight(rows - r);
                    fourWayBlock(height, a, aOff + r * lda, lda, packed, r * quarter, rows * quarter, quarter, b,
                            bOff + col, ldb, c, cOff + r * ldc + col, ldc, inner, phases);
                    r += height;
                }
                for (; r < rows; r++) {
                    for (int v = 0; v < 4; v++) {
                        fourWay1x1(a, aOff + r * lda, b, bOff + col + v * L, ldb, c, cOff + r * ldc + col + v * L,
                                inner);
                    }
                }
            }
        }
        for (; col + 2 * L <= cols; col += 2 * L) {
            int r = 0;
            for (; r + 1 < rows; r += 2) {
                fourWay2x2(a, aOff + r * lda, lda, b, bOff + col, ldb, c, cOff + r * ldc + col, ldc, inner);
            }
            for (; r < rows; r++) {
                fourWay1x1(a, aOff + r * lda, b, bOff + col, ldb, c, cOff + r * ldc + col, inner);
                fourWay1x1(a, aOff + r * lda, b, bOff + col + L, ldb, c, cOff + r * ldc + col + L, inner);
            }
        }
        for (; col + L <= cols; col += L) {
            for (int r = 0; r < rows; r++) {
                fourWay1x1(a, aOff + r * lda, b, bOff + col, ldb, c, cOff + r * ldc + col, inner);
            }
        }
        for (; col < cols; col++) {
            for (int r = 0; r < rows; r++) {
                c[cOff + r * ldc + col] = ScalarProducts.fourWay1(a, aOff + r * lda, b, bOff + col, inner, ldb);
            }
        }
    }

    /**
     * Per thread: A's rows regrouped by accumulator (grown on demand), and the sums of accumulators 1, 2 and 3 of
     * one block of up to 6 x 4 vectors.
     */
    private static final ThreadLocal<double[][]> FOUR_WAY =
            ThreadLocal.withInitial(() -> new double[][] {new double[0], new double[3 * 24 * L]});

    /**
     * Rows ar .. of A (height 4 or 6) against the 4L columns of B from bc in the four-way order, one accumulator
     * at a time, each by the sequential block kernel: accumulator q sums the terms k = q, q + 4, ... below
     * 4 quarter (A's regrouped row from packed, B's rows from bc + q ldb with stride 4 ldb); accumulator 0 then
     * resumes with the terms k = 4 quarter .. inner - 1 from A itself. Accumulator 0 goes to C, 1, 2 and 3 to the
     * scratch, and C = (s0 + s1) + (s2 + s3) at the end: each output's four sums, each in its own order, and
     * their documented combination, so the bits of the 2 x 2 kernel with its four accumulators side by side.
     */
    private static void fourWayBlock(int height, double[] a, int ar, int lda, double[] packed, int pr, int phase,
                                     int quarter, double[] b, int bc, int ldb, double[] c, int cc, int ldc, int inner,
                                     double[] phases) {
        int full = 4 * quarter;
        sequentialBlock(height, packed, pr, quarter, b, bc, 4 * ldb, c, cc, ldc, quarter, false);
        if (full < inner) {
            sequentialBlock(height, a, ar + full, lda, b, bc + full * ldb, ldb, c, cc, ldc, inner - full, true);
        }
        for (int q = 1; q < 4; q++) {
            sequentialBlock(height, packed, q * phase + pr, quarter, b, bc + q * ldb, 4 * ldb, phases,
                    (q - 1) * 24 * L, 4 * L, quarter, false);
        }
        for (int r = 0; r < height; r++) {
            for (int v = 0; v < 4; v++) {
                int ci = cc + r * ldc + v * L, pi = r * 4 * L + v * L;
                DoubleVector s0 = DoubleVector.fromArray(S, c, ci), s1 = DoubleVector.fromArray(S, phases, pi);
                DoubleVector s2 = DoubleVector.fromArray(S, phases, 24 * L + pi);
                DoubleVector s3 = DoubleVector.fromArray(S, phases, 48 * L + pi);
                s0.add(s1).add(s2.add(s3)).intoArray(c, ci);
            }
        }
    }

    /** The sequential 6 x 4 or 4 x 4 block kernel. */
    private static void sequentialBlock(int height, double[] a, int ar, int lda, double[] b, int bc, int ldb,
                                        double[] c, int cc, int ldc, int inner, boolean acc) {
        if (height == 6) {
            sequential6x4(a, ar, lda, b, bc, ldb, c, cc, ldc, inner, acc);
        } else {
            sequential4x4(a, ar, lda, b, bc, ldb, c, cc, ldc, inner, acc);
        }
    }

    /** Rows ar and ar + lda of A against the 2L columns of B from bc: 2 x 2 x 4 accumulators. */
    private static void fourWay2x2(double[] a, int ar, int lda, double[] b, int bc, int ldb, double[] c, int cc, int ldc,
                                   int inner) {
        int as = ar + lda;
        DoubleVector z = DoubleVector.zero(S);
        DoubleVector x00 = z, x01 = z, x02 = z, x03 = z, x10 = z, x11 = z, x12 = z, x13 = z;
        DoubleVector y00 = z, y01 = z, y02 = z, y03 = z, y10 = z, y11 = z, y12 = z, y13 = z;
        int k = 0;
        for (; k + 3 < inner; k += 4) {
            int k0 = bc + k * ldb;
            DoubleVector b0 = DoubleVector.fromArray(S, b, k0), b1 = DoubleVector.fromArray(S, b, k0 + L);
            double p = a[ar + k], q = a[as + k];
            x00 = x00.add(b0.mul(p)); x10 = x10.add(b1.mul(p));
            y00 = y00.add(b0.mul(q)); y10 = y10.add(b1.mul(q));
            k0 += ldb;
            b0 = DoubleVector.fromArray(S, b, k0); b1 = DoubleVector.fromArray(S, b, k0 + L);
            p = a[ar + k + 1]; q = a[as + k + 1];
            x01 = x01.add(b0.mul(p)); x11 = x11.add(b1.mul(p));
            y01 = y01.add(b0.mul(q)); y11 = y11.add(b1.mul(q));
            k0 += ldb;
            b0 = DoubleVector.fromArray(S, b, k0); b1 = DoubleVector.fromArray(S, b, k0 + L);
            p = a[ar + k + 2]; q = a[as + k + 2];
            x02 = x02.add(b0.mul(p)); x12 = x12.add(b1.mul(p));
            y02 = y02.add(b0.mul(q)); y12 = y12.add(b1.mul(q));
            k0 += ldb;
            b0 = DoubleVector.fromArray(S, b, k0); b1 = DoubleVector.fromArray(S, b, k0 + L);
            p = a[ar + k + 3]; q = a[as + k + 3];
            x03 = x03.add(b0.mul(p)); x13 = x13.add(b1.mul(p));
            y03 = y03.add(b0.mul(q)); y13 = y13.add(b1.mul(q));
        }
        for (; k < inner; k++) {
            int k0 = bc + k * ldb;
            DoubleVector b0 = DoubleVector.fromArray(S, b, k0), b1 = DoubleVector.fromArray(S, b, k0 + L);
            double p = a[ar + k], q = a[as + k];
            x00 = x00.add(b0.mul(p)); x10 = x10.add(b1.mul(p));
            y00 = y00.add(b0.mul(q)); y10 = y10.add(b1.mul(q));
        }
        x00.add(x01).add(x02.add(x03)).intoArray(c, cc);
        x10.add(x11).add(x12.add(x13)).intoArray(c, cc + L);
        y00.add(y01).add(y02.add(y03)).intoArray(c, cc + ldc);
        y10.add(y11).add(y12.add(y13)).intoArray(c, cc + ldc + L);
    }

    /** Row ar of A against the L columns of B from bc: four accumulators. */
    private static void fourWay1x1(double[] a, int ar, double[] b, int bc, int ldb, double[] c, int cc, int inner) {
        DoubleVector x0 = DoubleVector.zero(S), x1 = x0, x2 = x0, x3 = x0;
        int k = 0;
        for (; k + 3 < inner; k += 4) {
            int k0 = bc + k * ldb;
            x0 = x0.add(DoubleVector.fromArray(S, b, k0).mul(a[ar + k]));
            x1 = x1.add(DoubleVector.fromArray(S, b, k0 + ldb).mul(a[ar + k + 1]));
            x2 = x2.add(DoubleVector.fromArray(S, b, k0 + 2 * ldb).mul(a[ar + k + 2]));
            x3 = x3.add(DoubleVector.fromArray(S, b, k0 + 3 * ldb).mul(a[ar + k + 3]));
        }
        for (; k < inner; k++) {
            x0 = x0.add(DoubleVector.fromArray(S, b, bc + k * ldb).mul(a[ar + k]));
        }
        x0.add(x1).add(x2.add(x3)).intoArray(c, cc);
    }

    /**
     * Terms per pass of the sequential product over k: a long sum is done in blocks of this many terms, each
     * output's partial sum stored in C between blocks and loaded again, which is the same sequence of additions
     * (storing a double does not round it), while a block of B's columns stays in the L1 cache: 128 rows of a
     * 4L-column panel are 32 kB with L = 8, within a 48 kB L1 (256 rows were 64 kB: the NTK Gram's upper triangle at
     * m = 10^4 took 49 instead of 47 ms).
     */
    private static final int K_BLOCK = 128;

    /**
     * The height of the next register block when {@code remaining} rows are left: 6 where that leaves rows that 6
     * and 4 cover, else 4, and 1 below 4; so an even number of rows ends in no single rows (32 = 4 + 6 + 6 + 6 +
     * 6 + 4) and an odd number in one.
     */
    private static int blockHeight(int remaining) {
        int even = remaining & ~1;
        return SIX_ROWS && even >= 6 && even % 6 != 2 ? 6 : even >= 4 ? 4 : 1;
    }

    /**
     * Whether the 6-row block fits the registers: 24 accumulators, four B vectors and a broadcast need AVX-512's 32;
     * with fewer (AVX2's 16 registers of 4 doubles) the 4-row block is used alone. Speed only: the sums are the same.
     */
    private static final boolean SIX_ROWS = S.vectorBitSize() >= 512;

    @Override
    public void productSequential(double[] a, int aOff, int lda, double[] b, int bOff, int ldb, double[] c,
                                  int cOff, int ldc, int rows, int inner, int cols) {
        sequential(a, aOff, lda, b, bOff, ldb, c, cOff, ldc, rows, inner, cols, false);
    }

    @Override
    public void productSequentialAdd(double[] a, int aOff, int lda, double[] b, int bOff, int ldb, double[] c,
                                     int cOff, int ldc, int rows, int inner, int cols) {
        sequential(a, aOff, lda, b, bOff, ldb, c, cOff, ldc, rows, inner, cols, true);
    }

    /** The sequential sums from C's entries (acc) or from +0.0, long sums in passes of K_BLOCK terms. */
    private static void sequential(double[] a, int aOff, int lda, double[] b, int bOff, int ldb, double[] c,
                                   int cOff, int ldc, int rows, int inner, int cols, boolean acc) {
        if (inner <= 2 * K_BLOCK) {
            sequentialPass(a, aOff, lda, b, bOff, ldb, c, cOff, ldc, rows, inner, cols, acc);
            return;
        }
        for (int k0 = 0; k0 < inner; k0 += K_BLOCK) {
            int kc = Math.min(K_BLOCK, inner - k0);
            sequentialPass(a, aOff + k0, lda, b, bOff + k0 * ldb, ldb, c, cOff, ldc, rows, kc, cols, acc || k0 > 0);
        }
    }

    /** Row blocks of the transposed left operand, one per thread (rows x K_BLOCK, grown on demand). */
    private static final ThreadLocal<double[][]> PACKED = ThreadLocal.withInitial(() -> new double[1][]);

    @Override
    public void productSequentialTransposedA(double[] at, int atOff, int ldat, double[] b, int bOff, int ldb,
                                             double[] c, int cOff, int ldc, int rows, int inner, int cols) {
        // pass by pass over blocks of K_BLOCK terms (the same additions as one pass: see K_BLOCK), each pass's
        // block of A copied row-major from the transpose first; the copy is reused by every column of C, so it
        // costs 1/cols of the pass
        double[][] holder = PACKED.get();
        if (holder[0] == null || holder[0].length < rows * K_BLOCK) {
            holder[0] = new double[Math.max(rows, 64) * K_BLOCK];
        }
        double[] packed = holder[0];
        if (inner == 0) {
            sequentialPass(packed, 0, 0, b, bOff, ldb, c, cOff, ldc, rows, 0, cols, false);   // empty sums: +0.0
            return;
        }
        for (int k0 = 0; k0 < inner; k0 += K_BLOCK) {
            int kc = Math.min(K_BLOCK, inner - k0);
            for (int k = 0; k < kc; k++) {
                int src = atOff + (k0 + k) * ldat;
                for (int r = 0; r < rows; r++) {
                    packed[r * kc + k] = at[src + r];
                }
            }
            sequentialPass(packed, 0, kc, b, bOff + k0 * ldb, ldb, c, cOff, ldc, rows, kc, cols, k0 > 0);
        }
    }

    /** The terms k &lt; inner of every output, added to C's entries (acc) or to +0.0. */
    private static void sequentialPass(double[] a, int aOff, int lda, double[] b, int bOff, int ldb, double[] c,
                                       int cOff, int ldc, int rows, int inner, int cols, boolean acc) {
        int col = 0;
        // panels of 4L columns, 6 rows at a time and the rest 4 at a time: 24 or 16 accumulators per B row loaded
        // (the 6 x 4 block is the widest that keeps its accumulators, B's vectors and the broadcast A value in
        // AVX-512's 32 vector registers; with AVX2's 16 both spill, which costs speed, not bits)
        for (; col + 4 * L <= cols && rows >= 4; col += 4 * L) {
            int r = 0;
            while (blockHeight(rows - r) > 1) {
                int height = blockHeight(rows - r);
                sequentialBlock(height, a, aOff + r * lda, lda, b, bOff + col, ldb, c, cOff + r * ldc + col, ldc, inner,
                        acc);
                r += height;
            }
            for (; r < rows; r++) {
                sequential1x4(a, aOff + r * lda, b, bOff + col, ldb, c, cOff + r * ldc + col, inner, acc);
            }
        }
        for (; col + 2 * L <= cols; col += 2 * L) {
            int r = 0;
            for (; r + 3 < rows; r += 4) {
                sequential4x2(a, aOff + r * lda, lda, b, bOff + col, ldb, c, cOff + r * ldc + col, ldc, inner, acc);
            }
            for (; r < rows; r++) {
                sequential1x1(a, aOff + r * lda, b, bOff + col, ldb, c, cOff + r * ldc + col, inner, acc);
                sequential1x1(a, aOff + r * lda, b, bOff + col + L, ldb, c, cOff + r * ldc + col + L, inner, acc);
            }
        }
        for (; col + L <= cols; col += L) {
            for (int r = 0; r < rows; r++) {
                sequential1x1(a, aOff + r * lda, b, bOff + col, ldb, c, cOff + r * ldc + col, inner, acc);
            }
        }
        // the last columns, fewer than L: copied into a zero-padded panel of L columns and run in full vectors,
        // whose extra lanes sum zeros and are dropped (masked vectors would do it too, but JDK 17 runs masked
        // loads slowly); a single column stays scalar, four rows at a time so that four sums overlap
        if (cols - col >= 2 && rows >= 4) {
            paddedTail(a, aOff, lda, b, bOff + col, ldb, c, cOff + col, ldc, rows, inner, cols - col, acc);
            return;
        }
        for (; col < cols; col++) {
            int r = 0;
            for (; r + 3 < rows; r += 4) {
                sequential4x1Scalar(a, aOff + r * lda, lda, b, bOff + col, ldb, c, cOff + r * ldc + col, ldc, inner,
                        acc);
            }
            for (; r < rows; r++) {
                int cc = cOff + r * ldc + col, ar = aOff + r * lda, bc = bOff + col;
                double s = acc ? c[cc] : 0.0;
                for (int k = 0; k < inner; k++) {
                    s += a[ar + k] * b[bc + k * ldb];
                }
                c[cc] = s;
            }
        }
    }

    /** Scratch of the padded tail, one per thread (the pool's workers each get their own). */
    private static final ThreadLocal<double[][]> PANELS = ThreadLocal.withInitial(() -> new double[2][]);

    /**
     * The last w &lt; L columns (from bc of B, cc of C): B's w columns copied into an inner x L panel with zero
     * columns after them, the product of four rows at a time into a 4 x L panel (each lane the sequential sum
     * of its column, from C's entries when acc), and its first w columns copied out.
     */
    private static void paddedTail(double[] a, int aOff, int lda, double[] b, int bc, int ldb, double[] c, int cc,
                                   int ldc, int rows, int inner, int w, boolean acc) {
        double[][] panels = PANELS.get();
        if (panels[0] == null || panels[0].length < inner * L) {
            panels[0] = new double[Math.max(inner, 64) * L];
        }
        if (panels[1] == null) {
            panels[1] = new double[4 * L];
        }
        double[] bp = panels[0], cp = panels[1];
        for (int k = 0; k < inner; k++) {
            System.arraycopy(b, bc + k * ldb, bp, k * L, w);
            java.util.Arrays.fill(bp, k * L + w, k * L + L, 0.0);
        }
        java.util.Arrays.fill(cp, 0.0);
        int r = 0;
        for (; r + 3 < rows; r += 4) {
            if (acc) {
                for (int q = 0; q < 4; q++) {
                    System.arraycopy(c, cc + (r + q) * ldc, cp, q * L, w);
                }
            }
            sequential4x1(a, aOff + r * lda, lda, bp, cp, inner, acc);
            for (int q = 0; q < 4; q++) {
                System.arraycopy(cp, q * L, c, cc + (r + q) * ldc, w);
            }
        }
        for (; r < rows; r++) {
            if (acc) {
                System.arraycopy(c, cc + r * ldc, cp, 0, w);
            }
            sequential1x1(a, aOff + r * lda, bp, 0, L, cp, 0, inner, acc);
            System.arraycopy(cp, 0, c, cc + r * ldc, w);
        }
    }

    /** Four rows of A from ar against the L columns of the panel bp (row stride L), into cp (row stride L). */
    private static void sequential4x1(double[] a, int ar, int lda, double[] bp, double[] cp, int inner, boolean acc) {
        int a1 = ar + lda, a2 = a1 + lda, a3 = a2 + lda;
        DoubleVector z = DoubleVector.zero(S);
        DoubleVector c0 = acc ? DoubleVector.fromArray(S, cp, 0) : z;
        DoubleVector c1 = acc ? DoubleVector.fromArray(S, cp, L) : z;
        DoubleVector c2 = acc ? DoubleVector.fromArray(S, cp, 2 * L) : z;
        DoubleVector c3 = acc ? DoubleVector.fromArray(S, cp, 3 * L) : z;
        for (int k = 0; k < inner; k++) {
            DoubleVector b0 = DoubleVector.fromArray(S, bp, k * L);
            c0 = c0.add(b0.mul(a[ar + k]));
            c1 = c1.add(b0.mul(a[a1 + k]));
            c2 = c2.add(b0.mul(a[a2 + k]));
            c3 = c3.add(b0.mul(a[a3 + k]));
        }
        c0.intoArray(cp, 0);
        c1.intoArray(cp, L);
        c2.intoArray(cp, 2 * L);
        c3.intoArray(cp, 3 * L);
    }

    /** Four rows of A from ar against column bc of B, each with the arithmetic of ScalarProducts.sequential1. */
    private static void sequential4x1Scalar(double[] a, int ar, int lda, double[] b, int bc, int ldb, double[] c,
                                            int cc, int ldc, int inner, boolean acc) {
        int a1 = ar + lda, a2 = a1 + lda, a3 = a2 + lda;
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        if (acc) {
            s0 = c[cc];
            s1 = c[cc + ldc];
            s2 = c[cc + 2 * ldc];
            s3 = c[cc + 3 * ldc];
        }
        for (int k = 0; k < inner; k++) {
            double bk = b[bc + k * ldb];
            s0 += a[ar + k] * bk;
            s1 += a[a1 + k] * bk;
            s2 += a[a2 + k] * bk;
            s3 += a[a3 + k] * bk;
        }
        c[cc] = s0;
        c[cc + ldc] = s1;
        c[cc + 2 * ldc] = s2;
        c[cc + 3 * ldc] = s3;
    }

    /** Row ar of A against the 4L columns of B from bc: four independent accumulators. */
    private static void sequential1x4(double[] a, int ar, double[] b, int bc, int ldb, double[] c, int cc, int inner,
                                      boolean acc) {
        DoubleVector z = DoubleVector.zero(S);
        DoubleVector c0 = acc ? DoubleVector.fromArray(S, c, cc) : z, c1 = acc ? DoubleVector.fromArray(S, c, cc + L) : z;
        DoubleVector c2 = acc ? DoubleVector.fromArray(S, c, cc + 2 * L) : z;
        DoubleVector c3 = acc ? DoubleVector.fromArray(S, c, cc + 3 * L) : z;
        for (int k = 0; k < inner; k++) {
            int k0 = bc + k * ldb;
            double p = a[ar + k];
            c0 = c0.add(DoubleVector.fromArray(S, b, k0).mul(p));
            c1 = c1.add(DoubleVector.fromArray(S, b, k0 + L).mul(p));
            c2 = c2.add(DoubleVector.fromArray(S, b, k0 + 2 * L).mul(p));
            c3 = c3.add(DoubleVector.fromArray(S, b, k0 + 3 * L).mul(p));
        }
        c0.intoArray(c, cc);
        c1.intoArray(c, cc + L);
        c2.intoArray(c, cc + 2 * L);
        c3.intoArray(c, cc + 3 * L);
    }

    /** Four rows of A from ar against the 4L columns of B from bc: 4 x 4 accumulators. */
    private static void sequential4x4(double[] a, int ar, int lda, double[] b, int bc, int ldb, double[] c, int cc,
                                      int ldc, int inner, boolean acc) {
        int a1 = ar + lda, a2 = a1 + lda, a3 = a2 + lda;
        int r1 = cc + ldc, r2 = r1 + ldc, r3 = r2 + ldc;
        DoubleVector z = DoubleVector.zero(S);
        DoubleVector c00 = z, c01 = z, c02 = z, c03 = z, c10 = z, c11 = z, c12 = z, c13 = z;
        DoubleVector c20 = z, c21 = z, c22 = z, c23 = z, c30 = z, c31 = z, c32 = z, c33 = z;
        if (acc) {
            c00 = DoubleVector.fromArray(S, c, cc); c01 = DoubleVector.fromArray(S, c, cc + L);
            c02 = DoubleVector.fromArray(S, c, cc + 2 * L); c03 = DoubleVector.fromArray(S, c, cc + 3 * L);
            c10 = DoubleVector.fromArray(S, c, r1); c11 = DoubleVector.fromArray(S, c, r1 + L);
            c12 = DoubleVector.fromArray(S, c, r1 + 2 * L); c13 = DoubleVector.fromArray(S, c, r1 + 3 * L);
            c20 = DoubleVector.fromArray(S, c, r2); c21 = DoubleVector.fromArray(S, c, r2 + L);
            c22 = DoubleVector.fromArray(S, c, r2 + 2 * L); c23 = DoubleVector.fromArray(S, c, r2 + 3 * L);
            c30 = DoubleVector.fromArray(S, c, r3); c31 = DoubleVector.fromArray(S, c, r3 + L);
            c32 = DoubleVector.fromArray(S, c, r3 + 2 * L); c33 = DoubleVector.fromArray(S, c, r3 + 3 * L);
        }
        for (int k = 0; k < inner; k++) {
            int k0 = bc + k * ldb;
            DoubleVector b0 = DoubleVector.fromArray(S, b, k0), b1 = DoubleVector.fromArray(S, b, k0 + L);
            DoubleVector b2 = DoubleVector.fromArray(S, b, k0 + 2 * L), b3 = DoubleVector.fromArray(S, b, k0 + 3 * L);
            double p = a[ar + k];
            c00 = c00.add(b0.mul(p)); c01 = c01.add(b1.mul(p)); c02 = c02.add(b2.mul(p)); c03 = c03.add(b3.mul(p));
            p = a[a1 + k];
            c10 = c10.add(b0.mul(p)); c11 = c11.add(b1.mul(p)); c12 = c12.add(b2.mul(p)); c13 = c13.add(b3.mul(p));
            p = a[a2 + k];
            c20 = c20.add(b0.mul(p)); c21 = c21.add(b1.mul(p)); c22 = c22.add(b2.mul(p)); c23 = c23.add(b3.mul(p));
            p = a[a3 + k];
            c30 = c30.add(b0.mul(p)); c31 = c31.add(b1.mul(p)); c32 = c32.add(b2.mul(p)); c33 = c33.add(b3.mul(p));
        }
        c00.intoArray(c, cc); c01.intoArray(c, cc + L); c02.intoArray(c, cc + 2 * L); c03.intoArray(c, cc + 3 * L);
        c10.intoArray(c, r1); c11.intoArray(c, r1 + L); c12.intoArray(c, r1 + 2 * L); c13.intoArray(c, r1 + 3 * L);
        c20.intoArray(c, r2); c21.intoArray(c, r2 + L); c22.intoArray(c, r2 + 2 * L); c23.intoArray(c, r2 + 3 * L);
        c30.intoArray(c, r3); c31.intoArray(c, r3 + L); c32.intoArray(c, r3 + 2 * L); c33.intoArray(c, r3 + 3 * L);
    }

    /**
     * Six rows of A from ar against the 4L columns of B from bc: 6 x 4 vector accumulators, each output's terms in
     * increasing k from C's entries (acc) or from +0.0. Six rows per B row loaded instead of four: the loads of B,
     * not the arithmetic, held the 4 x 4 block back (about 62 against 76 GFLOP/s with both in the L1 cache); 24
     * accumulators, four B vectors and a broadcast A value fill AVX-512's 32 vector registers. A method of its own
     * beside sequential4x4 (the same body for four rows): a kernel keeps its vectors in registers only with a fixed
     * set of named accumulators, so the two heights cannot share one loop.
     */
    private static void sequential6x4(double[] a, int ar, int lda, double[] b, int bc, int ldb, double[] c, int cc,
                                      int ldc, int inner, boolean acc) {
        int a1 = ar + lda, a2 = a1 + lda, a3 = a2 + lda, a4 = a3 + lda, a5 = a4 + lda;
        int r1 = cc + ldc, r2 = r1 + ldc, r3 = r2 + ldc, r4 = r3 + ldc, r5 = r4 + ldc;
        DoubleVector z = DoubleVector.zero(S);
        DoubleVector c00 = z, c01 = z, c02 = z, c03 = z, c10 = z, c11 = z, c12 = z, c13 = z;
        DoubleVector c20 = z, c21 = z, c22 = z, c23 = z, c30 = z, c31 = z, c32 = z, c33 = z;
        DoubleVector c40 = z, c41 = z, c42 = z, c43 = z, c50 = z, c51 = z, c52 = z, c53 = z;
        if (acc) {
            c00 = DoubleVector.fromArray(S, c, cc); c01 = DoubleVector.fromArray(S, c, cc + L);
            c02 = DoubleVector.fromArray(S, c, cc + 2 * L); c03 = DoubleVector.fromArray(S, c, cc + 3 * L);
            c10 = DoubleVector.fromArray(S, c, r1); c11 = DoubleVector.fromArray(S, c, r1 + L);
            c12 = DoubleVector.fromArray(S, c, r1 + 2 * L); c13 = DoubleVector.fromArray(S, c, r1 + 3 * L);
            c20 = DoubleVector.fromArray(S, c, r2); c21 = DoubleVector.fromArray(S, c, r2 + L);
            c22 = DoubleVector.fromArray(S, c, r2 + 2 * L); c23 = DoubleVector.fromArray(S, c, r2 + 3 * L);
            c30 = DoubleVector.fromArray(S, c, r3); c31 = DoubleVector.fromArray(S, c, r3 + L);
            c32 = DoubleVector.fromArray(S, c, r3 + 2 * L); c33 = DoubleVector.fromArray(S, c, r3 + 3 * L);
            c40 = DoubleVector.fromArray(S, c, r4); c41 = DoubleVector.fromArray(S, c, r4 + L);
            c42 = DoubleVector.fromArray(S, c, r4 + 2 * L); c43 = DoubleVector.fromArray(S, c, r4 + 3 * L);
            c50 = DoubleVector.fromArray(S, c, r5); c51 = DoubleVector.fromArray(S, c, r5 + L);
            c52 = DoubleVector.fromArray(S, c, r5 + 2 * L); c53 = DoubleVector.fromArray(S, c, r5 + 3 * L);
        }
        for (int k = 0; k < inner; k++) {
            int k0 = bc + k * ldb;
            DoubleVector b0 = DoubleVector.fromArray(S, b, k0), b1 = DoubleVector.fromArray(S, b, k0 + L);
            DoubleVector b2 = DoubleVector.fromArray(S, b, k0 + 2 * L), b3 = DoubleVector.fromArray(S, b, k0 + 3 * L);
            double p = a[ar + k];
            c00 = c00.add(b0.mul(p)); c01 = c01.add(b1.mul(p)); c02 = c02.add(b2.mul(p)); c03 = c03.add(b3.mul(p));
            p = a[a1 + k];
            c10 = c10.add(b0.mul(p)); c11 = c11.add(b1.mul(p)); c12 = c12.add(b2.mul(p)); c13 = c13.add(b3.mul(p));
            p = a[a2 + k];
            c20 = c20.add(b0.mul(p)); c21 = c21.add(b1.mul(p)); c22 = c22.add(b2.mul(p)); c23 = c23.add(b3.mul(p));
            p = a[a3 + k];
            c30 = c30.add(b0.mul(p)); c31 = c31.add(b1.mul(p)); c32 = c32.add(b2.mul(p)); c33 = c33.add(b3.mul(p));
            p = a[a4 + k];
            c40 = c40.add(b0.mul(p)); c41 = c41.add(b1.mul(p)); c42 = c42.add(b2.mul(p)); c43 = c43.add(b3.mul(p));
            p = a[a5 + k];
            c50 = c50.add(b0.mul(p)); c51 = c51.add(b1.mul(p)); c52 = c52.add(b2.mul(p)); c53 = c53.add(b3.mul(p));
        }
        c00.intoArray(c, cc); c01.intoArray(c, cc + L); c02.intoArray(c, cc + 2 * L);
        c03.intoArray(c, cc + 3 * L);
        c10.intoArray(c, r1); c11.intoArray(c, r1 + L); c12.intoArray(c, r1 + 2 * L);
        c13.intoArray(c, r1 + 3 * L);
        c20.intoArray(c, r2); c21.intoArray(c, r2 + L); c22.intoArray(c, r2 + 2 * L);
        c23.intoArray(c, r2 + 3 * L);
        c30.intoArray(c, r3); c31.intoArray(c, r3 + L); c32.intoArray(c, r3 + 2 * L);
        c33.intoArray(c, r3 + 3 * L);
        c40.intoArray(c, r4); c41.intoArray(c, r4 + L); c42.intoArray(c, r4 + 2 * L);
        c43.intoArray(c, r4 + 3 * L);
        c50.intoArray(c, r5); c51.intoArray(c, r5 + L); c52.intoArray(c, r5 + 2 * L);
        c53.intoArray(c, r5 + 3 * L);
    }

    /** Four rows of A from ar against the 2L columns of B from bc: 4 x 2 accumulators. */
    private static void sequential4x2(double[] a, int ar, int lda, double[] b, int bc, int ldb, double[] c, int cc,
                                      int ldc, int inner, boolean acc) {
        int a1 = ar + lda, a2 = a1 + lda, a3 = a2 + lda;
        DoubleVector z = DoubleVector.zero(S);
        DoubleVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z;
        if (acc) {
            c00 = DoubleVector.fromArray(S, c, cc); c01 = DoubleVector.fromArray(S, c, cc + L);
            c10 = DoubleVector.fromArray(S, c, cc + ldc); c11 = DoubleVector.fromArray(S, c, cc + ldc + L);
            c20 = DoubleVector.fromArray(S, c, cc + 2 * ldc); c21 = DoubleVector.fromArray(S, c, cc + 2 * ldc + L);
            c30 = DoubleVector.fromArray(S, c, cc + 3 * ldc); c31 = DoubleVector.fromArray(S, c, cc + 3 * ldc + L);
        }
        for (int k = 0; k < inner; k++) {
            int k0 = bc + k * ldb;
            DoubleVector b0 = DoubleVector.fromArray(S, b, k0), b1 = DoubleVector.fromArray(S, b, k0 + L);
            double p0 = a[ar + k], p1 = a[a1 + k], p2 = a[a2 + k], p3 = a[a3 + k];
            c00 = c00.add(b0.mul(p0)); c01 = c01.add(b1.mul(p0));
            c10 = c10.add(b0.mul(p1)); c11 = c11.add(b1.mul(p1));
            c20 = c20.add(b0.mul(p2)); c21 = c21.add(b1.mul(p2));
            c30 = c30.add(b0.mul(p3)); c31 = c31.add(b1.mul(p3));
        }
        c00.intoArray(c, cc); c01.intoArray(c, cc + L);
        c10.intoArray(c, cc + ldc); c11.intoArray(c, cc + ldc + L);
        c20.intoArray(c, cc + 2 * ldc); c21.intoArray(c, cc + 2 * ldc + L);
        c30.intoArray(c, cc + 3 * ldc); c31.intoArray(c, cc + 3 * ldc + L);
    }

    // tag::linalg-vector-lanes[]
    /** Row ar of A against the L columns of B from bc (row stride ldb of B), from C's entries when acc. */
    private static void sequential1x1(double[] a, int ar, double[] b, int bc, int ldb, double[] c, int cc,
                                      int inner, boolean acc) {
        DoubleVector x = acc ? DoubleVector.fromArray(S, c, cc) : DoubleVector.zero(S);
        for (int k = 0; k < inner; k++) {
            x = x.add(DoubleVector.fromArray(S, b, bc + k * ldb).mul(a[ar + k]));
        }
        x.intoArray(c, cc);
    }
    // end::linalg-vector-lanes[]

    @Override
    public void twoSumColumns(double[] w, double[] s, int sOff, int ld, int rows, int i0, int count, double[] hi,
                              double[] lo, double[] err, int out) {
        int q = 0;
        // four vectors of columns at a time: four independent chains through h hide the adder's latency
        for (; q + 4 * L <= count; q += 4 * L) {
            twoSum4(w, s, sOff + i0 + q, ld, rows, hi, lo, err, out + q);
        }
        for (; q + L <= count; q += L) {
            twoSum1(w, s, sOff + i0 + q, ld, rows, hi, lo, err, out + q);
        }
        if (q < count) {
            ScalarProducts.twoSumTail(w, s, sOff, ld, rows, i0 + q, count - q, hi, lo, err, out + q);
        }
    }

    /** Columns col .. col + L - 1: each lane the scalar arithmetic of its column. */
    private static void twoSum1(double[] w, double[] s, int col, int ld, int rows, double[] hi, double[] lo,
                                double[] err, int out) {
        DoubleVector h = DoubleVector.broadcast(S, -0.0), l = DoubleVector.zero(S), a = l;
        for (int j = 0; j < rows; j++) {
            DoubleVector p = DoubleVector.fromArray(S, s, col + j * ld);
            if (w != null) {
                p = p.mul(w[j]);
            }
            DoubleVector t = h.add(p);
            DoubleVector v = t.sub(h);
            DoubleVector e = h.sub(t.sub(v)).add(p.sub(v));
            h = t;
            l = l.add(e);
            a = a.add(e.abs());
        }
        h.intoArray(hi, out);
        l.intoArray(lo, out);
        a.intoArray(err, out);
    }

    /** Columns col .. col + 4L - 1 as four independent vectors. */
    private static void twoSum4(double[] w, double[] s, int col, int ld, int rows, double[] hi, double[] lo,
                                double[] err, int out) {
        DoubleVector z = DoubleVector.zero(S), m0 = DoubleVector.broadcast(S, -0.0);
        DoubleVector h0 = m0, h1 = m0, h2 = m0, h3 = m0, l0 = z, l1 = z, l2 = z, l3 = z, a0 = z, a1 = z, a2 = z, a3 = z;
        for (int j = 0; j < rows; j++) {
            int r = col + j * ld;
            DoubleVector p0 = DoubleVector.fromArray(S, s, r), p1 = DoubleVector.fromArray(S, s, r + L);
            DoubleVector p2 = DoubleVector.fromArray(S, s, r + 2 * L), p3 = DoubleVector.fromArray(S, s, r + 3 * L);
            if (w != null) {
                double wj = w[j];
                p0 = p0.mul(wj);
                p1 = p1.mul(wj);
                p2 = p2.mul(wj);
                p3 = p3.mul(wj);
            }
            DoubleVector t0 = h0.add(p0), t1 = h1.add(p1), t2 = h2.add(p2), t3 = h3.add(p3);
            DoubleVector v0 = t0.sub(h0), v1 = t1.sub(h1), v2 = t2.sub(h2), v3 = t3.sub(h3);
            DoubleVector e0 = h0.sub(t0.sub(v0)).add(p0.sub(v0)), e1 = h1.sub(t1.sub(v1)).add(p1.sub(v1));
            DoubleVector e2 = h2.sub(t2.sub(v2)).add(p2.sub(v2)), e3 = h3.sub(t3.sub(v3)).add(p3.sub(v3));
            h0 = t0; h1 = t1; h2 = t2; h3 = t3;
            l0 = l0.add(e0); l1 = l1.add(e1); l2 = l2.add(e2); l3 = l3.add(e3);
            a0 = a0.add(e0.abs()); a1 = a1.add(e1.abs()); a2 = a2.add(e2.abs()); a3 = a3.add(e3.abs());
        }
        h0.intoArray(hi, out); h1.intoArray(hi, out + L); h2.intoArray(hi, out + 2 * L); h3.intoArray(hi, out + 3 * L);
        l0.intoArray(lo, out); l1.intoArray(lo, out + L); l2.intoArray(lo, out + 2 * L); l3.intoArray(lo, out + 3 * L);
        a0.intoArray(err, out); a1.intoArray(err, out + L); a2.intoArray(err, out + 2 * L);
        a3.intoArray(err, out + 3 * L);
    }
}
