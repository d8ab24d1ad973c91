package twolayer.linalg;

/**
 * The SIMD products once they are compiled, the scalar twin before. The vector API is fast only in code that the
 * optimising compiler has compiled; before that, every vector operation allocates and runs many times slower than
 * plain scalar code, and the first large product of a run (a Gram matrix of millions of terms) would spend
 * seconds there. So a daemon thread runs each SIMD kernel on small matrices until it has been called often enough
 * to be compiled, and only then are the calls routed to it. Both give the same bits, so when the switch happens
 * changes the speed of a run and never its result.
 */
final class WarmingProducts implements Products {
    /** Calls of each kernel on small shapes, enough for the optimising compiler's thresholds. */
    private static final int WARM_CALLS = 20_000;

    private final Products simd;
    private final Products scalar;
    private volatile boolean warm;
    private final Thread warmUp;

    WarmingProducts(Products simd, Products scalar) {
        this.simd = simd;
        this.scalar = scalar;
        warmUp = new Thread(this::warmUp, "twolayer-simd-warm-up");
        warmUp.setDaemon(true);
        warmUp.setPriority(Thread.MIN_PRIORITY);
        warmUp.start();
    }

    /** Blocks until the warm-up has finished (the calls then go to the SIMD kernels). */
    void awaitWarm() throws InterruptedException {
        warmUp.join();
    }

    /** The SIMD kernels. */
    Products simdProducts() {
        return simd;
    }

    /** Whether the calls go to the SIMD kernels yet. */
    boolean warm() {
        return warm;
    }

    private void warmUp() {
        // shapes that reach every register block and every tail: 4L + 2L + L + 3 columns (L = 8; for L = 4 the same
        // columns cover every block too), rows 9 (blocks of 4 and 4 and a single row) and 10 (blocks of 6 and 4), an
        // inner dimension above the four-way product's unrolling, and one product long enough to be done in passes
        int cols = 59, inner = 13;
        double[] a = new double[10 * 600], b = new double[600 * cols], c = new double[10 * cols];
        java.util.Arrays.fill(a, 0.5);
        java.util.Arrays.fill(b, 0.25);
        for (int q = 0; q < WARM_CALLS; q++) {
            int rows = 9 + q % 2;
            simd.productFourWay(a, 0, b, 0, c, 0, rows, inner, cols);
            simd.productSequential(a, 0, b, 0, c, 0, rows, inner, cols);
            // 43 columns: the four-vector block, one vector and a scalar tail
            simd.twoSumColumns(q % 2 == 0 ? null : a, b, 0, 43, 20, 0, 43, c, c, c, 0);
            if (q % 50 < 2) {
                simd.productSequential(a, 0, 600, b, 0, cols, c, 0, cols, rows, 600, cols);
                simd.productSequentialTransposedA(a, 0, rows, b, 0, cols, c, 0, cols, rows, 300, cols);
                simd.productFourWay(a, 0, inner + 3, b, 0, cols + 1, c, 0, cols, rows, inner, cols - 1);
                simd.productSequentialAdd(a, 0, 600, b, 0, cols, c, 0, cols, rows, 128, cols);
            }
        }
        warm = true;
    }

    @Override
    public void productFourWay(double[] a, int aOff, int lda, double[] b, int bOff, int ldb, double[] c, int cOff,
                               int ldc, int rows, int inner, int cols) {
        (warm ? simd : scalar).productFourWay(a, aOff, lda, b, bOff, ldb, c, cOff, ldc, rows, inner, cols);
    }

    @Override
    public void productSequential(double[] a, int aOff, int lda, double[] b, int bOff, int ldb, double[] c, int cOff,
                                  int ldc, int rows, int inner, int cols) {
        (warm ? simd : scalar).productSequential(a, aOff, lda, b, bOff, ldb, c, cOff, ldc, rows, inner, cols);
    }

    @Override
    public void productSequentialAdd(double[] a, int aOff, int lda, double[] b, int bOff, int ldb, double[] c,
                                     int cOff, int ldc, int rows, int inner, int cols) {
        (warm ? simd : scalar).productSequentialAdd(a, aOff, lda, b, bOff, ldb, c, cOff, ldc, rows, inner, cols);
    }

    @Override
    public void twoSumColumns(double[] w, double[] s, int sOff, int ld, int rows, int i0, int count, double[] hi,
                              double[] lo, double[] err, int out) {
        (warm ? simd : scalar).twoSumColumns(w, s, sOff, ld, rows, i0, count, hi, lo, err, out);
    }

    @Override
    public void productSequentialTransposedA(double[] at, int atOff, int ldat, double[] b, int bOff, int ldb,
                                             double[] c, int cOff, int ldc, int rows, int inner, int cols) {
        (warm ? simd : scalar).productSequentialTransposedA(at, atOff, ldat, b, bOff, ldb, c, cOff, ldc, rows, inner,
                cols);
    }
}
