package twolayer.linalg;

/**
 * The dense matrix products of the network's hot loops, C = A B with A (rows x inner), B (inner x cols) and
 * C (rows x cols), all row-major from the given offsets, contiguous or with the row strides (lda, ldb, ldc) of the
 * methods that take them:
 * <pre>
 *   c_rc = sum_k a_rk b_kc
 * </pre>
 * Each method fixes the order in which every c_rc sums its k terms; that order is part of the contract, so
 * every implementation gives the same bits (see the benchmarks README, section "Determinism"). An
 * implementation may compute many outputs at once (SIMD lanes, register blocks, threads) but never splits
 * one output's sum. Each product is a multiply rounded to double followed by an add rounded to double:
 * never a fused multiply-add.
 *
 * <p>NaN results are compared as NaN: Java does not fix which NaN payload an operation on two NaNs keeps.
 */
public interface Products {

    /**
     * C = A B with the k order of four interleaved accumulators: accumulator q (q = 0..3) sums the terms
     * k = q, q + 4, ... below 4 floor(inner / 4) in increasing k, the remaining terms go to accumulator 0, and
     * c_rc = (s0 + s1) + (s2 + s3). Every accumulator starts at +0.0.
     */
    default void productFourWay(double[] a, int aOff, double[] b, int bOff, double[] c, int cOff, int rows, int inner,
                                int cols) {
        productFourWay(a, aOff, inner, b, bOff, cols, c, cOff, cols, rows, inner, cols);
    }

    /**
     * The four-way product on blocks of larger matrices, with the strides of
     * {@link #productSequential(double[], int, int, double[], int, int, double[], int, int, int, int, int)} and the
     * same sums as {@link #productFourWay(double[], int, double[], int, double[], int, int, int, int)}: a
     * pre-activation product is computed block of inputs by block of inputs with it, each block small enough
     * to stay in the cache.
     */
    void productFourWay(double[] a, int aOff, int lda, double[] b, int bOff, int ldb, double[] c, int cOff, int ldc,
                        int rows, int inner, int cols);

    /** C = A B with one accumulator per output that starts at +0.0 and adds the terms in increasing k. */
    default void productSequential(double[] a, int aOff, double[] b, int bOff, double[] c, int cOff, int rows,
                                   int inner, int cols) {
        productSequential(a, aOff, inner, b, bOff, cols, c, cOff, cols, rows, inner, cols);
    }

    /**
     * The sequential product on blocks of larger matrices: row r of A starts at aOff + r lda, row k of B at
     * bOff + k ldb and row r of C at cOff + r ldc (lda &gt;= inner, ldb &gt;= cols, ldc &gt;= cols); entries of C
     * outside the rows x cols block are left alone. The same sums as {@link #productSequential(double[], int,
     * double[], int, double[], int, int, int, int)}: a Gram matrix's upper triangle is computed block by block
     * with it.
     */
    void productSequential(double[] a, int aOff, int lda, double[] b, int bOff, int ldb, double[] c, int cOff,
                           int ldc, int rows, int inner, int cols);

    /**
     * The sequential product resumed: every output of the rows x cols block continues its sum from C's entry,
     * c_rc = (...((c_rc + a_r0 b_0c) + a_r1 b_1c) + ...) + a_r,inner-1 b_inner-1,c, strides as in
     * {@link #productSequential(double[], int, int, double[], int, int, double[], int, int, int, int, int)}. A
     * sum over k done in consecutive blocks of terms, the first by productSequential and the others by this
     * method, has the bits of one pass (a stored double is not rounded again): the weight gradient is summed
     * block of inputs by block of inputs with it.
     */
    void productSequentialAdd(double[] a, int aOff, int lda, double[] b, int bOff, int ldb, double[] c, int cOff,
                              int ldc, int rows, int inner, int cols);

    /**
     * The sequential product with A given by its transpose: a_rk = at[atOff + k ldat + r] (ldat &gt;= rows), B and C
     * as in {@link #productSequential(double[], int, int, double[], int, int, double[], int, int, int, int, int)},
     * and the same sums in the same order. For Gram matrices of features stored neuron-major, (m, n): the left
     * operand is then read in place instead of transposed first.
     */
    void productSequentialTransposedA(double[] at, int atOff, int ldat, double[] b, int bOff, int ldb, double[] c,
                                      int cOff, int ldc, int rows, int inner, int cols);

    // tag::linalg-two-sum-columns[]
    /**
     * The error-free running sums behind the correctly rounded output sum over neurons (the model chapter,
     * section "The order of the neurons"). For each column i in [i0, i0 + count) of S (rows x ld, row-major from
     * sOff) the terms p_j = w_j s_ji (w null: p_j = s_ji) are added in increasing j by Knuth's TwoSum:
     * <pre>
     *   t = h + p;  v = t - h;  e = (h - (t - v)) + (p - v);  h = t;  l = l + e;  a = a + |e|
     * </pre>
     * with h starting at -0.0 and l, a at +0.0. Without overflow, sum_j p_j = h + sum of the e's exactly; l and
     * a are the rounded sums of the e's and of their magnitudes. h, l, a go to hi, lo, err at out + (i - i0).
     * h ends at -0.0 exactly when every term is -0.0.
     */
    void twoSumColumns(double[] w, double[] s, int sOff, int ld, int rows, int i0, int count, double[] hi,
                       double[] lo, double[] err, int out);
    // end::linalg-two-sum-columns[]
}
