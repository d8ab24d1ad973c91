package twolayer.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The presets' coordinates at a width, and the validation of bad input. */
class ParameterizationTest {

    /**
     * Being the mean-field net is a property of the scales, not of the name: a renamed, rebuilt or lazy-scale-1
     * copy of the preset is still mean field (and keeps the MFLD certificate), any change of a multiplier or rate,
     * an output bias, an offset or a lazy scale other than 1 is not.
     */
    @Test
    void meanFieldIsDecidedByTheScalesNotTheName() {
        Parameterization mf = Parameterization.meanField();
        assertTrue(mf.isMeanField());
        assertTrue(mf.withName("renamed").isMeanField(), "renamed");
        assertTrue(mf.withLazyScale(1.0).isMeanField(), "lazy scale 1 is no change");
        assertTrue(mf.withBiases(true, false).isMeanField(), "hidden biases are particle coordinates");
        assertTrue(mf.withAntisymmetricInit(true).isMeanField(), "the initial law does not change the dynamics");
        assertFalse(mf.withLazyScale(2.0).isMeanField(), "lazy scale 2");
        assertFalse(mf.withBiases(true, true).isMeanField(), "output bias");
        assertFalse(mf.withRates(Scale.constant(1), Scale.constant(1), Scale.constant(1), Scale.constant(1))
                .isMeanField(), "rates 1");
        assertFalse(Parameterization.ntk(1, 1, 1).isMeanField(), "ntk");
        assertFalse(Parameterization.standard(1, 1, 1).isMeanField(), "standard");
    }

    @Test
    void ntkPresetHasNeuralTangentsCoordinates() {
        TwoLayerNet net = TwoLayerNet.initialize(4, 100, Activation.RELU, Parameterization.ntk(1.5, 2.0, 0.1), 1L);
        assertEquals(2.0 / 10.0, net.multiplier(Group.A), 1e-15, "kA = sigmaV / sqrt(m)");
        assertEquals(1.5 / 2.0, net.multiplier(Group.W), 1e-15, "kW = sigmaW / sqrt(d)");
        assertEquals(0.1, net.multiplier(Group.B), 0.0);
        assertEquals(1.0, net.rate(Group.W), 0.0);
        assertEquals(100 + 400 + 100 + 1, net.parameterCount());
    }

    @Test
    void meanFieldPresetHasRatesProportionalToWidth() {
        TwoLayerNet net = TwoLayerNet.initialize(3, 50, Activation.TANH, Parameterization.meanField(), 1L);
        assertEquals(1.0 / 50, net.multiplier(Group.A), 1e-17);
        assertEquals(50.0, net.rate(Group.A), 1e-12);
        assertEquals(50.0, net.rate(Group.W), 1e-12);
        assertEquals(0, net.count(Group.B));
        assertEquals(50 + 150, net.parameterCount());
    }

    @Test
    void lazyScaleMultipliesOutputAndDividesRates() {
        Parameterization base = Parameterization.ntk(1, 1);
        TwoLayerNet lazy = TwoLayerNet.initialize(2, 10, Activation.ERF, base.withLazyScale(4.0), 3L);
        TwoLayerNet plain = TwoLayerNet.initialize(2, 10, Activation.ERF, base, 3L);
        double[] x = {0.3, -1.2};
        assertEquals(4.0 * plain.output(plain.initialParameters(), x), lazy.output(lazy.initialParameters(), x), 1e-14);
        assertEquals(1.0 / 16.0, lazy.rate(Group.A), 0.0);
    }

    @Test
    void antisymmetricInitialisationStartsAtZero() {
        Parameterization p = Parameterization.ntk(1, 1, 0.5).withAntisymmetricInit(true);
        TwoLayerNet net = TwoLayerNet.initialize(3, 20, Activation.TANH, p, 9L);
        assertEquals(0.0, net.output(net.initialParameters(), new double[] {1, 2, -1}), 1e-15);
    }

    @Test
    void centredOffsetStartsAtZeroAndKeepsTheGradient() {
        Parameterization p = Parameterization.meanField().withOffset(Offset.CENTRED, null);
        TwoLayerNet net = TwoLayerNet.initialize(3, 20, Activation.TANH, p, 9L);
        assertEquals(0.0, net.output(net.initialParameters(), new double[] {1, 2, -1}), 0.0);
    }

    @Test
    void badInputNamesTheFieldAndTheAllowedRange() {
        assertMessage(() -> TwoLayerNet.initialize(3, 0, Activation.RELU, Parameterization.meanField(), 1L), "m:", ">= 1");
        assertMessage(() -> TwoLayerNet.initialize(0, 5, Activation.RELU, Parameterization.meanField(), 1L), "d:", ">= 1");
        assertMessage(() -> TwoLayerNet.initialize(3, 5, Activation.RELU,
                Parameterization.meanField().withAntisymmetricInit(true), 1L), "m:", "even");
        assertMessage(() -> Parameterization.meanField().withLazyScale(0.0), "lazyScale", "> 0");
        assertMessage(() -> Parameterization.meanField().withRates(Scale.constant(-1), Scale.constant(1),
                Scale.constant(1), Scale.constant(1)), "rhoA", ">= 0");
        assertMessage(() -> Scale.constant(Double.NaN), "scale", "finite");
        assertMessage(() -> Parameterization.meanField().withOffset(Offset.INIT_CORRECTED, null), "reference", "INIT_CORRECTED");
        TwoLayerNet net = TwoLayerNet.initialize(2, 4, Activation.RELU, Parameterization.meanField(), 1L);
        assertMessage(() -> net.batch(new double[] {1, Double.NaN}, 1, Parallelism.sequential()), "x:", "finite");
        assertMessage(() -> net.batch(new double[] {1, 2, 3}, 1, Parallelism.sequential()), "x:", "n*d");
        assertMessage(() -> Parameterization.preset("lecun", 1, 1, null), "parameterization", "allowed");
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable call, String field, String range) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(field) && e.getMessage().contains(range),
                "message should name '" + field + "' and '" + range + "': " + e.getMessage());
    }
}
