package twolayer.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The Gaussian kernel's entries and its tuned ridge baseline's choice (bandwidth and ridge by validation only). */
class GaussianKernelTest {

    @Test
    void entriesAreExpOfMinusHalfSquaredDistanceOverBandwidthSquared() {
        double[] x1 = {0, 0, 1, 2};          // (2, 2)
        double[] x2 = {1, 0, 1, 2, -1, 3};   // (3, 2)
        double[] k = GaussianKernel.matrix(x1, 2, x2, 3, 2, 2.0);
        assertEquals(Math.exp(-1.0 / 8), k[0], 1e-16);             // |(0,0)-(1,0)|^2 = 1
        assertEquals(Math.exp(-5.0 / 8), k[1], 1e-16);             // |(0,0)-(1,2)|^2 = 5
        assertEquals(Math.exp(-10.0 / 8), k[2], 1e-16);            // |(0,0)-(-1,3)|^2 = 10
        assertEquals(1.0, k[4], 0);                                // x1_1 = x2_1: exactly 1, no cancellation
        assertEquals(Math.exp(-5.0 / 8), k[5], 1e-16);             // |(1,2)-(-1,3)|^2 = 5
        assertThrows(IllegalArgumentException.class, () -> GaussianKernel.matrix(x1, 2, x2, 3, 2, 0));
        assertThrows(IllegalArgumentException.class, () -> GaussianKernel.matrix(x1, 3, x2, 3, 2, 1));
    }

    @Test
    void tunedBandwidthIsTheOneWithTheSmallestValidationError() {
        SplittableRandom rng = new SplittableRandom(20261207L);
        int n = 60, nTest = 40, d = 3;
        double[] x = new double[n * d], xt = new double[nTest * d], y = new double[n], yt = new double[nTest];
        for (int i = 0; i < n * d; i++) {
            x[i] = rng.nextGaussian();
        }
        for (int i = 0; i < nTest * d; i++) {
            xt[i] = rng.nextGaussian();
        }
        for (int i = 0; i < n; i++) {
            y[i] = Math.sin(x[i * d]) + 0.1 * rng.nextGaussian();
        }
        for (int i = 0; i < nTest; i++) {
            yt[i] = Math.sin(xt[i * d]);
        }
        GaussianKernel.Tuned t = GaussianKernel.tuned(x, y, xt, yt, d);
        double best = Double.POSITIVE_INFINITY;
        for (double r : GaussianKernel.RELATIVE_BANDWIDTHS) {
            double l = r * Math.sqrt(d);
            KernelRidgeBaseline.Result res = KernelRidgeBaseline.tuned(GaussianKernel.matrix(x, n, x, n, d, l),
                    GaussianKernel.matrix(xt, nTest, x, n, d, l), y, yt);
            assertTrue(t.result().validationMse() <= res.validationMse(), "bandwidth " + l + " validates better");
            best = Math.min(best, res.validationMse());
        }
        assertEquals(best, t.result().validationMse(), 0);
        // a smooth target of one coordinate, 48 fitting points in d = 3: the tuned fit learns it (predicting 0 scores
        // the mean of sin^2(x1), about 0.43). The bound is loose on purpose: 12 validation points make the choice of
        // l noisy (here the test errors over the grid range from 0.02 to 0.14); the exact part of the contract is the
        // selection rule checked above

        double zero = 0;
        for (double v : yt) {
            zero += v * v / nTest;
        }
        assertTrue(t.result().testMse() < 0.25 * zero, t.result().testMse() + " vs " + zero);
    }
}
