package twolayer.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static twolayer.testing.TestData.gaussian;

import java.util.SplittableRandom;
import org.apache.commons.math3.analysis.integration.gauss.GaussIntegrator;
import org.apache.commons.math3.analysis.integration.gauss.GaussIntegratorFactory;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import twolayer.kernel.AnalyticKernels.Dual;
import twolayer.kernel.AnalyticKernels.Kind;
import twolayer.kernel.AnalyticKernels.Options;
import twolayer.model.Activation;
import twolayer.model.Parallelism;
import twolayer.model.Parameterization;
import twolayer.model.TwoLayerNet;

/**
 * Reference values of the analytic kernels: special values derived by hand, symmetry, positive semidefiniteness,
 * (anti)parallel and zero inputs, the quadrature's accuracy against an independent integration, bad input.
 */
class AnalyticKernelsTest {

    /** Round-off of a closed form of a few flops: a few ulps of the scale. */
    static final double ROUND_OFF = 1e-15;

    // ------------------------------------------------------------------------------------------ special values

    /**
     * relu by hand. x = x' (theta = 0): E relu(u)^2 = q/2 and P(u &gt; 0) = 1/2. Orthogonal pre-activations
     * (q12 = 0, theta = pi/2): u, v independent, so E relu(u) relu(v) = (E relu u)(E relu v) = sqrt(q11/2pi) sqrt(q22/2pi)
     * = sqrt(q11 q22)/(2 pi) and P(u &gt; 0, v &gt; 0) = 1/4. Antiparallel (v = -c u): relu(u) relu(v) = 0 and
     * u, v never both positive, so both are 0. Each is neural-tangents' ABRelu(0, 1) at theta = 0, pi/2, pi.
     */
    @Test
    void reluSpecialValues() {
        double q = 1.7, q11 = 0.8, q22 = 2.3;
        assertDual(new Dual(q / 2, 0.5), AnalyticKernels.dual(Activation.RELU, q, q, q));
        assertDual(new Dual(Math.sqrt(q11 * q22) / (2 * Math.PI), 0.25), AnalyticKernels.dual(Activation.RELU, q11, 0, q22));
        assertDual(new Dual(0, 0), AnalyticKernels.dual(Activation.RELU, q11, -Math.sqrt(q11 * q22), q22));
        // 60 degrees: theta = pi/3, Sigma = sqrt(q11 q22) (sin t + (pi - t) cos t)/(2 pi) = (sqrt3/2 + pi/3)/(2 pi) at q = 1
        assertDual(new Dual((Math.sqrt(3) / 2 + Math.PI / 3) / (2 * Math.PI), 1.0 / 3),
                AnalyticKernels.dual(Activation.RELU, 1, 0.5, 1));
    }

    /** The same values through the input route: with x = x' the NTK is sigmaV^2 q + sigmaB^2 (two halves of q). */
    @Test
    void reluKernelOnTheDiagonalAndOnOrthogonalInputs() {
        double sW = 1.3, sV = 0.7, sB = 0.4;
        double[] x = {1.0, -2.0, 0.5}, y = {2.0, 1.0, 0.0};         // <x, y> = 0
        int d = 3;
        double q = sW * sW * (1 + 4 + 0.25) / d + sB * sB;
        Options ntk = Options.ntk(Activation.RELU, sW, sV, sB);
        assertEquals(sV * sV * q + sB * sB, AnalyticKernels.kernel(ntk, x, x), ROUND_OFF * 10);
        assertEquals(sV * sV * q / 2 + sB * sB, AnalyticKernels.kernel(ntk.withKind(Kind.NNGP), x, x), ROUND_OFF * 10);
        // no biases: q12 = 0, so NNGP = NTK = sigmaV^2 sqrt(q11 q22)/(2 pi)
        Options noBias = Options.ntk(Activation.RELU, sW, sV);
        double q11 = sW * sW * 5.25 / d, q22 = sW * sW * 5.0 / d;
        assertEquals(sV * sV * Math.sqrt(q11 * q22) / (2 * Math.PI), AnalyticKernels.kernel(noBias, x, y), ROUND_OFF);
        assertEquals(sV * sV * Math.sqrt(q11 * q22) / (2 * Math.PI),
                AnalyticKernels.kernel(noBias.withKind(Kind.NNGP), x, y), ROUND_OFF);
    }

