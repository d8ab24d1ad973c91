package twolayer.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The blocked dot product does exactly the arithmetic of the plain one (the same bits). */
class KernelLoopsTest {

    @Test
    void dot4HasTheBitsOfFourDots() {
        SplittableRandom rng = new SplittableRandom(1);
        for (int len = 1; len <= 23; len++) {
            double[] u = new double[len], v = new double[4 * len], out = new double[4];
            for (int k = 0; k < len; k++) {
                u[k] = rng.nextGaussian() * Math.scalb(1.0, rng.nextInt(-20, 20));
            }
            for (int k = 0; k < v.length; k++) {
                v[k] = rng.nextGaussian() * Math.scalb(1.0, rng.nextInt(-20, 20));
            }
            TwoLayerNet.dot4(u, 0, v, 0, len, out, 0);
            for (int r = 0; r < 4; r++) {
                assertEquals(Double.doubleToRawLongBits(TwoLayerNet.dot(u, 0, v, r * len, len)),
                        Double.doubleToRawLongBits(out[r]), "len " + len + ", row " + r);
            }
        }
    }
}
