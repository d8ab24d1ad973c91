package twolayer.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import twolayer.dynamics.TrainingState;
import twolayer.model.Activation;
import twolayer.model.Group;
import twolayer.model.Parallelism;
import twolayer.model.Parameterization;
import twolayer.model.TwoLayerNet;

/** The drift against its definition with kernels built from explicit Jacobian rows, Theta = J R J^T. */
class KernelDriftTest {

    @Test
    void equalsRelativeFrobeniusChangeOfJacobianGram() {
        SplittableRandom rng = new SplittableRandom(11);
        int d = 3, m = 9, k = 5;
        TwoLayerNet net = TwoLayerNet.initialize(d, m, Activation.TANH, Parameterization.ntk(1.1, 0.9, 0.3), 4L);
        double[] x = new double[k * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextGaussian();
        }
        double[] theta0 = net.initialParameters(), theta1 = theta0.clone();
        for (int q = 0; q < theta1.length; q++) {
            theta1[q] += 0.2 * rng.nextGaussian();
        }
        KernelDrift drift = new KernelDrift(net, x, k, Parallelism.sequential());
        drift.init(new TrainingState(0, 0, 0, theta0));
        drift.observe(new TrainingState(0, 0, 0, theta0));
        drift.observe(new TrainingState(1, 1, 0, theta1));

        double[] k0 = jacobianGram(net, theta0, x, k), k1 = jacobianGram(net, theta1, x, k);
        double num = 0, den = 0;
        for (int q = 0; q < k0.length; q++) {
            num += (k1[q] - k0[q]) * (k1[q] - k0[q]);
            den += k0[q] * k0[q];
        }
        assertEquals(0.0, drift.drifts().get(0), 0.0);
        assertEquals(Math.sqrt(num / den), drift.drifts().get(1), 1e-12);
        assertEquals(1.0, drift.times().get(1), 0.0);
    }

    private static double[] jacobianGram(TwoLayerNet net, double[] theta, double[] x, int k) {
        int d = net.inputDimension(), size = net.parameterCount();
        double[][] rows = new double[k][size];
        for (int i = 0; i < k; i++) {
            net.jacobianRow(theta, Arrays.copyOfRange(x, i * d, i * d + d), rows[i]);
        }
        double[] gram = new double[k * k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                double s = 0;
                for (Group g : Group.values()) {
                    for (int q = net.offset(g); q < net.offset(g) + net.count(g); q++) {
                        s += net.rate(g) * rows[i][q] * rows[j][q];
                    }
                }
                gram[i * k + j] = s;
            }
        }
        return gram;
    }
}