    /**
     * erf at a point, from Williams' arcsine form rather than the code's atan2 form. q11 = q22 = 1/2, q12 = 1/4:
     * Sigma = (2/pi) arcsin(2 q12 / sqrt((1 + 2 q11)(1 + 2 q22))) = (2/pi) arcsin(1/4) = 0.160861...,
     * SigmaDot = (4/pi) / sqrt(4 - 1/4) = 8 / (pi sqrt 15) = 0.657498...
     * To replicate in Python: {@code from math import asin, pi, sqrt; 2/pi*asin(0.25), 8/(pi*sqrt(15))}.
     */
    @Test
    void erfClosedFormAtAPoint() {
        Dual dual = AnalyticKernels.dual(Activation.ERF, 0.5, 0.25, 0.5);
        assertEquals(2 / Math.PI * Math.asin(0.25), dual.sigma(), ROUND_OFF);
        assertEquals(0.16086124651033, dual.sigma(), 1e-13);
        assertEquals(8 / (Math.PI * Math.sqrt(15)), dual.sigmaDot(), ROUND_OFF);
        assertEquals(0.65749807366560, dual.sigmaDot(), 1e-13);
        // on the diagonal: E erf(u)^2 = (2/pi) arcsin(2q/(1+2q)), E erf'(u)^2 = (4/pi)/sqrt(1+4q)
        double q = 3.0;
        Dual diag = AnalyticKernels.dual(Activation.ERF, q, q, q);
        assertEquals(2 / Math.PI * Math.asin(2 * q / (1 + 2 * q)), diag.sigma(), ROUND_OFF);
        assertEquals(4 / Math.PI / Math.sqrt(1 + 4 * q), diag.sigmaDot(), ROUND_OFF);
    }

    // ------------------------------------------------------------------------------------------ structure

    /** k(x, x') = k(x', x): the (n1, n2) kernel is the transpose of the (n2, n1) one; the Gram is exactly symmetric. */
    @ParameterizedTest(name = "symmetric [{0}]")
    @EnumSource(Activation.class)
    void kernelIsSymmetric(Activation sigma) {
        SplittableRandom rng = new SplittableRandom(11);
        int d = 3, n1 = 4, n2 = 5;
        double[] x1 = gaussian(rng, n1 * d), x2 = gaussian(rng, n2 * d);
        for (Options o : variants(sigma)) {
            double[] k12 = AnalyticKernels.matrix(o, d, x1, n1, x2, n2, Parallelism.sequential());
            double[] k21 = AnalyticKernels.matrix(o, d, x2, n2, x1, n1, Parallelism.sequential());
            for (int i = 0; i < n1; i++) {
                for (int k = 0; k < n2; k++) {
                    double a = k12[i * n2 + k], b = k21[k * n1 + i];
                    assertEquals(a, b, 1e-14 * Math.max(1, Math.abs(a)), o + " entry " + i + "," + k);
                }
            }
            double[] gram = AnalyticKernels.matrix(o, d, x1, n1, Parallelism.sequential());
            for (int i = 0; i < n1; i++) {
                for (int k = 0; k < n1; k++) {
                    assertEquals(gram[i * n1 + k], gram[k * n1 + i], 0.0);
                }
            }
        }
    }

    /**
     * Both kernels are covariances (the NNGP of f, the NTK a Gram of gradients), so every Gram is positive
     * semidefinite; in floating point its smallest eigenvalue is at least -1e-12 times the largest (rounding of the
     * entries, ~1e-15 relative, moved by at most n of that by Weyl's inequality). Inputs include near-duplicates,
     * which make the Gram nearly singular.
     */
    @ParameterizedTest(name = "positive semidefinite [{0}]")
    @EnumSource(Activation.class)
    void gramIsPositiveSemidefinite(Activation sigma) {
        SplittableRandom rng = new SplittableRandom(5);
        int d = 4, n = 24;
        double[] x = gaussian(rng, n * d);
        for (int q = 0; q < d; q++) {
            x[(n - 1) * d + q] = x[q] + 1e-9 * rng.nextGaussian();      // a near-duplicate of row 0
            x[(n - 2) * d + q] = -x[d + q];                              // the antipode of row 1
        }
        for (Options o : variants(sigma)) {
            double[] k = AnalyticKernels.matrix(o, d, x, n, Parallelism.available());
            double[][] rows = new double[n][n];
            for (int i = 0; i < n; i++) {
                System.arraycopy(k, i * n, rows[i], 0, n);
            }
            double[] eig = new EigenDecomposition(new Array2DRowRealMatrix(rows, false)).getRealEigenvalues();
            double max = java.util.Arrays.stream(eig).max().orElseThrow();
            double min = java.util.Arrays.stream(eig).min().orElseThrow();
            assertTrue(min >= -1e-12 * max, o + ": smallest eigenvalue " + min + " < -1e-12 * " + max);
        }
    }

