package twolayer.model;

import java.util.Arrays;

/**
 * The correctly rounded sum of a sequence of doubles (round half to even), by a superaccumulator: every
 * finite double is an integer multiple of 2^-1074, so the exact sum is an integer N times 2^-1074, which this
 * class keeps exactly in 32-bit digits held in 64-bit words and rounds once, at the end (the "small
 * superaccumulator" of Neal 2015, "Fast exact summation using small and large superaccumulators",
 * arXiv:1505.05571, section 3; the rounding here is written afresh).
 *
 * <p>Why: the output f(x) = kA sum_j a_j sigma(z_j) is a sum over neurons. A rounded left-to-right sum
 * depends on the order of the neurons; the correctly rounded sum does not, so permuting the neurons leaves
 * f, the gradients and the whole trajectory bit-identical (claim FOUND-5). Adding a term costs a few integer
 * operations and no branch that depends on the data (a few ns, against about 20 ns for the Shewchuk
 * partials this class used before, which gave the same bits).
 *
 * <p>Adding x = +-mant 2^(e-1075) (e the biased exponent, 1 for subnormals) adds mant shifted by (e-1) mod 32
 * to digits (e-1)/32 and (e-1)/32 + 1; a digit changes by less than 2^53 per term, so the digits are
 * renormalised (carries pushed up) every 1000 terms, long before a 64-bit word could
 * overflow. Special terms: NaN or infinities give their IEEE sum (NaN if both infinities occur), whatever the
 * finite terms; a sum whose exact value rounds beyond the double range gives the infinity of its sign. An
 * exact zero is -0.0 only when every term is -0.0, else +0.0 (IEEE addition's rule).
 * One instance is not thread-safe: give each task its own.
 */
public final class ExactSum {
    /** Digits 0..66: digit c weighs 2^(32 c - 1074). 2046 / 32 + 2 = 65 are written, two more take carries. */
    private static final int DIGITS = 67;
    private static final int CARRY_EVERY = 1000;
    private static final long MANTISSA = (1L << 52) - 1;
    private static final long LOW32 = 0xFFFF_FFFFL;

    private final long[] digits = new long[DIGITS + 2];   // two zero words past the top: windows read them
    private final long[] magnitude = new long[DIGITS + 2];
    private int untilCarry = CARRY_EVERY;
    private long notNegativeZero;   // OR of (bits xor sign bit): 0 iff every term so far is -0.0
    private boolean empty = true;
    private double special;         // sum of non-finite terms; any such term makes the result non-finite

    /** Starts a new sum. */
    public void reset() {
        Arrays.fill(digits, 0L);
        untilCarry = CARRY_EVERY;
        notNegativeZero = 0L;
        empty = true;
        special = 0.0;
    }

    // tag::model-exact-sum-add[]
    /** Adds one term. */
    public void add(double x) {
        long bits = Double.doubleToRawLongBits(x);
        int e = (int) (bits >>> 52) & 0x7FF;
        if (e == 0x7FF) {
            special += x;
            return;
        }
        empty = false;
        notNegativeZero |= bits ^ Long.MIN_VALUE;
        // normal: the hidden bit; subnormal (e = 0): none, and the exponent of e = 1. Zeros add nothing.
        long hidden = (((long) (e - 1)) >>> 63) ^ 1L;
        long mant = (bits & MANTISSA) | (hidden << 52);
        int p = e - 1 + (int) (hidden ^ 1L);
        int c = p >>> 5, shift = p & 31;
        long lo = (mant << shift) & LOW32;
        long hi = mant >>> (32 - shift);          // shift = 0: >>> 32
        long sign = bits >> 63;                   // 0 or -1: negate without a branch
        digits[c] += (lo ^ sign) - sign;
        digits[c + 1] += (hi ^ sign) - sign;
        if (--untilCarry == 0) {
            carry(digits);
            untilCarry = CARRY_EVERY;
        }
    }
    // end::model-exact-sum-add[]

    /** Pushes every digit's excess above 32 bits into the next digit; the top digit keeps the sign. */
    private static void carry(long[] d) {
        for (int c = 0; c < DIGITS - 1; c++) {
            long up = d[c] >> 32;
            d[c] -= up << 32;
            d[c + 1] += up;
        }
    }

