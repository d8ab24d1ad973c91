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

    /**
     * The passes run the neurons in tasks (64 neurons from m = 256 on, else 16) and the inputs in blocks of 128,
     * resuming every sum over inputs from the previous block: J^T r must have the bits of the plain loops written out
     * here, each sum in increasing i from +0.0. Shapes cross the block edges (n = 300: two full blocks and a part;
     * m = 70 and 262: full tasks, a part, and neurons outside the four-at-a-time loop; d = 37: four-vector panels of
     * the weight-gradient product and a tail), with and without biases, for activations whose derivative reads s
     * (relu, tanh) and z (erf), on two threads (the work is above Parallelism's threshold) with the SIMD kernels
     * warm. A control: resuming the weight-gradient sums at +0.0 in each block fails here.
     */
    @Test
    void blockedPassesHaveTheBitsOfPlainLoops() throws InterruptedException {
        twolayer.linalg.Kernels.awaitWarm();
        SplittableRandom rng = new SplittableRandom(11);
        for (TwoLayerNet net : netsAcrossTheBlockEdges(3L)) {
            Parameterization p = net.parameterization();
            double[] theta = net.initialParameters(), x = gaussians(rng, N * D), r = gaussians(rng, N);
            double[] grad = new double[net.parameterCount()];
            net.vjp(theta, net.batch(x, N, new Parallelism(2)), r, grad);
            double[] expected = plainVjp(net, p, theta, x, r, N);
            for (int k = 0; k < grad.length; k++) {
                assertEquals(Double.doubleToRawLongBits(expected[k]), Double.doubleToRawLongBits(grad[k]),
                        describe(net) + ": parameter " + k);
            }
        }
    }

    /** Inputs and their dimension of the block-edge tests: two full blocks of 128 inputs and a part; d above 4L. */
    private static final int N = 300, D = 37;

    /**
     * Nets whose passes cross the block edges: m = 70 and 262 (full tasks, a part, and neurons outside the
     * four-at-a-time loop), relu, tanh and erf, with and without biases.
     */
    private static java.util.List<TwoLayerNet> netsAcrossTheBlockEdges(long seed) {
        java.util.List<TwoLayerNet> nets = new java.util.ArrayList<>();
        for (int m : new int[] {70, 262}) {
            for (Activation sigma : new Activation[] {Activation.RELU, Activation.TANH, Activation.ERF}) {
                for (Parameterization p : new Parameterization[] {Parameterization.ntk(1.2, 0.9, 0.4),
                        Parameterization.ntk(1.0, 1.0)}) {
                    nets.add(TwoLayerNet.initialize(D, m, sigma, p, seed));
                }
            }
        }
        return nets;
    }

    private static String describe(TwoLayerNet net) {
        return net.activation() + ", m = " + net.width()
                + (net.parameterization().hiddenBias() ? ", biases" : ", no biases");
    }

    /**
     * The blocked Jacobian-vector product against a plain loop: out_i = kA (sum over j, correctly rounded, of
     * u_aj s_ij + a_j sigma'(z_ij) (kW &lt;u_wj, x_i&gt; + kB u_bj)) + kC u_c, bit for bit, on the shapes of
     * {@link #blockedPassesHaveTheBitsOfPlainLoops} (the step-size advice and the linearised model rest on it). A
     * control: reading every block's inputs from the first block's columns fails here.
     */
    @Test
    void blockedJvpHasTheBitsOfAPlainLoop() throws InterruptedException {
        twolayer.linalg.Kernels.awaitWarm();
        SplittableRandom rng = new SplittableRandom(12);
        for (TwoLayerNet net : netsAcrossTheBlockEdges(4L)) {
            Parameterization p = net.parameterization();
            Activation sigma = net.activation();
            int m = net.width();
            double[] theta = net.initialParameters(), x = gaussians(rng, N * D);
            double[] u = gaussians(rng, net.parameterCount()), out = new double[N];
            net.jvp(theta, net.batch(x, N, new Parallelism(2)), u, out);
            double kA = net.multiplier(Group.A), kW = net.multiplier(Group.W), kB = net.multiplier(Group.B);
            int offW = net.offset(Group.W), offB = net.offset(Group.B);
            double cTerm = p.outputBias() ? net.multiplier(Group.C) * u[net.offset(Group.C)] : 0.0;
            for (int i = 0; i < N; i++) {
                ExactSum sum = new ExactSum();
                for (int j = 0; j < m; j++) {
                    double z = kW * TwoLayerNet.dot(theta, offW + j * D, x, i * D, D)
                            + (p.hiddenBias() ? kB * theta[offB + j] : 0.0);
                    double s = sigma.value(z);
                    double dz = kW * TwoLayerNet.dot(u, offW + j * D, x, i * D, D)
                            + (p.hiddenBias() ? kB * u[offB + j] : 0.0);
                    sum.add(u[j] * s + theta[j] * sigma.derivative(z, s) * dz);
                }
                double expected = kA * sum.value() + cTerm;
                assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(out[i]),
                        describe(net) + ": input " + i);
            }
        }
    }

    private static double[] gaussians(SplittableRandom rng, int count) {
        double[] v = new double[count];
        for (int q = 0; q < count; q++) {
            v[q] = rng.nextGaussian();
        }
        return v;
    }

    /** J^T r with one plain loop per sum (lazy scale 1, the ntk preset's). */
    private static double[] plainVjp(TwoLayerNet net, Parameterization p, double[] theta, double[] x, double[] r,
                                     int n) {
        int d = net.inputDimension(), m = net.width();
        double kA = net.multiplier(Group.A), kW = net.multiplier(Group.W), kB = net.multiplier(Group.B);
        int offW = net.offset(Group.W), offB = net.offset(Group.B);
        Activation sigma = net.activation();
        double[] g = new double[net.parameterCount()];
        for (int j = 0; j < m; j++) {
            double sumA = 0.0, sumB = 0.0;
            double[] sumW = new double[d];
            for (int i = 0; i < n; i++) {
                double z = kW * TwoLayerNet.dot(theta, offW + j * d, x, i * d, d)
                        + (p.hiddenBias() ? kB * theta[offB + j] : 0.0);
                double s = sigma.value(z), c = r[i] * sigma.derivative(z, s);
                sumA += r[i] * s;
                sumB += c;
                for (int k = 0; k < d; k++) {
                    sumW[k] += c * x[i * d + k];
                }
            }
            g[j] = kA * sumA;
            for (int k = 0; k < d; k++) {
                g[offW + j * d + k] = sumW[k] * (kA * kW * theta[j]);
            }
            if (p.hiddenBias()) {
                g[offB + j] = kA * kB * theta[j] * sumB;
            }
        }
        if (p.outputBias()) {
            double sumC = 0.0;
            for (int i = 0; i < n; i++) {
                sumC += r[i];
            }
            g[net.offset(Group.C)] = net.multiplier(Group.C) * sumC;
        }
        return g;
    }

    @Test
    void sameSeedSameInitialisation() {
        Parameterization p = Parameterization.standard(1, 1, 0.2);
        assertArrayEquals(TwoLayerNet.initialize(5, 30, Activation.RELU, p, 42L).initialParameters(),
                TwoLayerNet.initialize(5, 30, Activation.RELU, p, 42L).initialParameters());
    }
}