    /** Every entry is computed on its own: 1 and 2 threads give the same bits. */
    @Test
    void sameBitsForAnyThreadCount() {
        SplittableRandom rng = new SplittableRandom(8);
        int d = 3, n = 40;
        double[] x = gaussian(rng, n * d);
        for (Activation sigma : new Activation[] {Activation.RELU, Activation.ERF, Activation.SIGMOID}) {
            Options o = Options.ntk(sigma, 1.0, 1.0, 0.2);
            assertArrayEquals(AnalyticKernels.matrix(o, d, x, n, new Parallelism(1)),
                    AnalyticKernels.matrix(o, d, x, n, new Parallelism(2)));
        }
    }

    /** The four blocks of {@link AnalyticKernels#ntkByGroup} add up to the NTK, and Theta_c = sigmaB^2. */
    @Test
    void groupsAddUpToTheNtk() {
        SplittableRandom rng = new SplittableRandom(9);
        int d = 2, n1 = 3, n2 = 4;
        double[] x1 = gaussian(rng, n1 * d), x2 = gaussian(rng, n2 * d);
        for (Activation sigma : Activation.values()) {
            Options o = Options.ntk(sigma, 1.2, 0.9, 0.35);
            EmpiricalNtk.Split split = AnalyticKernels.ntkByGroup(o, d, x1, n1, x2, n2, Parallelism.sequential());
            double[] total = AnalyticKernels.matrix(o, d, x1, n1, x2, n2, Parallelism.sequential());
            for (int i = 0; i < total.length; i++) {
                assertEquals(total[i], split.total()[i], 1e-14 * Math.abs(total[i]), sigma + " entry " + i);
                assertEquals(0.35 * 0.35, split.c()[i], 0.0);
            }
        }
    }

    // ------------------------------------------------------------------------------------------ numerics

    /**
     * Nearly parallel and antiparallel inputs. The kernel is Lipschitz in the angle (relu: dSigmaDot/dtheta = -1/2pi),
     * so moving x' by eps |x| moves it by O(eps). The naive sqrt(q11 q22 - q12^2) has an absolute error
     * ~ sqrt(eps_machine) q = 1.5e-8 q however small eps is; here eps = 1e-12 and the kernel must move by at most
     * 10 eps of its scale, and agree with the independent QR-based integration to 1e-13.
     */
    @ParameterizedTest(name = "continuous at (anti)parallel inputs [{0}]")
    @EnumSource(value = Activation.class, names = {"RELU", "ERF"})
    void continuousAtParallelAndAntiparallelInputs(Activation sigma) {
        SplittableRandom rng = new SplittableRandom(21);
        int d = 5;
        double eps = 1e-12;
        double[] x = gaussian(rng, d), delta = gaussian(rng, d);
        for (Options o : variants(sigma)) {
            for (double sign : new double[] {1.0, -1.0}) {
                double[] y = new double[d], yNear = new double[d];
                for (int q = 0; q < d; q++) {
                    y[q] = sign * 1.5 * x[q];
                    yNear[q] = y[q] + eps * norm(x) * delta[q] / norm(delta);
                }
                double scale = Math.sqrt(AnalyticKernels.kernel(o, x, x) * AnalyticKernels.kernel(o, y, y));
                double exact = AnalyticKernels.kernel(o, x, y), near = AnalyticKernels.kernel(o, x, yNear);
                assertEquals(exact, near, 10 * eps * scale, o + " sign " + sign);
                assertEquals(AnalyticKernelsReference.kernel(o, x, yNear), near, 1e-13 * scale, o + " sign " + sign);
            }
        }
        // x' = x exactly gives theta = 0 exactly: relu SigmaDot = 1/2, NTK = sigmaV^2 q (no biases)
        Options relu = Options.ntk(Activation.RELU, 1.0, 2.0);
        assertEquals(4.0 * dot(x, x) / d, AnalyticKernels.kernel(relu, x, x), 4 * Math.ulp(4.0 * dot(x, x) / d));
    }

