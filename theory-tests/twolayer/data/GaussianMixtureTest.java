package twolayer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import twolayer.ledger.Seeds;

/**
 * y = +-1 with probability 1/2, x | y ~ N(y mu, I_d). Statistical checks allow 6 standard errors (two-sided
 * Gaussian tail about 2e-9 per assertion).
 */
class GaussianMixtureTest {

    static Stream<Long> seeds() {
        return Seeds.of(5);
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void labelsAreBalanced(long seed) {
        int n = 2000;
        Dataset data = GaussianMixture.random(3, 1.0, seed).sample(n, seed + 1000);
        int plus = 0;
        for (int i = 0; i < n; i++) {
            assertTrue(data.y(i) == 1.0 || data.y(i) == -1.0, "label " + data.y(i));
            plus += data.y(i) > 0 ? 1 : 0;
        }
        // #{y = +1} ~ Binomial(n, 1/2): mean n/2, standard deviation sqrt(n)/2; allow 6 of them
        assertEquals(n / 2.0, plus, 6 * Math.sqrt(n) / 2);
    }

    /** y x = mu + y g with y g ~ N(0, I_d): the mean of y_i x_i estimates mu with standard error 1/sqrt(n) per coordinate. */
    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void classMeansAreTheGivenMean(long seed) {
        int n = 2000;
        GaussianMixture mixture = GaussianMixture.random(5, 1.5, seed);
        double[] mu = mixture.mean();
        assertEquals(1.5, Math.sqrt(Arrays.stream(mu).map(v -> v * v).sum()), 1e-12, "|mu|");
        Dataset data = mixture.sample(n, seed);
        double noiseSquare = 0;
        for (int j = 0; j < 5; j++) {
            double mean = 0;
            for (int i = 0; i < n; i++) {
                mean += data.y(i) * data.x(i, j) / n;
                double g = data.x(i, j) - data.y(i) * mu[j];
                noiseSquare += g * g / (5.0 * n);
            }
            assertEquals(mu[j], mean, 6 / Math.sqrt(n), "mean of y x, coordinate " + j);
        }
        // The 5n noise entries are N(0, 1): their mean square has standard error sqrt(2 / (5n)); allow 6
        assertEquals(1.0, noiseSquare, 6 * Math.sqrt(2.0 / (5 * n)), "noise variance");
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void informativeCoordinatesCarryTheSignalTheRestIsNoise(long seed) {
        int n = 1000;
        int d = 100;
        int k = 3;
        GaussianMixture mixture = GaussianMixture.informative(d, k, 2.0);
        double[] mu = mixture.mean();
        for (int j = 0; j < d; j++) {
            assertEquals(j < k ? 2.0 / Math.sqrt(k) : 0.0, mu[j], 0.0, "mu_" + j);
        }
        Dataset data = mixture.sample(n, seed);
        for (int j = 0; j < d; j++) {
            double mean = 0;
            for (int i = 0; i < n; i++) {
                mean += data.y(i) * data.x(i, j) / n;
            }
            // Standard error 1/sqrt(n) per coordinate (see classMeansAreTheGivenMean); allow 6
            assertEquals(mu[j], mean, 6 / Math.sqrt(n), "mean of y x, coordinate " + j);
        }
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void sameSeedSameBitsOtherSeedOtherData(long seed) {
        GaussianMixture mixture = GaussianMixture.random(4, 1.0, seed);
        assertArrayEquals(mixture.mean(), GaussianMixture.random(4, 1.0, seed).mean(), 0.0);
        assertFalse(Arrays.equals(mixture.mean(), GaussianMixture.random(4, 1.0, seed + 1).mean()));
        Dataset a = mixture.sample(100, seed);
        Dataset b = GaussianMixture.of(mixture.mean()).sample(100, seed);
        assertArrayEquals(a.x(), b.x(), 0.0);
        assertArrayEquals(a.y(), b.y(), 0.0);
        assertFalse(Arrays.equals(a.x(), mixture.sample(100, seed + 1).x()));
    }

    @Test
    void invalidArgumentsNameTheField() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GaussianMixture.informative(10, 0, 1)).getMessage().startsWith("k:"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GaussianMixture.informative(10, 11, 1)).getMessage().startsWith("k:"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GaussianMixture.informative(10, 2, Double.NaN))
                .getMessage().startsWith("meanNorm:"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GaussianMixture.random(0, 1, 1L)).getMessage().startsWith("d:"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GaussianMixture.of(new double[] {1, Double.POSITIVE_INFINITY}))
                .getMessage().startsWith("mu:"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GaussianMixture.of(new double[] {1}).sample(0, 1L))
                .getMessage().startsWith("n:"));
    }
}
