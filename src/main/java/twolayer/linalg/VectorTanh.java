package twolayer.linalg;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD {@link Tanh}: fdlibm's tanh (s_tanh.c) and the part of its expm1 (s_expm1.c) that tanh reaches, lane by
 * lane. fdlibm is a fixed sequence of IEEE-754 operations chosen by branches on |x|; here every lane computes every
 * branch and a mask (or, for signs, a bit operation) keeps the one fdlibm would take, so each lane does exactly the
 * scalar arithmetic and gives
 * {@link StrictMath#tanh}'s bits. Every multiply and add is rounded separately, as in fdlibm: no fused
 * multiply-add. Entries after the last full vector go through StrictMath.tanh itself.
 *
 * <p>tanh(x) for 2^-55 &lt;= |x| &lt; 22 is built from t = expm1(u): u = -2|x| below 1 (tanh = -t / (t + 2)),
 * u = 2|x| from 1 on (tanh = 1 - 2 / (t + 2)), then the sign of x. So expm1 only sees
 * u in (-2, -2^-54] and [2, 44): its overflow, -1 and tiny branches are never taken, its k = 1 case never
 * occurs, and what is left is the reduction u = k ln2 + r (k = 0 for |u| &lt; 0.5 ln2, k = -1 up to 1.5 ln2, else
 * k = trunc(u / ln2 +- 1/2), -3 .. 63) and the reconstruction of 2^k (1 + expm1(r)) - 1 by the range of k.
 * fdlibm's bit manipulations are replaced by arithmetic with the same result: adding k to the exponent of a
 * normal number in [1/2, 2) is the exact product with 2^k, and 1 - 2^-k (k &lt; 20) is exact. The truncation of
 * u / ln2 +- 1/2 (at most 64 in magnitude) is done with the 1.5 2^52 rounding constant and a correction.
 *
 * <p>fdlibm's two remaining branches need no lanes of their own, as the general path gives their bits. Below
 * |x| = 2^-55 fdlibm returns x (1 + x), which is x, as 1 + x rounds to 1. The general path takes u = -2|x| (exact),
 * k = 0, r = u, c = 0; hxs = u^2 / 2 is below a quarter ulp of u (hxs / ulp(u) &lt; |u| 2^52 &lt; 1/4), or 0 for
 * subnormal u, and so is r e - hxs, so expm1 returns u; then -u / (u + 2) = -u / 2 = |x| exactly (u + 2 rounds to 2),
 * and the sign bit of x gives x, signed zeros included. A NaN propagates through every operation to a NaN, whose
 * sign may differ from x's (fdlibm returns x + x); the {@link Tanh} contract leaves a NaN's bits open.
 *
 * <p>Loaded only through {@link TanhKernels}, when the module is present.
 */
final class VectorTanh implements Tanh {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    // fdlibm's expm1 constants
    private static final double LN2_HI = 0x1.62e42feep-1;
    private static final double LN2_LO = 0x1.a39ef35793c76p-33;
    private static final double INVLN2 = 0x1.71547652b82fep0;
    private static final double Q1 = -0x1.11111111110f4p-5;
    private static final double Q2 = 0x1.a01a019fe5585p-10;
    private static final double Q3 = -0x1.4ce199eaadbb7p-14;
    private static final double Q4 = 0x1.0cfca86e65239p-18;
    private static final double Q5 = -0x1.afdb76e09c32dp-23;
    /** |u| at or above this: expm1 reduces (its high word above 0x3fd62e42, |u| &gt; 0.5 ln2). */
    private static final double REDUCE = Double.longBitsToDouble(0x3fd62e43_00000000L);
    /** |u| below this: k = +-1 (high word below 0x3ff0a2b2, |u| &lt; 1.5 ln2). */
    private static final double K_ONE = Double.longBitsToDouble(0x3ff0a2b2_00000000L);
    /** tanh's thresholds on |x| (high words 0x3ff00000, 0x40360000). */
    private static final double ONE = 1.0, SATURATE = 22.0;
    /** Adding and subtracting it rounds a double of magnitude below 2^51 to an integer; its bits hold the integer. */
    private static final double ROUND = 0x1.8p52;
    private static final long SIGN = 0x8000_0000_0000_0000L;
    private static final long HALF = Double.doubleToRawLongBits(0.5);

    @Override
    public void tanh(double[] src, int srcOff, double[] dst, int dstOff, int length) {
        lanes(src, srcOff, dst, dstOff, length, 0.0);
    }

    /**
     * dst[dstOff + q] = expm1(src[srcOff + q]) by the kernel's expm1, full vectors only (length a multiple of the
     * vector length), for arguments in (-2, -2^-54] and [2, 44) only: for the test that checks the reconstruction
     * branches which tanh's rounding hides. Outside that domain the result is not fdlibm's (for example, a positive
     * u below 1.5 ln2 would take k = -1, which tanh never asks for).
     */
    static void expm1(double[] src, int srcOff, double[] dst, int dstOff, int length) {
        if (length % L != 0) {
            throw new IllegalArgumentException("length: a multiple of " + L + " expected, got " + length);
        }
        lanes(src, srcOff, dst, dstOff, length, 1.0);
    }

    /**
     * tanh (or, with {@code expm1} = 1, expm1 alone) of every full vector, the rest through StrictMath.tanh. All of
     * it is one method on purpose: the optimising compiler keeps vectors in registers only within a compiled method
     * and what it inlines, and it does not inline a callee of this size, so a helper taking and returning vectors
     * would allocate them on every call (several times slower). The expm1 switch is a mask made by a vector compare,
     * not a branch: a branch that the hot loops never take would be compiled as a trap, and the first expm1 call would
     * throw the compiled code away.
     */
    private static void lanes(double[] src, int srcOff, double[] dst, int dstOff, int length, double expm1) {
        VectorMask<Double> expm1Only = DoubleVector.broadcast(S, expm1).compare(VectorOperators.NE, 0.0);
        int p = 0;
        for (; p + L <= length; p += L) {
            DoubleVector x = DoubleVector.fromArray(S, src, srcOff + p);
            DoubleVector ax = x.abs();
            // u = -2|x| below 1, 2|x| from 1 on: the sign bit of |x| - 1 (+0.0 at |x| = 1) on 2|x|. Sign bits moved
            // with integer operations instead of compares and blends: as JDK 17 compiles masks, that took a quarter
            // of the time off this loop
            LongVector belowOne = ax.sub(1.0).reinterpretAsLongs().and(SIGN);
            DoubleVector u = ax.mul(2.0).reinterpretAsLongs().or(belowOne).reinterpretAsDoubles().blend(x, expm1Only);

            // ---- expm1(u), fdlibm's s_expm1.c on u in (-2, -2^-54] and [2, 44) (the class comment says why)
            DoubleVector au = u.abs();
            LongVector uSign = u.reinterpretAsLongs().and(SIGN);
            // k = (int) (invln2 u +- 0.5), a truncation towards zero: sign(w) floor(|w|)
            DoubleVector w = u.mul(INVLN2).add(uSign.or(HALF).reinterpretAsDoubles());
            DoubleVector aw = w.abs();
            DoubleVector floor = aw.add(ROUND).sub(ROUND);
            floor = floor.blend(floor.sub(1.0), floor.compare(VectorOperators.GT, aw));
            // k = -1 (not +-1: only u < 0 comes below 1.5 ln2) and k = 0 by |u|
            DoubleVector k = floor.reinterpretAsLongs().or(w.reinterpretAsLongs().and(SIGN)).reinterpretAsDoubles()
                    .blend(-1.0, au.compare(VectorOperators.LT, K_ONE))
                    .blend(0.0, au.compare(VectorOperators.LT, REDUCE));
            // u = k ln2 + r with r = hi - lo, and c the rounding error of that subtraction (k = 0 leaves u, c = 0;
            // k = +-1 gives fdlibm's u -+ ln2_hi exactly)
            DoubleVector hi = u.sub(k.mul(LN2_HI));
            DoubleVector lo = k.mul(LN2_LO);
            DoubleVector r = hi.sub(lo);
            DoubleVector c = hi.sub(r).sub(lo);
            DoubleVector hfx = r.mul(0.5);
            DoubleVector hxs = r.mul(hfx);
            DoubleVector r1 = hxs.mul(Q5).add(Q4);
            r1 = hxs.mul(r1).add(Q3);
            r1 = hxs.mul(r1).add(Q2);
            r1 = hxs.mul(r1).add(Q1);
            r1 = hxs.mul(r1).add(1.0);
            DoubleVector t = DoubleVector.broadcast(S, 3.0).sub(r1.mul(hfx));
            DoubleVector e = hxs.mul(r1.sub(t).div(DoubleVector.broadcast(S, 6.0).sub(r.mul(t))));
            DoubleVector kZero = r.sub(r.mul(e).sub(hxs));                                   // k = 0
            e = r.mul(e.sub(c)).sub(c).sub(hxs);
            DoubleVector kMinusOne = r.sub(e).mul(0.5).sub(0.5);                             // k = -1
            // 2^k and 2^-k: the integer n = 1023 +- k sits in the low bits of n + 1.5 2^52, whose bits shifted
            // left by 52 are those of 2^(n - 1023)
            DoubleVector twoK = k.add(ROUND + 1023).reinterpretAsLongs().lanewise(VectorOperators.LSHL, 52)
                    .reinterpretAsDoubles();
            DoubleVector twoMinusK = DoubleVector.broadcast(S, ROUND + 1023).sub(k).reinterpretAsLongs()
                    .lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
            DoubleVector eMinusR = e.sub(r);
            DoubleVector far = DoubleVector.broadcast(S, 1.0).sub(eMinusR).mul(twoK).sub(1.0);        // k <= -2, > 56
            DoubleVector low = DoubleVector.broadcast(S, 1.0).sub(twoMinusK).sub(eMinusR).mul(twoK);  // 2 <= k < 20
            DoubleVector mid = r.sub(e.add(twoMinusK)).add(1.0).mul(twoK);                            // 20 <= k <= 56
            DoubleVector em1 = mid.blend(low, k.compare(VectorOperators.LT, 20.0))
                    .blend(far, k.compare(VectorOperators.LE, -2.0).or(k.compare(VectorOperators.GT, 56.0)))
                    .blend(kMinusOne, k.compare(VectorOperators.EQ, -1.0))
                    .blend(kZero, k.compare(VectorOperators.EQ, 0.0));

            // ---- tanh from t = expm1(u): below 1, -t / (t + 2); from 1 on, 1 - 2 / (t + 2) (one division, with
            // the lane's own numerator); 1 from 22 on (fdlibm's 1 - tiny rounds to 1), also for +-inf. Both are
            // >= 0, so the sign of x is its sign bit set. No tiny or NaN branch is needed (the class comment says why)
            VectorMask<Double> fromOne = ax.compare(VectorOperators.GE, ONE);
            DoubleVector q = em1.neg().blend(2.0, fromOne).div(em1.add(2.0));
            DoubleVector z = q.blend(DoubleVector.broadcast(S, 1.0).sub(q), fromOne)
                    .blend(1.0, ax.compare(VectorOperators.GE, SATURATE));
            z = z.reinterpretAsLongs().or(x.reinterpretAsLongs().and(SIGN)).reinterpretAsDoubles();
            z.blend(em1, expm1Only).intoArray(dst, dstOff + p);
        }
        for (; p < length; p++) {
            dst[dstOff + p] = StrictMath.tanh(src[srcOff + p]);
        }
    }
}