    /**
     * Zero inputs (without biases): u = 0 a.s., so Sigma = sigma(0) E sigma(v) and SigmaDot = sigma'(0) E sigma'(v).
     * relu: both 0 (relu(0) = relu'(0) = 0). erf: Sigma = 0 and SigmaDot = (2/sqrt pi)(2/sqrt pi)/sqrt(1 + 2 q22).
     * sigmoid: sigmoid(v) - 1/2 is odd, so Sigma = (1/2)(1/2) = 1/4; with both inputs zero, SigmaDot = (1/4)^2.
     * The NTK at a zero input is sigmaV^2 Sigma (q12 = 0), and the finite net agrees group by group.
     */
    @Test
    void zeroVectorsFollowTheFiniteNet() {
        double[] zero = {0.0, 0.0}, y = {0.6, -1.1};
        double q22 = (0.36 + 1.21) / 2;                               // sigmaW = 1, d = 2
        assertDual(new Dual(0, 0), AnalyticKernels.dual(Activation.RELU, 0, 0, q22));
        assertDual(new Dual(0, 0), AnalyticKernels.dual(Activation.RELU, 0, 0, 0));
        assertDual(new Dual(0, 4 / Math.PI / Math.sqrt(1 + 2 * q22)), AnalyticKernels.dual(Activation.ERF, 0, 0, q22));
        Dual sig = AnalyticKernels.dual(Activation.SIGMOID, 0, 0, q22);
        assertEquals(0.25, sig.sigma(), 1e-15);
        assertDual(new Dual(0.25, 1.0 / 16), AnalyticKernels.dual(Activation.SIGMOID, 0, 0, 0));
        assertEquals(0.0, AnalyticKernels.kernel(Options.ntk(Activation.RELU, 1.0, 1.0), zero, y), 0.0);
        assertEquals(0.0, AnalyticKernels.kernel(Options.ntk(Activation.RELU, 1.0, 1.0), zero, zero), 0.0);
        assertEquals(0.25 * 1.44, AnalyticKernels.kernel(Options.ntk(Activation.SIGMOID, 1.0, 1.2), zero, y), 1e-15);

        // the finite relu net at x = 0: every pre-activation is exactly 0, so every group of Theta_m is exactly 0
        TwoLayerNet net = TwoLayerNet.initialize(2, 50, Activation.RELU, Parameterization.ntk(1.0, 1.0), 4L);
        EmpiricalNtk.Split finite = EmpiricalNtk.gram(net, net.initialParameters(), zero, 1, y, 1, Parallelism.sequential());
        EmpiricalNtk.Split limit = AnalyticKernels.ntkByGroup(Options.ntk(Activation.RELU, 1.0, 1.0), 2, zero, 1, y, 1,
                Parallelism.sequential());
        assertArrayEquals(new double[] {0, 0, 0, 0},
                new double[] {finite.a()[0], finite.w()[0], finite.b()[0], finite.c()[0]});
        assertArrayEquals(new double[] {0, 0, 0, 0}, new double[] {limit.a()[0], limit.w()[0], limit.b()[0], limit.c()[0]});
    }

    // ------------------------------------------------------------------------------------------ quadrature

    /** The Gauss-Hermite rules agree with commons-math3's (a different algorithm) where both are affordable. */
    @Test
    void gaussHermiteRulesMatchCommonsMath() {
        for (int n : new int[] {1, 2, 5, 12, 31, 64}) {
            GaussIntegrator reference = new GaussIntegratorFactory().hermite(n);
            GaussHermite rule = GaussHermite.of(n);
            int kept = 0;
            for (int i = 0; i < n; i++) {
                double t = reference.getPoint(i);
                if (Math.abs(t) > GaussHermite.T_MAX) {
                    continue;
                }
                double p = reference.getWeight(i) / Math.sqrt(Math.PI);
                assertEquals(Math.sqrt(2) * t, rule.node(kept), 1e-14 * Math.max(1, Math.abs(t)), "n=" + n + " node " + i);
                assertEquals(p, rule.weight(kept), 1e-13 * p, "n=" + n + " weight " + i);
                kept++;
            }
            assertEquals(kept, rule.size(), "n=" + n);
        }
        // exact for polynomials of degree <= 2n - 1: E Z^4 = 3, E Z^6 = 15 at n = 1024 (nodes beyond |t| = 7 skipped)
        GaussHermite big = GaussHermite.of(1024);
        double m4 = 0, m6 = 0;
        for (int i = 0; i < big.size(); i++) {
            double z2 = big.node(i) * big.node(i);
            m4 += big.weight(i) * z2 * z2;
            m6 += big.weight(i) * z2 * z2 * z2;
        }
        assertEquals(3.0, m4, 1e-13);
        assertEquals(15.0, m6, 1e-12);
    }

