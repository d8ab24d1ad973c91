package twolayer.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Reference values of the forward pass and consistency of the three derivative routes. */
class TwoLayerNetTest {

    @Test
    void forwardMatchesHandComputedValue() {
        // m = 2, d = 2, ntk(sigmaW = 1, sigmaV = 1, sigmaB = 1): f = (1/sqrt 2) sum a_j tanh(w_j.x / sqrt 2 + b_j) + c
        Parameterization p = Parameterization.ntk(1, 1, 1);
        double[] theta = {0.5, -1.0, /* w */ 1.0, 2.0, -0.5, 0.25, /* b */ 0.1, -0.2, /* c */ 0.3};
        TwoLayerNet net = TwoLayerNet.withInitialParameters(2, 2, Activation.TANH, p, theta);
        double[] x = {0.4, -0.6};
        double s = Math.sqrt(2);
        double expected = (0.5 * Math.tanh((0.4 - 1.2) / s + 0.1) - Math.tanh((-0.2 - 0.15) / s - 0.2)) / s + 0.3;
        assertEquals(expected, net.output(theta, x), 1e-15);
    }

    @Test
    void jacobianRowsAgreeWithJvpAndVjp() {
        SplittableRandom rng = new SplittableRandom(7);
        int d = 3, m = 6, n = 4;
        TwoLayerNet net = TwoLayerNet.initialize(d, m, Activation.SOFTPLUS, Parameterization.ntk(1.1, 0.8, 0.3), 5L);
        double[] theta = net.initialParameters();
        double[] x = new double[n * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextGaussian();
        }
        Batch batch = net.batch(x, n, Parallelism.sequential());
        int p = net.parameterCount();
        double[][] jac = new double[n][p];
        for (int i = 0; i < n; i++) {
            double[] xi = new double[d];
            System.arraycopy(x, i * d, xi, 0, d);
            net.jacobianRow(theta, xi, jac[i]);
        }
        double[] u = new double[p];
        for (int k = 0; k < p; k++) {
            u[k] = rng.nextGaussian();
        }
        double[] ju = new double[n];
        net.jvp(theta, batch, u, ju);
        double[] r = {0.3, -1.0, 0.5, 2.0};
        double[] jtr = new double[p];
        net.vjp(theta, batch, r, jtr);
        for (int i = 0; i < n; i++) {
            double dot = 0;
            for (int k = 0; k < p; k++) {
                dot += jac[i][k] * u[k];
            }
            assertEquals(dot, ju[i], 1e-12, "J u, row " + i);
        }
        double[] expected = new double[p];
        for (int k = 0; k < p; k++) {
            for (int i = 0; i < n; i++) {
                expected[k] += jac[i][k] * r[i];
            }
        }
        assertArrayEquals(expected, jtr, 1e-12, "J^T r");
    }

    @Test
    void sameSeedSameInitialisation() {
        Parameterization p = Parameterization.standard(1, 1, 0.2);
        assertArrayEquals(TwoLayerNet.initialize(5, 30, Activation.RELU, p, 42L).initialParameters(),
                TwoLayerNet.initialize(5, 30, Activation.RELU, p, 42L).initialParameters());
    }
}
