package twolayer.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import twolayer.linalg.Kernels;
import twolayer.model.Parallelism;

/**
 * The primal form's inner products &lt;h_j, h_l&gt; (fewer atoms than inputs) come from the product kernels in panels of
 * inputs and row blocks split over threads: each must have the bits of the plain loop, one sum over the inputs in
 * increasing order from +0.0, for one and two threads, and the factor's solve and degrees of freedom must not depend on
 * the thread count. Shapes cross the row blocks (32) and the input panels (128); features include zeros and -0.0.
 * Control, run once: resuming the second panel's sums at +0.0 (productSequential for every panel) fails it.
 */
class RidgeFactorTest {

    @Test
    void primalInnerProductsHaveThePlainLoopsBitsForAnyThreadCount() throws InterruptedException {
        Kernels.awaitWarm();   // the SIMD kernels, not the scalar twin that answers while they warm up
        for (int[] shape : new int[][] {{70, 300}, {33, 129}, {5, 1000}}) {
            int m = shape[0], n = shape[1];
            double[] alpha1 = null, alpha2;
            double dof1 = Double.NaN;
            for (int threads : new int[] {1, 2}) {
                RidgeFactor f = RidgeFactor.ofParticles(m, n, new Parallelism(threads));
                SplittableRandom rng = new SplittableRandom(m * 1000L + n);
                double[] h = f.features();
                for (int q = 0; q < h.length; q++) {
                    h[q] = q % 13 == 0 ? 0.0 : q % 17 == 0 ? -0.0 : rng.nextDouble(-1, 1);
                }
                f.factor(1e-3);
                for (int j = 0; j < m; j++) {
                    for (int l = j; l < m; l++) {
                        double s = 0.0;
                        for (int i = 0; i < n; i++) {
                            s += h[j * n + i] * h[l * n + i];
                        }
                        assertEquals(Double.doubleToRawLongBits(s), Double.doubleToRawLongBits(f.primalInnerProduct(j, l)),
                                "m = " + m + ", n = " + n + ", threads = " + threads + ": <h_" + j + ", h_" + l + ">");
                    }
                }
                double[] v = new double[n], alpha = new double[n];
                for (int i = 0; i < n; i++) {
                    v[i] = Math.sin(i);
                }
                f.solve(v, alpha);
                if (threads == 1) {
                    alpha1 = alpha;
                    dof1 = f.degreesOfFreedom();
                } else {
                    alpha2 = alpha;
                    for (int i = 0; i < n; i++) {
                        assertEquals(Double.doubleToRawLongBits(alpha1[i]), Double.doubleToRawLongBits(alpha2[i]),
                                "solve, input " + i);
                    }
                    assertEquals(Double.doubleToRawLongBits(dof1), Double.doubleToRawLongBits(f.degreesOfFreedom()));
                }
            }
        }
    }
}