    /** The sum of the terms added since {@link #reset()}, correctly rounded (round half to even). */
    public double value() {
        if (special != 0.0 || Double.isNaN(special)) {
            return special;
        }
        carry(digits);
        untilCarry = CARRY_EVERY;
        // digits 0..65 now lie in [0, 2^32), so the sign of the sum is the sign of the top digit
        boolean negative = digits[DIGITS - 1] < 0;
        long[] mag = magnitude;
        for (int c = 0; c < DIGITS; c++) {
            mag[c] = negative ? -digits[c] : digits[c];
        }
        carry(mag);
        int top = DIGITS - 1;
        while (top >= 0 && mag[top] == 0) {
            top--;
        }
        if (top < 0) {
            return !empty && notNegativeZero == 0 ? -0.0 : 0.0;
        }
        // the exact value is M 2^-1074 with M = sum_c mag[c] 2^(32 c), of bit length len
        int len = 32 * top + 64 - Long.numberOfLeadingZeros(mag[top]);
        double r;
        if (len <= 53) {
            long small = mag[0] | (top > 0 ? mag[1] << 32 : 0L);
            r = Math.scalb((double) small, -1074);           // exact: 53 bits at most
        } else {
            int drop = len - 53;                              // bits below the 53 kept ones
            long window = window(mag, drop - 1);              // the round bit, then the 53 kept bits
            long q = (window >>> 1) & ((1L << 53) - 1);
            boolean half = (window & 1L) != 0;
            if (half && (sticky(mag, drop - 1) || (q & 1L) != 0)) {
                q++;                                          // 2^53 after a carry: still exact as a double
            }
            r = Math.scalb((double) q, drop - 1074);          // a normal number, or infinity beyond the range
        }
        return negative ? -r : r;
    }

    /** Bits pos .. pos + 63 of M (the digits are 32-bit, so three words cover any window). */
    private static long window(long[] mag, int pos) {
        int c = pos >>> 5, off = pos & 31;
        long w = (mag[c] | (mag[c + 1] << 32)) >>> off;
        if (off > 0) {
            w |= mag[c + 2] << (64 - off);
        }
        return w;
    }

    /** Whether any bit of M below pos is set. */
    private static boolean sticky(long[] mag, int pos) {
        int c = pos >>> 5, off = pos & 31;
        if ((mag[c] & ((1L << off) - 1)) != 0) {
            return true;
        }
        for (int k = 0; k < c; k++) {
            if (mag[k] != 0) {
                return true;
            }
        }
        return false;
    }

    // tag::model-certified-rounding[]
    /**
     * The correctly rounded sum of {@code terms} doubles read off their error-free running sum (Products.twoSumColumns:
     * the sum is hi + sum_k e_k exactly, lo and err the rounded sums of the e_k and of |e_k|), or NaN when that
     * cannot be certified; then the caller sums the terms with an ExactSum. The rounded sum of n terms errs by at
     * most gamma_(n-1) sum|e_k| &lt;= 2 n u err (u = 2^-53), so with r + t = hi + lo exactly (TwoSum), the exact sum
     * is r + t + delta with |delta| &lt;= B = 2 n u err; r is its correct rounding whenever |t| + B stays below the
     * half-gap to r's neighbour on t's side and B below the smaller half-gap (model chapter, section "The order of
     * the neurons"). A certified value is the unique correctly rounded sum, so it does not depend on the order of
     * the terms or on how the running sums were computed.
     */
    public static double certifiedRounding(double hi, double lo, double err, int terms) {
        if (terms < 1 || terms > MAX_CERTIFIED_TERMS || !Double.isFinite(hi) || !Double.isFinite(lo)
                || !Double.isFinite(err)) {
            return Double.NaN;              // a non-finite term or an overflow on the way: the exact sum decides
        }
        if (err == 0.0) {
            return hi;                      // every e_k is zero: the sum is hi exactly (and -0.0 iff all terms are)
        }
        if (err < MIN_CERTIFIED_ERR) {
            return Double.NaN;              // B would underflow and could round below the bound it stands for
        }
        double r = hi + lo;
        double v = r - hi;
        double t = (hi - (r - v)) + (lo - v);
        if (r == 0.0 || !Double.isFinite(r)) {
            return Double.NaN;
        }
        double bound = err * (terms * 0x1p-52);
        double ulp = Math.ulp(r);
        // the gap below |r| is half of ulp(r) when |r| is a power of two; 0.25 ulp and 0.5 ulp are exact for normal
        // ulps and round down (to 0) for the tiniest, which B >= 2^-952 fails anyway
        boolean powerOfTwo = (Double.doubleToRawLongBits(r) & MANTISSA) == 0L;
        double halfToward = powerOfTwo ? 0.25 * ulp : 0.5 * ulp;
        double halfOnTSide = t == 0.0 ? halfToward : (t > 0.0) == (r > 0.0) ? 0.5 * ulp : halfToward;
        // the half-gaps are powers of two, so a rounded comparison below them implies the exact one
        return Math.abs(t) + bound < halfOnTSide && bound < halfToward ? r : Double.NaN;
    }
    // end::model-certified-rounding[]

    /** Terms beyond which 2 n u no longer bounds gamma_(n-1) (1 + gamma_(n-1)) with room to spare. */
    private static final int MAX_CERTIFIED_TERMS = 1 << 30;
    /** Below this, err * 2 n u may be subnormal and lose its relative accuracy. */
    private static final double MIN_CERTIFIED_ERR = 0x1p-900;

    /** Convenience: the correctly rounded sum of {@code values[from..to)}. */
    public static double of(double[] values, int from, int to) {
        ExactSum s = new ExactSum();
        for (int i = from; i < to; i++) {
            s.add(values[i]);
        }
        return s.value();
    }
}
