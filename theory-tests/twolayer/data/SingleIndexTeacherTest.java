package twolayer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.stream.Stream;
import org.apache.commons.math3.special.Erf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import twolayer.ledger.Seeds;
import twolayer.model.Activation;

/** y = g(&lt;u, x&gt;): labels equal the formula, u is a unit vector, label noise has the stated law. */
class SingleIndexTeacherTest {

    static Stream<Long> seeds() {
        return Seeds.of(5);
    }

    /** The links written out independently of {@link Link}. */
    private static double g(Link link, double z) {
        return switch (link) {
            case LINEAR -> z;
            case RELU -> Math.max(z, 0);
            case ERF -> Erf.erf(z);
            case TANH -> Math.tanh(z);
            case SIGMOID -> 1 / (1 + Math.exp(-z));
            case SOFTPLUS -> Math.log1p(Math.exp(z));
            case HE2 -> z * z - 1;
            case HE3 -> z * z * z - 3 * z;
        };
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void labelsEqualTheFormula(long seed) {
        int n = 50;
        int d = 7;
        double[] x = GaussianInputs.sample(n, d, 1.0, seed + 1000);
        for (Link link : Link.values()) {
            SingleIndexTeacher teacher = SingleIndexTeacher.random(d, link, seed);
            double[] u = teacher.direction();
            double[] y = teacher.labels(x);
            for (int i = 0; i < n; i++) {
                double z = 0;
                for (int k = 0; k < d; k++) {
                    z += u[k] * x[i * d + k];
                }
                // Same formula evaluated differently (e.g. z^3 - 3z vs z (z^2 - 3)): only rounding, a few ulps of |z|^3
                double expected = g(link, z);
                assertEquals(expected, y[i], 1e-13 * (1 + Math.abs(z) * z * z), link + ", point " + i);
            }
        }
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void directionIsUnitAndSeeded(long seed) {
        double[] u = SingleIndexTeacher.random(20, Link.HE2, seed).direction();
        assertEquals(1.0, Math.sqrt(Arrays.stream(u).map(v -> v * v).sum()), 1e-12);
        assertArrayEquals(u, SingleIndexTeacher.random(20, Link.RELU, seed).direction());
        assertFalse(Arrays.equals(u, SingleIndexTeacher.random(20, Link.HE2, seed + 1).direction()));
    }

    @Test
    void givenDirectionIsNormalisedAndHermiteValuesAreExact() {
        // u = (3, 4)/5, x = (1, 0): z = 0.6
        assertEquals(0.6, SingleIndexTeacher.of(new double[] {3, 4}, Link.LINEAR).value(new double[] {1, 0}), 1e-16);
        // u = e_1, x = (2, 5): He2(2) = 3, He3(2) = 8 - 6 = 2
        SingleIndexTeacher he2 = SingleIndexTeacher.of(new double[] {1, 0}, Link.HE2);
        assertEquals(3.0, he2.value(new double[] {2, 5}), 0.0);
        assertEquals(2.0, SingleIndexTeacher.of(new double[] {1, 0}, Link.HE3).value(new double[] {2, 5}), 0.0);
        // Huge entries do not overflow the normalisation
        assertArrayEquals(new double[] {0.6, 0.8}, SingleIndexTeacher.of(new double[] {3e300, 4e300}, Link.LINEAR).direction(), 1e-16);
    }

    /**
     * With noise s, y - f*(x) are n independent N(0, s^2) draws: their mean has standard error s/sqrt(n) and their
     * mean square s^2 sqrt(2/n). 6 standard errors each (two-sided tail about 2e-9).
     */
    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void labelNoiseIsCentredGaussianWithTheGivenStd(long seed) {
        int n = 4000;
        int d = 3;
        double s = 0.3;
        double[] x = GaussianInputs.sample(n, d, 1.0, seed);
        SingleIndexTeacher teacher = SingleIndexTeacher.random(d, Link.TANH, seed);
        double[] clean = teacher.labels(x);
        assertArrayEquals(clean, teacher.dataset(x, 0.0, seed).y(), 0.0, "noise 0 gives the clean labels");
        Dataset noisy = teacher.dataset(x, s, seed);
        assertArrayEquals(x, noisy.x(), 0.0);
        assertArrayEquals(noisy.y(), teacher.dataset(x, s, seed).y(), 0.0, "same seed, same noise");
        double mean = 0;
        double meanSquare = 0;
        for (int i = 0; i < n; i++) {
            double e = noisy.y(i) - clean[i];
            mean += e / n;
            meanSquare += e * e / n;
        }
        assertEquals(0.0, mean, 6 * s / Math.sqrt(n), "mean of the noise");
        assertEquals(s * s, meanSquare, 6 * s * s * Math.sqrt(2.0 / n), "variance of the noise");
    }

    @Test
    void linksParseAndFollowActivations() {
        assertEquals(Link.HE2, Link.parse(" he2 "));
        for (Activation a : Activation.values()) {
            assertEquals(a.value(0.7), Link.of(a).value(0.7), 0.0, a.name());
        }
        String message = assertThrows(IllegalArgumentException.class, () -> Link.parse("cubic")).getMessage();
        assertTrue(message.startsWith("link: unknown 'cubic'") && message.contains("he2"), message);
    }

    @Test
    void invalidArgumentsNameTheField() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SingleIndexTeacher.of(new double[] {0, 0}, Link.RELU))
                .getMessage().startsWith("u:"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SingleIndexTeacher.of(new double[] {1, Double.NaN}, Link.RELU))
                .getMessage().startsWith("u:"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SingleIndexTeacher.random(0, Link.RELU, 1L))
                .getMessage().startsWith("d:"));
        SingleIndexTeacher t = SingleIndexTeacher.random(3, Link.RELU, 1L);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> t.dataset(new double[6], -0.1, 1L))
                .getMessage().startsWith("noise:"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> t.dataset(new double[6], Double.NaN, 1L))
                .getMessage().startsWith("noise:"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> t.labels(new double[5])).getMessage().startsWith("x:"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> t.value(new double[2])).getMessage().startsWith("point:"));
    }
}
