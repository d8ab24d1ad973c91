package twolayer.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The superaccumulator of {@link ExactSum} at the edges: ties, subnormals, the top of the range, heavy
 * cancellation, signed zeros, more terms than one carry interval, and agreement bit for bit with the
 * Shewchuk sum it replaced.
 */
class ExactSumEdgeCasesTest {

    private static final double ULP1 = Math.ulp(1.0);           // 2^-52

    @Test
    void tiesRoundHalfToEven() {
        assertBits(1.0, sum(1.0, ULP1 / 2));                       // tie, 1.0 is even
        assertBits(1.0 + 2 * ULP1, sum(1.0 + ULP1, ULP1 / 2));     // tie, 1 + 2^-52 is odd: up
        assertBits(1.0 + ULP1, sum(1.0, ULP1 / 2, 0x1p-200));      // just above the tie: up
        assertBits(1.0, sum(1.0, ULP1 / 2, -0x1p-200));            // just below: down
        assertBits(-1.0, sum(-1.0, -ULP1 / 2));
        assertBits(-(1.0 + 2 * ULP1), sum(-1.0 - ULP1, -ULP1 / 2));
        // the tie decided by a term far below the kept bits, and a carry through all 53 bits
        assertBits(2.0, sum(2.0 - ULP1, ULP1 / 2, 0x1p-1074));
        assertBits(2.0, sum(2.0 - ULP1, ULP1 / 2));                // 2 - 2^-52 is odd: up to 2
    }

    @Test
    void subnormalsAreExact() {
        assertBits(2 * Double.MIN_VALUE, sum(Double.MIN_VALUE, Double.MIN_VALUE));
        assertBits(Double.MIN_NORMAL, sum(Double.MIN_NORMAL - Double.MIN_VALUE, Double.MIN_VALUE));
        assertBits(Double.MIN_VALUE, sum(Double.MIN_NORMAL, -Double.MIN_NORMAL + Double.MIN_VALUE));
        assertBits(-3 * Double.MIN_VALUE, sum(-Double.MIN_VALUE, -2 * Double.MIN_VALUE));
        assertBits(Double.MIN_VALUE, sum(1e300, Double.MIN_VALUE, -1e300));
    }

    @Test
    void theTopOfTheRange() {
        double max = Double.MAX_VALUE, half = Math.ulp(max) / 2;
        assertBits(max, sum(max, max, -max));                      // an intermediate beyond the range is fine
        assertBits(Double.POSITIVE_INFINITY, sum(max, max));
        assertBits(Double.NEGATIVE_INFINITY, sum(-max, -max));
        assertBits(Double.POSITIVE_INFINITY, sum(max, half));      // tie above an odd MAX: rounds to 2^1024
        assertBits(max, sum(max, half, -Double.MIN_VALUE));        // just below the tie
        double[] many = new double[5000];
        java.util.Arrays.fill(many, max);
        for (int i = 1; i < many.length; i += 2) {
            many[i] = -max;
        }
        assertBits(0.0, ExactSum.of(many, 0, many.length));
        assertBits(max, ExactSum.of(many, 0, many.length - 1));
    }

    @Test
    void heavyCancellation() {
        SplittableRandom rng = new SplittableRandom(5);
        double[] v = new double[2401];
        for (int i = 0; i + 1 < v.length; i += 2) {
            v[i] = rng.nextGaussian() * Math.scalb(1.0, rng.nextInt(-1000, 1000));
            v[i + 1] = -v[i];
        }
        v[v.length - 1] = 0x1p-1070;
        shuffle(v, rng);
        assertBits(0x1p-1070, ExactSum.of(v, 0, v.length));
        assertBits(1e-100, sum(1e100, 1e-100, -1e100, 3.0, -3.0));
    }

    @Test
    void signedZerosFollowIeeeAddition() {
        assertBits(0.0, sum());
        assertBits(-0.0, sum(-0.0));
        assertBits(-0.0, sum(-0.0, -0.0, -0.0));
        assertBits(0.0, sum(-0.0, 0.0));
        assertBits(0.0, sum(-0.0, 1.0, -1.0));
        assertBits(0.0, sum(-1.0, 1.0));
        assertBits(1.0, sum(-0.0, 1.0));
    }

    @Test
    void specialTermsWin() {
        assertBits(Double.POSITIVE_INFINITY, sum(Double.MAX_VALUE, -Double.MAX_VALUE, Double.POSITIVE_INFINITY));
        assertBits(Double.NEGATIVE_INFINITY, sum(Double.NEGATIVE_INFINITY, Double.MAX_VALUE, Double.MAX_VALUE));
        assertEquals(Double.NaN, sum(Double.NEGATIVE_INFINITY, 1.0, Double.POSITIVE_INFINITY));
        assertEquals(Double.NaN, sum(-0.0, Double.NaN));
    }

    @Test
    void wideRandomSumsAreCorrectlyRoundedInAnyOrder() {
        SplittableRandom rng = new SplittableRandom(17);
        ExactSum reused = new ExactSum();
        int compared = 0;
        for (int trial = 0; trial < 300; trial++) {
            int n = 1 + rng.nextInt(trial % 10 == 0 ? 4000 : 200);
            int lowExp = rng.nextInt(-1080, 1000), spread = 1 + rng.nextInt(80);
            double[] v = new double[n];
            BigDecimal exact = BigDecimal.ZERO;
            for (int i = 0; i < n; i++) {
                int e = Math.min(1020, lowExp + rng.nextInt(spread));
                v[i] = (rng.nextBoolean() ? 1 : -1) * Math.scalb(rng.nextDouble(), e);
                if (rng.nextInt(20) == 0) {
                    v[i] = rng.nextBoolean() ? 0.0 : -0.0;
                }
                exact = exact.add(new BigDecimal(v[i]));
            }
            double expected = exact.doubleValue();   // correctly rounded, half to even
            if (expected == 0.0) {
                expected = ShewchukSum.of(v, 0, n);  // BigDecimal has no -0; the old sum fixes the sign
            }
            assertBits(expected, ExactSum.of(v, 0, n), "trial " + trial);
            shuffle(v, rng);
            reused.reset();
            for (double x : v) {
                reused.add(x);
            }
            assertBits(expected, reused.value(), "trial " + trial + ", shuffled");
            double old = ShewchukSum.of(v, 0, n);
            // the Shewchuk partials overflow (to NaN or infinity) when an intermediate sum passes the double
            // range; everywhere else the two must agree to the bit
            if (Double.isFinite(old)) {
                assertBits(old, reused.value(), "trial " + trial + ", against the Shewchuk sum");
                compared++;
            }
        }
        assertTrue(compared > 250, "compared with the Shewchuk sum in " + compared + " of 300 trials");
    }

    @Test
    void theValueCanBeReadBetweenTerms() {
        ExactSum s = new ExactSum();
        s.add(-3.5);
        assertBits(-3.5, s.value());
        s.add(1.25);
        assertBits(-2.25, s.value());
        s.add(2.25);
        assertBits(0.0, s.value());
    }

    private static double sum(double... v) {
        return ExactSum.of(v, 0, v.length);
    }

    private static void shuffle(double[] v, SplittableRandom rng) {
        for (int i = v.length - 1; i > 0; i--) {
            int k = rng.nextInt(i + 1);
            double t = v[i];
            v[i] = v[k];
            v[k] = t;
        }
    }

    private static void assertBits(double expected, double actual) {
        assertBits(expected, actual, "");
    }

    private static void assertBits(double expected, double actual, String message) {
        assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(actual),
                message + ": expected " + expected + ", got " + actual);
    }
}
