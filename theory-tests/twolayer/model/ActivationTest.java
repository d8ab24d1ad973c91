package twolayer.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Reference values and derivative checks of the activations. */
class ActivationTest {

    /**
     * Central differences with h = 1e-5: error h^2 |sigma'''| / 6 + eps |sigma| / h <= 2e-10 + 2e-11 for these
     * functions on [-6, 6] (|sigma'''| <= 4 for all of them), so 1e-8 is a safe bar.
     */
    static final double H = 1e-5, TOL = 1e-8;

    @ParameterizedTest(name = "{0}: derivatives match central differences")
    @EnumSource(Activation.class)
    void derivativesMatchFiniteDifferences(Activation sigma) {
        for (double z = -6.0; z <= 6.0; z += 0.173) {
            if (sigma == Activation.RELU && Math.abs(z) < 2 * H) {
                continue; // the kink
            }
            double d1 = (sigma.value(z + H) - sigma.value(z - H)) / (2 * H);
            double d2 = (sigma.derivative(z + H) - sigma.derivative(z - H)) / (2 * H);
            assertEquals(d1, sigma.derivative(z), TOL, sigma + " first derivative at z=" + z);
            assertEquals(d2, sigma.secondDerivative(z), TOL, sigma + " second derivative at z=" + z);
        }
    }

    /**
     * relu at the kink, instead of skipping it: inputs drawn down to the subnormals on both sides and 0 itself, where
     * the value is max(z, 0) exactly, the derivative the convention 1 for z > 0 and 0 otherwise, the second derivative 0.
     * Bug tried: derivative z >= 0 ? 1 : 0 (the other subgradient at 0) fails at z = 0 and -0.
     */
    @Test
    void reluAtTheKink() {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(twolayer.ledger.Seeds.BASE);
        int cases = 200 * twolayer.testing.Cases.factor();
        for (int i = 0; i < cases; i++) {
            double z = i < 2 ? (i == 0 ? 0.0 : -0.0)
                    : (rng.nextBoolean() ? 1 : -1) * Math.scalb(1 + rng.nextDouble(), -rng.nextInt(1075));
            assertEquals(Math.max(z, 0.0), Activation.RELU.value(z), 0.0, "relu at z = " + z);
            assertEquals(z > 0 ? 1.0 : 0.0, Activation.RELU.derivative(z), 0.0, "relu' at z = " + z);
            assertEquals(0.0, Activation.RELU.secondDerivative(z), 0.0, "relu'' at z = " + z);
        }
    }

    /**
     * Large |z| (6 to 700, drawn): the derivatives against forms that keep their accuracy there (sech^2 z through
     * e^-2|z|, e^-|z| / (1 + e^-|z|)^2, the Gaussian), to an absolute 4 eps. The library's forms 1 - tanh^2 and
     * s (1 - s) are accurate to that absolute bar, not relatively: they return 0 where the derivative is below eps,
     * which the kernels of the chapters (sums of O(1) terms) do not notice. Bug tried: tanh' as 1 - tanh z (a
     * dropped square) fails (2 against 2e-104 at z = -120).
     */
    @ParameterizedTest(name = "{0}: derivatives accurate for large |z|")
    @EnumSource(Activation.class)
    void derivativesForLargeArguments(Activation sigma) {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(twolayer.ledger.Seeds.BASE + sigma.ordinal());
        int cases = 100 * twolayer.testing.Cases.factor();
        for (int i = 0; i < cases; i++) {
            double z = (rng.nextBoolean() ? 1 : -1) * (6 + 694 * rng.nextDouble());
            double e = Math.exp(-Math.abs(z)), sech2 = 4 * e * e / ((1 + e * e) * (1 + e * e));
            double logistic1 = e / ((1 + e) * (1 + e));     // s'(z) = s'(-z)
            double[] reference = switch (sigma) {
                case RELU -> new double[] {z > 0 ? 1 : 0, 0};
                case ERF -> new double[] {2 / Math.sqrt(Math.PI) * Math.exp(-z * z), -2 * z * 2 / Math.sqrt(Math.PI) * Math.exp(-z * z)};
                case TANH -> new double[] {sech2, -2 * Math.tanh(z) * sech2};
                case SIGMOID -> new double[] {logistic1, logistic1 * (z > 0 ? -(1 - e) / (1 + e) : (1 - e) / (1 + e))};
                case SOFTPLUS -> new double[] {z > 0 ? 1 / (1 + e) : e / (1 + e), logistic1};
            };
            double tol = 4 * Math.ulp(1.0);
            assertEquals(reference[0], sigma.derivative(z), tol, sigma + " first derivative at z = " + z);
            assertEquals(reference[1], sigma.secondDerivative(z), tol, sigma + " second derivative at z = " + z);
        }
    }

    @Test
    void referenceValues() {
        // erf(1) = 0.8427007929497149 (Abramowitz-Stegun 7.1; R: 2*pnorm(sqrt(2))-1)
        assertEquals(0.8427007929497149, Activation.ERF.value(1.0), 1e-15);
        assertEquals(2 / Math.sqrt(Math.PI), Activation.ERF.derivative(0.0), 1e-15);
        assertEquals(Math.log(2), Activation.SOFTPLUS.value(0.0), 1e-16);
        assertEquals(0.5, Activation.SIGMOID.value(0.0), 0.0);
        assertEquals(0.0, Activation.RELU.derivative(0.0), 0.0, "relu'(0) is taken as 0");
    }

    @ParameterizedTest(name = "{0}: finite and accurate for large |z|")
    @EnumSource(Activation.class)
    void stableForLargeArguments(Activation sigma) {
        for (double z : new double[] {-800, -50, 50, 800}) {
            assertTrue(Double.isFinite(sigma.value(z)), sigma + " value at " + z);
            assertTrue(Double.isFinite(sigma.derivative(z)), sigma + " derivative at " + z);
            assertTrue(Double.isFinite(sigma.secondDerivative(z)), sigma + " second derivative at " + z);
        }
        assertEquals(800.0, Activation.SOFTPLUS.value(800), 0.0);
        assertEquals(Math.exp(-50), Activation.SOFTPLUS.value(-50), 1e-35, "softplus(-50) = log1p(e^-50)");
        assertEquals(Math.exp(-50), Activation.SIGMOID.value(-50), 1e-35);
    }

    @Test
    void parseNamesTheAllowedValues() {
        assertEquals(Activation.TANH, Activation.parse("Tanh"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Activation.parse("gelu"));
        assertTrue(e.getMessage().contains("relu, erf, tanh, sigmoid, softplus"), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void theDerivativeFromTheValueHasTheBitsOfTheDerivative(Activation a) {
        // the backward pass takes sigma' from the forward pass's sigma(z); that may change no bit
        java.util.SplittableRandom rng = new java.util.SplittableRandom(17);
        double[] special = {0.0, -0.0, 1e-300, -1e-300, Double.MIN_VALUE, 0.5, -0.5, 19.0, -19.0, 20.0, 22.0, -22.0,
            40.0, -40.0, 710.0, -745.0, Double.MAX_VALUE, -Double.MAX_VALUE, Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY, Double.NaN};
        for (int q = 0; q < 20000 + special.length; q++) {
            double z = q < special.length ? special[q] : rng.nextGaussian() * Math.scalb(1.0, rng.nextInt(-20, 6));
            assertEquals(Double.doubleToLongBits(a.derivative(z)), Double.doubleToLongBits(a.derivative(z, a.value(z))),
                    a + " at z = " + z);
        }
    }
}