    /**
     * The quadrature path, run on erf (an entire function), reproduces the arcsine closed form: the quadrature and its
     * Cholesky change of variables are right. Error below 1e-13 up to q = 8 (the degree grows with q), also at
     * exactly (anti)parallel covariances, where the inner sum collapses to one term.
     */
    @Test
    void quadratureReproducesTheErfClosedForm() {
        double[] out = new double[2];
        for (double q : new double[] {0.05, 0.5, 1, 2, 4, 8}) {
            for (double rho : new double[] {-1, -0.999999, -0.6, 0, 0.3, 0.9, 0.999999, 1}) {
                double q11 = q, q22 = 0.7 * q, q12 = rho * Math.sqrt(q11 * q22);
                double sq = Math.sqrt(q11 * q22) * Math.sqrt(1 - rho * rho);
                AnalyticKernels.quadrature(Activation.ERF, q11, q12, q22, sq, out);
                Dual closed = AnalyticKernels.dual(Activation.ERF, q11, q12, q22);
                assertEquals(closed.sigma(), out[0], 1e-13, "Sigma at q=" + q + ", rho=" + rho);
                assertEquals(closed.sigmaDot(), out[1], 1e-13, "SigmaDot at q=" + q + ", rho=" + rho);
            }
        }
    }

    /**
     * The degree rule n = 256 q (powers of two in [32, 2048]) against the independent polar integration, for the
     * three quadrature activations up to q = 8 (where n reaches 2048), including nearly (anti)parallel inputs. The
     * error model C exp(-pi sqrt(n/q)) with C up to ~1e4 (the high-order poles of sech^4) puts the quadrature error
     * below round-off; the reference's own error is ~1e-15; 1e-13 relative to the kernel's scale leaves a margin of
     * 100 for both.
     */
    @ParameterizedTest(name = "quadrature accuracy [{0}]")
    @EnumSource(value = Activation.class, names = {"TANH", "SIGMOID", "SOFTPLUS"})
    void quadratureMatchesIndependentIntegration(Activation sigma) {
        SplittableRandom rng = new SplittableRandom(31);
        int d = 3;
        for (double q : new double[] {0.1, 1.0, 3.0, 8.0}) {
            for (double rho : new double[] {-0.999999, -0.3, 0.5, 0.999999}) {
                double[] x = gaussian(rng, d), e = gaussian(rng, d);
                // y at correlation rho with x and the same norm, so q11 = q22 = q with sigmaW = sqrt(q d) / |x|
                double xe = dot(x, e) / dot(x, x);
                for (int k = 0; k < d; k++) {
                    e[k] -= xe * x[k];
                }
                double[] y = new double[d];
                for (int k = 0; k < d; k++) {
                    y[k] = rho * x[k] + Math.sqrt(1 - rho * rho) * e[k] * norm(x) / norm(e);
                }
                double sW = Math.sqrt(q * d / dot(x, x));
                for (Kind kind : Kind.values()) {
                    Options o = new Options(sigma, kind, sW, 1.0, null, true);
                    double scale = Math.sqrt(AnalyticKernels.kernel(o, x, x) * AnalyticKernels.kernel(o, y, y));
                    double err = Math.abs(AnalyticKernels.kernel(o, x, y) - AnalyticKernelsReference.kernel(o, x, y)) / scale;
                    assertTrue(err < 1e-13, o + " q=" + q + " rho=" + rho + ": relative error " + err);
                }
            }
        }
    }

    /**
     * The per-neuron variance of the empirical NTK: relu's degree-2 arc-cosine closed form and the Gauss-Hermite
     * moments of erf against the independent integration of E xi^2 - (E xi)^2.
     */
    @ParameterizedTest(name = "summand variance [{0}]")
    @EnumSource(value = Activation.class, names = {"RELU", "ERF", "TANH"})
    void summandVarianceMatchesIndependentIntegration(Activation sigma) {
        double[] x = {0.9, -0.4, 1.3}, y = {0.2, 1.1, 0.8};
        Options o = Options.ntk(sigma, 1.1, 0.8, 0.3);
        double[] r = AnalyticKernelsReference.factor(o, x, y);
        double q12 = r[0] * r[1], sV2 = 0.64;
        Activation s = sigma;
        double m22 = AnalyticKernelsReference.expectation(r[0], r[1], r[2],
                (u, v) -> Math.pow(s.value(u) * s.value(v), 2));
        double mixed = AnalyticKernelsReference.expectation(r[0], r[1], r[2],
                (u, v) -> s.value(u) * s.derivative(u) * s.value(v) * s.derivative(v));
        double dd = AnalyticKernelsReference.expectation(r[0], r[1], r[2],
                (u, v) -> Math.pow(s.derivative(u) * s.derivative(v), 2));
        AnalyticKernelsReference.Expectations e = AnalyticKernelsReference.expectations(o, x, y);
        double mean = sV2 * (e.sigma() + q12 * e.sigmaDot());
        double expected = sV2 * sV2 * (m22 + 2 * q12 * mixed + 3 * q12 * q12 * dd) - mean * mean;
        assertEquals(expected, AnalyticNtkFluctuations.summandVariance(o, x, y), 1e-11 * expected);
    }

