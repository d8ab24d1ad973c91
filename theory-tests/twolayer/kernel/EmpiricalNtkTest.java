package twolayer.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import twolayer.model.Activation;
import twolayer.model.Group;
import twolayer.model.Parallelism;
import twolayer.model.Parameterization;
import twolayer.model.TwoLayerNet;

/** The per-neuron Gram against the definition sum_g rho_g J_g J_g^T with explicit Jacobian rows. */
class EmpiricalNtkTest {

    @Test
    void equalsRateWeightedJacobianGramPerGroup() {
        SplittableRandom rng = new SplittableRandom(3);
        int d = 3, m = 7, n1 = 4, n2 = 5;
        Parameterization p = Parameterization.standardWithNtkRates(1.2, 0.8, 0.4).withLazyScale(2.0);
        TwoLayerNet net = TwoLayerNet.initialize(d, m, Activation.ERF, p, 9L);
        double[] theta = net.initialParameters();
        double[] x1 = new double[n1 * d], x2 = new double[n2 * d];
        for (int i = 0; i < x1.length; i++) {
            x1[i] = rng.nextGaussian();
        }
        for (int i = 0; i < x2.length; i++) {
            x2[i] = rng.nextGaussian();
        }
        EmpiricalNtk.Split split = EmpiricalNtk.gram(net, theta, x1, n1, x2, n2, Parallelism.sequential());
        int size = net.parameterCount();
        for (int i = 0; i < n1; i++) {
            for (int k = 0; k < n2; k++) {
                double[] r1 = new double[size], r2 = new double[size];
                net.jacobianRow(theta, java.util.Arrays.copyOfRange(x1, i * d, i * d + d), r1);
                net.jacobianRow(theta, java.util.Arrays.copyOfRange(x2, k * d, k * d + d), r2);
                for (Group g : Group.values()) {
                    double expected = 0.0;
                    for (int q = net.offset(g); q < net.offset(g) + net.count(g); q++) {
                        expected += net.rate(g) * r1[q] * r2[q];
                    }
                    double actual = split.group(g)[i * n2 + k];
                    assertEquals(expected, actual, 1e-12 * (1 + Math.abs(expected)), g + " entry " + i + "," + k);
                }
            }
        }
    }
}
