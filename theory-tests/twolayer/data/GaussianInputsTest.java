package twolayer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import twolayer.ledger.Seeds;

/**
 * x ~ N(0, s^2 I_d): sample moments within 6 standard errors (two-sided Gaussian tail about 2e-9 per
 * assertion), and determinism.
 */
class GaussianInputsTest {

    static Stream<Long> seeds() {
        return Seeds.of(5);
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void sampleMomentsMatchTheLaw(long seed) {
        int n = 2000;
        int d = 4;
        double s = 2.5;
        double[] x = GaussianInputs.sample(n, d, s, seed);
        for (int k = 0; k < d; k++) {
            double mean = 0;
            double meanSquare = 0;
            for (int i = 0; i < n; i++) {
                mean += x[i * d + k] / n;
                meanSquare += x[i * d + k] * x[i * d + k] / n;
            }
            // The mean of n draws of N(0, s^2) has standard error s/sqrt(n); allow 6 of them
            assertEquals(0.0, mean, 6 * s / Math.sqrt(n), "mean of coordinate " + k);
            // Var(x^2) = 2 s^4 for a centred Gaussian, so (1/n) sum x^2 has standard error s^2 sqrt(2/n); allow 6
            assertEquals(s * s, meanSquare, 6 * s * s * Math.sqrt(2.0 / n), "variance of coordinate " + k);
        }
        double cross = 0;
        for (int i = 0; i < n; i++) {
            cross += x[i * d] * x[i * d + 1] / n;
        }
        // Independent coordinates: E[x_0 x_1] = 0 and Var(x_0 x_1) = s^4, so the standard error is s^2/sqrt(n); allow 6
        assertEquals(0.0, cross, 6 * s * s / Math.sqrt(n), "covariance of coordinates 0 and 1");
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void sameSeedSameBitsOtherSeedOtherPoints(long seed) {
        assertArrayEquals(GaussianInputs.sample(50, 3, 1.5, seed), GaussianInputs.sample(50, 3, 1.5, seed));
        assertArrayEquals(GaussianInputs.sample(50, 3, 1.5, seed),
                GaussianInputs.sample(50, 3, 1.5, new SplittableRandom(seed)));
        assertFalse(Arrays.equals(GaussianInputs.sample(50, 3, 1.5, seed), GaussianInputs.sample(50, 3, 1.5, seed + 1)));
    }

    @Test
    void invalidArgumentsNameTheField() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GaussianInputs.sample(0, 2, 1, 1L)).getMessage().startsWith("n:"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GaussianInputs.sample(2, -1, 1, 1L)).getMessage().startsWith("d:"));
        for (double s : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertTrue(assertThrows(IllegalArgumentException.class, () -> GaussianInputs.sample(2, 2, s, 1L))
                    .getMessage().startsWith("s: must be finite and > 0"), "s = " + s);
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GaussianInputs.sample(100_000, 100_000, 1, 1L))
                .getMessage().startsWith("n*d:"));
    }
}