    // ------------------------------------------------------------------------------------------ extreme scales

    /**
     * erf at input norms 1e200 (q = 1e400, beyond a double), derived by hand. No biases, no fan-in scaling, sigmaW =
     * sigmaV = 1, x = (1e200, 0), x' = (1e200, 1e200) at 45 degrees, and 0:
     * NNGP(x, x') = (2/pi) arcsin(2 q12 / sqrt((1 + 2 q11)(1 + 2 q22))) = (2/pi) arcsin(2e400 / sqrt(2e400 4e400)
     * (1 + O(1e-400))) = (2/pi) arcsin(1/sqrt 2) = 1/2; NNGP(x, x) = (2/pi) arcsin(2q / (1 + 2q)) = 1 to 1e-200;
     * NTK(x, x') = 1/2 + (4/pi) q12 / sqrt(D), D = (1 + 2 q11)(1 + 2 q22) - 4 q12^2 = 4e800 (1 + O(1e-400)), so
     * 1/2 + (4/pi) / 2 = 1/2 + 2/pi = 1.1366197723675813; NTK(x, x) = 1 + (4/pi) q / sqrt(1 + 4q) = 1 + (2/pi) 1e200
     * = 6.366197723675814e199; anything with the zero vector is 0. Before the scaled form, q11 = inf gave NaN.
     */
    @Test
    void erfAtHugeNormsMatchesItsLimit() {
        double[] x = {1e200, 0, 1e200, 1e200, 0, 0};
        Options nngp = new Options(Activation.ERF, Kind.NNGP, 1, 1, null, false);
        double[] k = AnalyticKernels.matrix(nngp, 2, x, 3, Parallelism.sequential());
        assertArrayEquals(new double[] {1.0, 0.5, 0.0, 0.5, 1.0, 0.0, 0.0, 0.0, 0.0}, k, 2 * ROUND_OFF);
        double[] t = AnalyticKernels.matrix(nngp.withKind(Kind.NTK), 2, x, 3, Parallelism.sequential());
        assertEquals(0.5 + 2 / Math.PI, t[1], 4 * ROUND_OFF);
        assertEquals(2 / Math.PI * 1e200, t[0], 4 * ROUND_OFF * t[0]);
        assertEquals(2 / Math.PI * Math.sqrt(2) * 1e200, t[4], 4 * ROUND_OFF * t[4]);
        assertEquals(0.0, t[8]);
    }

