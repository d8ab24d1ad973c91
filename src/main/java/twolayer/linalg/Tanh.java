package twolayer.linalg;

/**
 * tanh applied entry by entry to a contiguous range: dst[dstOff + q] = tanh(src[srcOff + q]) for q = 0..length-1,
 * with the bits of {@link StrictMath#tanh} (fdlibm's s_tanh.c) in every entry, whatever the implementation. The
 * ranges may be the same (in place); otherwise they must not overlap. A NaN entry gives a NaN (its payload is not
 * part of the contract, as Java does not fix it).
 *
 * <p>Why StrictMath's bits: {@link Math#tanh} is allowed to differ by an ulp and does between JDK 17 (fdlibm) and
 * JDK 24+ (an x86 intrinsic), while the project promises the same bits on every JDK (see the performance chapter,
 * section "Determinism: why SIMD lanes and threads cannot change a bit").
 */
public interface Tanh {

    /** dst[dstOff + q] = StrictMath.tanh(src[srcOff + q]), q = 0..length-1. */
    void tanh(double[] src, int srcOff, double[] dst, int dstOff, int length);

    /**
     * The implementation the hot loops use: SIMD ({@code VectorTanh}) when the JVM has the vector module and
     * {@code -Dtwolayer.linalg.scalar=true} is not set, else the scalar twin; the same bits either way. As for the
     * products ({@link Kernels}), the SIMD kernel is used only once a background warm-up has had it compiled.
     */
    static Tanh selected() {
        return TanhKernels.SELECTED;
    }

    /** The SIMD kernel itself (not routed through the warm-up), or null without the vector module: for the twin tests. */
    static Tanh simd() {
        return TanhKernels.SELECTED instanceof TanhKernels.Warming w ? w.simd : null;
    }

    /** The scalar twin: a loop of {@link StrictMath#tanh}. */
    static Tanh scalar() {
        return TanhKernels.SCALAR;
    }
}
