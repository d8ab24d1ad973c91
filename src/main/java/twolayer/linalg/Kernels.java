package twolayer.linalg;

/**
 * Picks the implementation of {@link Products} once, when this class is loaded: the SIMD one when the JVM
 * runs with the incubating vector module ({@code --add-modules jdk.incubator.vector}), else the plain scalar
 * twin. Both give the same bits, so the choice changes speed only (the benchmarks README, section
 * "Determinism", says why). {@code -Dtwolayer.linalg.scalar=true} forces the scalar twin, for comparisons.
 * The SIMD implementation is reached through {@link WarmingProducts}, which answers with the scalar twin until a
 * background warm-up has had the SIMD kernels compiled; {@code -Dtwolayer.linalg.cold=true} skips that, to time
 * the cold SIMD kernels.
 */
public final class Kernels {
    private static final Products SCALAR = new ScalarProducts();
    private static final Products SELECTED = select();

    private Kernels() {
    }

    /** The implementation the hot loops use. */
    public static Products selected() {
        return SELECTED;
    }

    /**
     * The SIMD implementation itself (not routed through the warm-up), or null without the vector module: for the
     * twin tests.
     */
    public static Products simd() {
        return SELECTED instanceof WarmingProducts w ? w.simdProducts() : SELECTED == SCALAR ? null : SELECTED;
    }

    /** The plain scalar twin, callable even when the SIMD one is selected (the twin tests compare both). */
    public static Products scalar() {
        return SCALAR;
    }

    /**
     * Blocks until the selected products and the tanh kernel run at their full speed: until the SIMD kernels'
     * warm-ups have finished (a few seconds after their classes are loaded), at once when there is no warm-up. For benchmarks, which time
     * the steady state; a run's results never depend on it.
     */
    public static void awaitWarm() throws InterruptedException {
        if (SELECTED instanceof WarmingProducts w) {
            w.awaitWarm();
        }
        // the tanh kernel warms up on its own thread, started when its class is loaded (here, if not before)
        if (TanhKernels.SELECTED instanceof TanhKernels.Warming w) {
            w.awaitWarm();
        }
    }

    /** Whether the SIMD implementation is selected. */
    public static boolean vectorized() {
        return SELECTED != SCALAR;
    }

    /** Whether this JVM has the vector module; the SIMD class may be loaded only then. */
    public static boolean vectorModulePresent() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    private static Products select() {
        if (Boolean.getBoolean("twolayer.linalg.scalar") || !vectorModulePresent()) {
            return SCALAR;
        }
        try {
            // by name, so that nothing links against the vector classes unless the module is there
            Products simd =
                    (Products) Class.forName("twolayer.linalg.VectorProducts").getDeclaredConstructor().newInstance();
            return Boolean.getBoolean("twolayer.linalg.cold") ? simd : new WarmingProducts(simd, SCALAR);
        } catch (ReflectiveOperationException | LinkageError e) {
            return SCALAR;
        }
    }
}
