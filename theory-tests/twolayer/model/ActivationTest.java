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
