package twolayer.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The branch-free relu of the forward and backward passes has exactly the bits of {@link Activation#RELU}. */
class ReluBranchFreeTest {

    @Test
    void sameBitsAsTheActivationEverywhere() {
        double[] edges = {0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL, -Double.MIN_NORMAL,
            1.0, -1.0, Double.MAX_VALUE, -Double.MAX_VALUE, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
            Double.NaN, -Double.NaN, Double.longBitsToDouble(0x7FF0_0000_0000_0001L),
            Double.longBitsToDouble(0xFFF8_0000_0000_0001L), Double.longBitsToDouble(0x7FFF_FFFF_FFFF_FFFFL)};
        for (double z : edges) {
            check(z);
        }
        SplittableRandom rng = new SplittableRandom(3);
        for (int t = 0; t < 100_000; t++) {
            check(Double.longBitsToDouble(rng.nextLong()));      // every bit pattern class, NaNs included
            check(rng.nextGaussian());
        }
    }

    private static void check(double z) {
        assertEquals(Double.doubleToRawLongBits(Activation.RELU.value(z)), Double.doubleToRawLongBits(TwoLayerNet.relu(z)),
                "relu(" + z + ") bits " + Long.toHexString(Double.doubleToRawLongBits(z)));
        assertEquals(Double.doubleToRawLongBits(Activation.RELU.derivative(z)),
                Double.doubleToRawLongBits(TwoLayerNet.reluDerivative(z)), "relu'(" + z + ")");
    }
}