    /**
     * Random pairs at extreme scales (input norms 1e-200..1e200, sigmaW and sigmaB 1e-150..1e150, sigmaV
     * 1e-100..1e100, mixed with plain rows in one matrix) against an evaluation of the same formulas in BigDecimal:
     * the q's exactly, square roots and quotients to 40 digits, only the angle part (cos, sin of the angle, atan2,
     * arcsin, all in [-1, 1]) in doubles. An entry whose true value is beyond a double must be refused, never
     * returned; every other entry agrees to 1e-12 of the magnitude of its terms.
     */
    @Test
    void extremeScalesMatchAHighPrecisionEvaluation() {
        SplittableRandom random = new SplittableRandom(20240611L);
        int checked = 0, refused = 0;
        for (int trial = 0; trial < 60; trial++) {
            Activation sigma = trial % 2 == 0 ? Activation.RELU : Activation.ERF;
            Kind kind = trial % 4 < 2 ? Kind.NTK : Kind.NNGP;
            double sW = Math.pow(10, random.nextDouble(-150, 150));
            double sV = Math.pow(10, random.nextDouble(-100, 100));
            Double sB = trial % 3 == 0 ? null : Math.pow(10, random.nextDouble(-150, 150));
            Options o = new Options(sigma, kind, sW, sV, sB, trial % 5 != 0);
            int d = 3, n = 4;
            double[] x = new double[n * d];
            for (int i = 0; i < n; i++) {
                double scale = i == 0 ? 1.0 : Math.pow(10, random.nextDouble(-200, 200));  // row 0 plain-sized
                for (int q = 0; q < d; q++) {
                    x[i * d + q] = scale * random.nextGaussian();
                }
            }
            double[][] expected = new double[n * n][];
            boolean fits = true;
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < n; k++) {
                    expected[i * n + k] = reference(o, d, x, i, k);
                    fits &= Double.isFinite(expected[i * n + k][0]);
                }
            }
            if (!fits) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> AnalyticKernels.matrix(o, d, x, n, Parallelism.sequential()));
                assertTrue(e.getMessage().contains("beyond a double"), e.getMessage());
                refused++;
                continue;
            }
            double[] k = AnalyticKernels.matrix(o, d, x, n, Parallelism.sequential());
            for (int j = 0; j < n * n; j++) {
                assertEquals(expected[j][0], k[j], 1e-12 * expected[j][1], "trial " + trial + " " + o + " entry " + j);
                checked++;
            }
        }
        assertTrue(checked > 300 && refused > 5, "both cases occur: " + checked + " checked, " + refused + " refused");
    }

    /** Beyond a double: relu with sigmaW = 1e160 (q ~ 1e320) is refused; tanh's quadrature needs a finite q. */
    @Test
    void valuesBeyondADoubleAreRefused() {
        double[] x = {1, 2, 3, 4};
        IllegalArgumentException relu = assertThrows(IllegalArgumentException.class, () -> AnalyticKernels.matrix(
                Options.ntk(Activation.RELU, 1e160, 1), 2, x, 2, Parallelism.sequential()));
        assertTrue(relu.getMessage().startsWith("x: the kernel value at rows (0, 0) is beyond a double"),
                relu.getMessage());
        IllegalArgumentException bias = assertThrows(IllegalArgumentException.class, () -> AnalyticKernels.matrix(
                Options.ntk(Activation.ERF, 1, 1, 1e200), 2, x, 2, Parallelism.sequential()));
        assertTrue(bias.getMessage().contains("beyond a double"), bias.getMessage());
        IllegalArgumentException tanh = assertThrows(IllegalArgumentException.class, () -> AnalyticKernels.matrix(
                Options.ntk(Activation.TANH, 1e160, 1), 2, x, 2, Parallelism.sequential()));
        assertTrue(tanh.getMessage().contains("quadrature"), tanh.getMessage());
        // and a tiny scale is no zero vector: sigmaW = 1e-170 gives q = 1e-340 (0 as a double), NTK = 2.5e-340...
        double[] tiny = AnalyticKernels.matrix(new Options(Activation.RELU, Kind.NTK, 1e-170, 1e170, null, false), 2,
                x, 2, Parallelism.sequential());
        // ... times sigmaV^2 = 1e340: relu NTK(x, x) = sigmaV^2 q = |x|^2 = 5 (the 1e-170 and 1e170 cancel)
        assertEquals(5.0, tiny[0], 8 * ROUND_OFF * 5);
        assertEquals(25.0, tiny[3], 8 * ROUND_OFF * 25);
    }

    /**
     * {value, magnitude} of one entry in BigDecimal (value infinite when beyond a double), see
     * {@link #extremeScalesMatchAHighPrecisionEvaluation}.
     */
    static double[] reference(Options o, int d, double[] x, int i, int k) {
        java.math.MathContext mc = new java.math.MathContext(40);
        java.math.BigDecimal kW = new java.math.BigDecimal(o.inputScale(d));
        java.math.BigDecimal b2 = o.biases() ? new java.math.BigDecimal(o.sigmaB()).pow(2) : java.math.BigDecimal.ZERO;
        java.math.BigDecimal v2 = new java.math.BigDecimal(o.sigmaV()).pow(2);
        java.math.BigDecimal q11 = b2, q22 = b2, q12 = b2;
        for (int q = 0; q < d; q++) {
            java.math.BigDecimal a = kW.multiply(new java.math.BigDecimal(x[i * d + q]));
            java.math.BigDecimal b = kW.multiply(new java.math.BigDecimal(x[k * d + q]));
            q11 = q11.add(a.multiply(a));
            q22 = q22.add(b.multiply(b));
            q12 = q12.add(a.multiply(b));
        }
        java.math.BigDecimal norm = q11.multiply(q22).sqrt(mc);
        java.math.BigDecimal sigmaTerm, dotTerm;               // sigmaV^2 Sigma, sigmaV^2 SigmaDot q12
        if (o.activation() == Activation.RELU) {
            if (norm.signum() == 0) {
                sigmaTerm = java.math.BigDecimal.ZERO;
                dotTerm = java.math.BigDecimal.ZERO;
            } else {
                double c = q12.divide(norm, mc).doubleValue();
                double sin = q11.multiply(q22).subtract(q12.multiply(q12)).max(java.math.BigDecimal.ZERO).sqrt(mc)
                        .divide(norm, mc).doubleValue();
                double theta = Math.atan2(sin, c);
                sigmaTerm = v2.multiply(norm).multiply(new java.math.BigDecimal((sin + (Math.PI - theta) * c)
                        / (2 * Math.PI)));
                dotTerm = v2.multiply(q12).multiply(new java.math.BigDecimal((Math.PI - theta) / (2 * Math.PI)));
            }
        } else {
            java.math.BigDecimal two = java.math.BigDecimal.valueOf(2);
            java.math.BigDecimal h = java.math.BigDecimal.ONE.add(two.multiply(q11))
                    .multiply(java.math.BigDecimal.ONE.add(two.multiply(q22)));
            // arcsin(y) = atan2(y, sqrt(1 - y^2)) with y = 2 q12 / sqrt(h), 1 - y^2 = D / h, D = h - 4 q12^2 exact:
            // arcsin of a rounded y would lose half the digits near |y| = 1 (nearly parallel or huge inputs)
            double y = two.multiply(q12).divide(h.sqrt(mc), mc).doubleValue();
            java.math.BigDecimal dd = h.subtract(q12.multiply(q12).multiply(java.math.BigDecimal.valueOf(4)));
            double cosine = dd.divide(h, mc).sqrt(mc).doubleValue();
            sigmaTerm = v2.multiply(new java.math.BigDecimal(2 / Math.PI * Math.atan2(y, cosine)));
            dotTerm = v2.multiply(new java.math.BigDecimal(4 / Math.PI)).multiply(q12).divide(dd.sqrt(mc), mc);
        }
        java.math.BigDecimal value = sigmaTerm.add(b2);
        java.math.BigDecimal magnitude = sigmaTerm.abs().add(b2);
        if (o.kind() == Kind.NTK) {
            value = value.add(dotTerm);
            magnitude = magnitude.add(dotTerm.abs());
        }
        return new double[] {value.doubleValue(), magnitude.doubleValue()};
    }

    // ------------------------------------------------------------------------------------------ bad input

    @Test
    void badInputIsRejectedWithTheFieldName() {
        assertMessage("activation", () -> new Options(null, Kind.NTK, 1, 1, null, true));
        assertMessage("kind", () -> new Options(Activation.RELU, null, 1, 1, null, true));
        assertMessage("sigmaW", () -> new Options(Activation.RELU, Kind.NTK, -1, 1, null, true));
        assertMessage("sigmaV", () -> new Options(Activation.RELU, Kind.NTK, 1, Double.NaN, null, true));
        assertMessage("sigmaB", () -> new Options(Activation.RELU, Kind.NTK, 1, 1, Double.POSITIVE_INFINITY, true));
        Options o = Options.ntk(Activation.RELU, 1, 1);
        double[] x = {1, 2, 3, 4};
        assertMessage("d", () -> AnalyticKernels.matrix(o, 0, x, 2, x, 2, Parallelism.sequential()));
        assertMessage("x1", () -> AnalyticKernels.matrix(o, 3, x, 2, x, 1, Parallelism.sequential()));
        assertMessage("x2", () -> AnalyticKernels.matrix(o, 2, x, 2, new double[] {1, Double.NaN}, 1, Parallelism.sequential()));
        assertMessage("x1", () -> AnalyticKernels.matrix(o, 2, x, 0, x, 2, Parallelism.sequential()));
        assertMessage("xPrime", () -> AnalyticKernels.kernel(o, x, new double[] {1}));
        assertMessage("q11", () -> AnalyticKernels.dual(Activation.ERF, -1, 0, 1));
        assertMessage("q22", () -> AnalyticKernels.dual(Activation.ERF, 1, 0, Double.NaN));
        assertMessage("q12", () -> AnalyticKernels.dual(Activation.ERF, 1, 1.5, 1));
        assertMessage("degree", () -> GaussHermite.of(0));
    }

    // ------------------------------------------------------------------------------------------ helpers

    /** Each combination of kind, biases and fan-in scaling, at moderate scales (q of order 1). */
    static Options[] variants(Activation sigma) {
        return new Options[] {
            new Options(sigma, Kind.NTK, 1.2, 0.8, 0.3, true),
            new Options(sigma, Kind.NNGP, 1.2, 0.8, 0.3, true),
            new Options(sigma, Kind.NTK, 0.6, 1.1, null, false),
            new Options(sigma, Kind.NNGP, 0.6, 1.1, null, false),
        };
    }

    private static void assertDual(Dual expected, Dual actual) {
        assertEquals(expected.sigma(), actual.sigma(), ROUND_OFF * Math.max(1, Math.abs(expected.sigma())), "Sigma");
        assertEquals(expected.sigmaDot(), actual.sigmaDot(), ROUND_OFF, "SigmaDot");
    }

    private static void assertMessage(String field, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().startsWith(field + ":"), "message should name " + field + ": " + e.getMessage());
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }
}
