package twolayer.dynamics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import twolayer.data.TeacherNetwork;
import twolayer.model.Activation;
import twolayer.model.Batch;
import twolayer.model.Group;
import twolayer.model.Loss;
import twolayer.model.Parallelism;
import twolayer.model.Parameterization;
import twolayer.model.TwoLayerNet;

/** Online SGD against the model's own gradient on the same fresh batch, replayed from the seed. */
class OnlineSgdTest {

    @Test
    void oneStepIsTheRatedGradientStepOnTheFreshBatchPlusTheRidge() {
        for (Activation sigma : new Activation[] {Activation.SIGMOID, Activation.TANH}) {
            int d = 2, m = 7, n = 5;
            double eta = 0.3, lambdaA = 0.2, scale = 1.5, noise = 0.1;
            long seed = 42;
            TwoLayerNet net = TwoLayerNet.initialize(d, m, sigma, Parameterization.meanField(), 3L);
            TeacherNetwork teacher = TeacherNetwork.meanFieldStudyTeacher();
            OnlineSgd sgd = new OnlineSgd(net, teacher, new OnlineSgd.Config(eta, n, lambdaA, scale, noise, 10, 1L, seed));
            sgd.step();

            // Replay the batch: n*d input draws, then one noise draw per point
            SplittableRandom rng = new SplittableRandom(seed);
            double[] x = new double[n * d];
            for (int q = 0; q < x.length; q++) {
                x[q] = scale * rng.nextGaussian();
            }
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                y[i] = teacher.value(x, i * d) + noise * rng.nextGaussian();
            }
            double[] theta0 = net.initialParameters();
            double[] grad = new double[theta0.length];
            Batch b = net.batch(x, n, Parallelism.sequential());
            net.lossAndGradient(theta0, b, y, Loss.SQUARED, grad);
            double[] expected = theta0.clone();
            for (int j = 0; j < m; j++) {   // ridge (lambdaA/2)(1/m) sum a^2 has gradient lambdaA a_j / m
                expected[j] -= eta * net.rate(Group.A) * (grad[j] + lambdaA * theta0[j] / m);
            }
            for (int q = m; q < m + m * d; q++) {
                expected[q] -= eta * net.rate(Group.W) * grad[q];
            }
            assertArrayEquals(expected, sgd.parameters(), 1e-13, sigma.toString());
            assertEquals(eta, sgd.time(), 0.0);
        }
    }

    /**
     * The step's products (SIMD, Products.productSequential) have the bits of the plain loops they replaced: ten steps
     * replayed with those loops, compared at tolerance 0, at a width and batch that are not multiples of a vector.
     * Control, run once: the weight gradient's sums in the four-way order instead of the sequential one fail it.
     */
    @Test
    void stepsHaveTheBitsOfThePlainLoops() throws InterruptedException {
        twolayer.linalg.Kernels.awaitWarm();   // the SIMD kernels, not the scalar twin that answers while they warm up
        for (Activation sigma : new Activation[] {Activation.SIGMOID, Activation.TANH, Activation.RELU}) {
            int d = 2, m = 37, n = 301;
            double eta = 0.3, lambdaA = 0.2, scale = 1.5, noise = 0.1;
            TwoLayerNet net = TwoLayerNet.initialize(d, m, sigma, Parameterization.meanField(), 5L);
            TeacherNetwork teacher = TeacherNetwork.meanFieldStudyTeacher();
            OnlineSgd sgd = new OnlineSgd(net, teacher, new OnlineSgd.Config(eta, n, lambdaA, scale, noise, 10, 1L, 43L));
            SplittableRandom rng = new SplittableRandom(43L);
            double[] theta = net.initialParameters();
            double kA = net.multiplier(Group.A), kW = net.multiplier(Group.W);
            double etaRhoA = eta * net.rate(Group.A), etaRhoW = eta * net.rate(Group.W);
            double[] x = new double[n * d], y = new double[n], z = new double[m * n], s = new double[m * n];
            double[] f = new double[n], r = new double[n], grad = new double[theta.length];
            for (int step = 0; step < 10; step++) {
                sgd.step();
                for (int q = 0; q < x.length; q++) {
                    x[q] = scale * rng.nextGaussian();
                }
                for (int i = 0; i < n; i++) {
                    y[i] = teacher.value(x, i * d) + noise * rng.nextGaussian();
                }
                java.util.Arrays.fill(f, 0.0);
                for (int j = 0; j < m; j++) {
                    for (int i = 0; i < n; i++) {
                        double dot = 0.0;
                        for (int k = 0; k < d; k++) {
                            dot += theta[m + j * d + k] * x[i * d + k];
                        }
                        z[j * n + i] = kW * dot;
                        s[j * n + i] = sigma.value(z[j * n + i]);
                        f[i] += theta[j] * s[j * n + i];
                    }
                }
                for (int i = 0; i < n; i++) {
                    r[i] = (kA * f[i] - y[i]) / n;
                }
                for (int j = 0; j < m; j++) {
                    double ga = 0.0;
                    int wj = m + j * d;
                    for (int k = 0; k < d; k++) {
                        grad[wj + k] = 0.0;
                    }
                    for (int i = 0; i < n; i++) {
                        double sij = s[j * n + i];
                        ga += r[i] * sij;
                        double slope = sigma == Activation.SIGMOID ? sij * (1.0 - sij) : sigma.derivative(z[j * n + i]);
                        double ri = r[i] * slope;
                        for (int k = 0; k < d; k++) {
                            grad[wj + k] += ri * x[i * d + k];
                        }
                    }
                    grad[j] = kA * ga + lambdaA * theta[j] / m;
                    for (int k = 0; k < d; k++) {
                        grad[wj + k] *= kA * kW * theta[j];
                    }
                }
                for (int j = 0; j < m; j++) {
                    theta[j] -= etaRhoA * grad[j];
                }
                for (int q = m; q < m + m * d; q++) {
                    theta[q] -= etaRhoW * grad[q];
                }
                assertArrayEquals(theta, sgd.parameters(), 0.0, sigma + ", step " + step);
            }
        }
    }

    @Test
    void sameSeedSameBitsAndValidation() {
        TwoLayerNet net = TwoLayerNet.initialize(2, 5, Activation.SIGMOID, Parameterization.meanField(), 3L);
        OnlineSgd.Config c = new OnlineSgd.Config(0.5, 20, 0.0, 100, 0.1, 50, 1L, 9L);
        OnlineSgd one = new OnlineSgd(net, TeacherNetwork.meanFieldStudyTeacher(), c);
        OnlineSgd two = new OnlineSgd(net, TeacherNetwork.meanFieldStudyTeacher(), c);
        one.run(new double[] {5.0}, TrainingObserver.none());
        two.run(new double[] {5.0}, TrainingObserver.none());
        assertArrayEquals(one.parameters(), two.parameters(), 0.0);
        assertEquals(10, one.steps());
        assertThrows(IllegalArgumentException.class, () -> one.run(new double[] {5.2}, TrainingObserver.none()));
        TwoLayerNet biased = TwoLayerNet.initialize(2, 5, Activation.SIGMOID,
                Parameterization.meanField().withBiases(true, false), 3L);
        assertThrows(IllegalArgumentException.class,
                () -> new OnlineSgd(biased, TeacherNetwork.meanFieldStudyTeacher(), c));
        assertThrows(IllegalArgumentException.class, () -> new OnlineSgd.Config(0.5, 0, 0.0, 100, 0.1, 50, 1L, 9L));
    }
}
