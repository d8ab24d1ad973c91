package twolayer.linalg;

/**
 * The choice behind {@link Tanh#selected()}, made once when this class is loaded, the way {@link Kernels} chooses the
 * products: the SIMD class is loaded by name and only when the vector module is present.
 */
final class TanhKernels {
    /** The scalar twin: StrictMath.tanh entry by entry. */
    static final Tanh SCALAR = (src, srcOff, dst, dstOff, length) -> {
        for (int q = 0; q < length; q++) {
            dst[dstOff + q] = StrictMath.tanh(src[srcOff + q]);
        }
    };
    static final Tanh SELECTED = select();

    private TanhKernels() {
    }

    private static Tanh select() {
        if (Boolean.getBoolean("twolayer.linalg.scalar") || !Kernels.vectorModulePresent()) {
            return SCALAR;
        }
        try {
            // by name, so that nothing links against the vector classes unless the module is there
            Tanh simd = (Tanh) Class.forName("twolayer.linalg.VectorTanh").getDeclaredConstructor().newInstance();
            return new Warming(simd, !Boolean.getBoolean("twolayer.linalg.cold"));
        } catch (ReflectiveOperationException | LinkageError e) {
            return SCALAR;
        }
    }

    /**
     * The SIMD kernel once it is compiled, the scalar twin before (the reason is in {@link WarmingProducts}: the
     * uncompiled vector API is many times slower than scalar code). Same bits either way.
     */
    static final class Warming implements Tanh {
        /** Calls on a short range, enough for the optimising compiler's thresholds. */
        private static final int WARM_CALLS = 20_000;

        final Tanh simd;
        private volatile boolean warm;
        private final java.util.concurrent.CountDownLatch warmed = new java.util.concurrent.CountDownLatch(1);

        Warming(Tanh simd, boolean warmUp) {
            this.simd = simd;
            if (!warmUp) {
                warm = true;
                warmed.countDown();
                return;
            }
            Thread t = new Thread(this::warmUp, "twolayer-simd-tanh-warm-up");
            t.setDaemon(true);
            t.setPriority(Thread.MIN_PRIORITY);
            t.start();
        }

        /** Whether the calls go to the SIMD kernel yet. */
        boolean warm() {
            return warm;
        }

        private void warmUp() {
            // values in every branch (tiny, below 1, below 22, above), and a length with a scalar tail
            double[] x = new double[67];
            for (int q = 0; q < x.length; q++) {
                x[q] = (q % 2 == 0 ? 1 : -1) * Math.scalb(1.0, q % 40 - 35) * (1 + q / 7.0);
            }
            double[] y = new double[x.length];
            try {
                for (int q = 0; q < WARM_CALLS; q++) {
                    simd.tanh(x, 0, y, 0, x.length);
                }
                warm = true;
            } finally {
                // a failed warm-up leaves the scalar twin answering, and must not leave awaitWarm blocked
                warmed.countDown();
            }
        }

        /** Blocks until the calls go to the SIMD kernel (for benchmarks; results never depend on it). */
        void awaitWarm() throws InterruptedException {
            warmed.await();
        }

        @Override
        public void tanh(double[] src, int srcOff, double[] dst, int dstOff, int length) {
            (warm ? simd : SCALAR).tanh(src, srcOff, dst, dstOff, length);
        }
    }
}
