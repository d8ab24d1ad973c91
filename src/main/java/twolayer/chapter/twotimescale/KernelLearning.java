package twolayer.chapter.twotimescale;

import java.util.ArrayList;
import java.util.List;
import twolayer.data.CoordinateProduct;
import twolayer.data.Dataset;
import twolayer.data.GaussianInputs;
import twolayer.data.UniformLabelNoise;
import twolayer.dynamics.TrainingProblem;
import twolayer.dynamics.TwoTimescale;
import twolayer.kernel.AnalyticKernels;
import twolayer.kernel.EmpiricalNtk;
import twolayer.kernel.IntrinsicKernel;
import twolayer.kernel.KernelRidgeBaseline;
import twolayer.model.Activation;
import twolayer.model.Group;
import twolayer.model.Loss;
import twolayer.model.Parallelism;
import twolayer.model.Parameterization;
import twolayer.model.TwoLayerNet;

/**
 * Takakura and Suzuki's experiment (ICML 2024, section 6), scaled: the target f*(x) = x_1 x_2 in d = 15 with
 * x ~ N(0, I) and labels y = f*(x) + eps, eps ~ U[-sigma, sigma] ("intrinsic" noise, fixed once), learned by the
 * two-timescale dynamics ({@link TwoTimescale}) of a mean-field tanh net with hidden biases,
 * h(x; w, b) = tanh(w . x + b), from the meanField initialisation w ~ N(0, I_d), b ~ N(0, 1). Along training it
 * records the intrinsic kernel's alignment with the training labels, its degrees of freedom
 * tr(K (K + n lambdaA I)^-1) and the test error against the clean target. Optionally the label-noise procedure
 * ({@link TwoTimescale#withLabelNoise}) runs on top. {@link #baselines} gives the kernel-ridge errors of the
 * net's intrinsic and tangent kernels at initialisation and of the analytic relu NTK at the same n, tuned by
 * {@link KernelRidgeBaseline}.
 */
public final class KernelLearning {

    /**
     * @param seed        seed of the data, the initialisation and the noise (each from its own derived seed)
     * @param n           training points
     * @param nTest       test points
     * @param d           input dimension (&gt;= 2)
     * @param m           width (particles)
     * @param eta         step size
     * @param lambda      entropy temperature
     * @param lambdaA     second-layer ridge
     * @param lambdaW     first-layer L2
     * @param steps       training steps
     * @param sigma       half-width of the intrinsic label noise (fixed in the data)
     * @param labelNoise  half-width of the label-noise procedure's fresh noise, 0 = off
     * @param observations number of observations, evenly spaced in steps (plus step 0)
     */
    public record Config(long seed, int n, int nTest, int d, int m, double eta, double lambda, double lambdaA,
            double lambdaW, int steps, double sigma, double labelNoise, int observations) {
        public Config {
            if (n < 5 || nTest < 1 || d < 2 || m < 1 || steps < 1 || observations < 1) {
                throw new IllegalArgumentException("n >= 5, nTest >= 1, d >= 2, m >= 1, steps >= 1, observations >= 1 "
                        + "required, got n = " + n + ", nTest = " + nTest + ", d = " + d + ", m = " + m + ", steps = "
                        + steps + ", observations = " + observations);
            }
            if (!(sigma >= 0) || !(labelNoise >= 0)) {
                throw new IllegalArgumentException("sigma, labelNoise: must be >= 0, got " + sigma + ", " + labelNoise);
            }
        }

        // tag::experiment-kernel-learning-config[]
        /**
         * The scaled setting of the claims: n = 150, m = 300, d = 15, eta = 0.2 and
         * lambda = 0.004 (the paper's), lambdaA = 0.01 and lambdaW = 0.05 (not the paper's
         * 0.25: see the chapter), 1500 steps.
         */
        public static Config claim(long seed, double sigma) {
            return new Config(seed, 150, 1000, 15, 300, 0.2, 0.004, 0.01, 0.05, 1500, sigma, 0.0, 6);
        }

        /**
         * The comparison with fixed kernels (TT-7) at n training points: m = 200, the
         * paper's eta = 0.2 and lambda = 0.004, lambdaA = 0.001, lambdaW = 0.05, 400 steps
         * (past the fast phase of the test error: 0.42 there, 0.38-0.42 from 500 to 2000
         * steps on one seed), clean labels.
         */
        public static Config comparison(long seed, int n) {
            return new Config(seed, n, 1000, 15, 200, 0.2, 0.004, 0.001, 0.05, 400, 0.0, 0.0, 1);
        }

        /**
         * The comparison in d = 30 (where n = 200 and 400 are below the d(d+1)/2 = 465 degree-2
         * monomials): as {@link #comparison} with 1200 steps. About 15-30 s a run, so the chapter
         * reports it as measured runs, not in the test suite.
         */
        public static Config highDimension(long seed, int n) {
            return new Config(seed, n, 1000, 30, 200, 0.2, 0.004, 0.001, 0.05, 1200, 0.0, 0.0, 4);
        }

        /**
         * The site figures' setting: n = 200, m = 300, lambdaA = 0.003, lambdaW = 0.05,
         * 1000 steps (the paper's eta and lambda), 20 observations.
         */
        public static Config site(long seed, double sigma) {
            return new Config(seed, 200, 1000, 15, 300, 0.2, 0.004, 0.003, 0.05, 1000, sigma, 0.0, 20);
        }
        // end::experiment-kernel-learning-config[]

        /** The same run with the label-noise procedure of half-width s. */
        public Config withLabelNoise(double s) {
            return new Config(seed, n, nTest, d, m, eta, lambda, lambdaA, lambdaW, steps, sigma, s, observations);
        }

        /** The same run with other sizes. */
        public Config scaled(int newN, int newM, int newSteps, int newObservations) {
            return new Config(seed, newN, nTest, d, newM, eta, lambda, lambdaA, lambdaW, newSteps, sigma, labelNoise,
                    newObservations);
        }
    }

    /**
     * What a run recorded.
     *
     * @param steps     the observed steps (the first is 0)
     * @param alignment kernel-target alignment A(K_mu, y) with the training labels
     * @param df        degrees of freedom of K_mu at ridge n lambdaA
     * @param testError mean squared error of the net against the clean target on the test set
     * @param planeShare  where the final particles point, {@link #planeShare}
     * @param diagonality how close their (x_1, x_2) part is to e_1 +- e_2, {@link #diagonality}
     */
    public record Result(int[] steps, double[] alignment, double[] df, double[] testError, double planeShare,
            double diagonality) {
        /** The last observed value of a series. */
        public static double last(double[] series) {
            return series[series.length - 1];
        }
    }

    /**
     * Kernel-ridge baselines at the same n.
     *
     * @param initialIntrinsic the net's intrinsic kernel at initialisation (its random-features kernel)
     * @param initialNtk       the net's own neural tangent kernel at initialisation (the lazy regime's kernel)
     * @param analyticNtk      the analytic NTK of an infinitely wide relu net with fan-in scaling and biases
     */
    public record Baselines(KernelRidgeBaseline.Result initialIntrinsic, KernelRidgeBaseline.Result initialNtk,
            KernelRidgeBaseline.Result analyticNtk) {}

    private KernelLearning() {
    }

    // Each stream is seed * 8 + k with k in 1..6: the stride exceeds the largest offset, so runs of different
    // seeds never share a stream (a stride 4 made seed s's noise streams 4s+5, 4s+6 seed s+1's 4(s+1)+1, +2).

    /** The training set (noisy labels) of the config. */
    public static Dataset train(Config c) {
        double[] x = GaussianInputs.sample(c.n(), c.d(), 1.0, c.seed() * 8 + 1);
        return UniformLabelNoise.dataset(new CoordinateProduct(c.d()), x, c.sigma(), c.seed() * 8 + 2);
    }

    /** The test inputs (nTest, d) and their clean targets. */
    public static Dataset test(Config c) {
        double[] x = GaussianInputs.sample(c.nTest(), c.d(), 1.0, c.seed() * 8 + 3);
        return UniformLabelNoise.dataset(new CoordinateProduct(c.d()), x, 0.0, 0L);
    }

    /** The initial net: mean-field tanh with hidden biases, w ~ N(0, I_d), b ~ N(0, 1). */
    public static TwoLayerNet initialNet(Config c) {
        return TwoLayerNet.initialize(c.d(), c.m(), Activation.TANH,
                Parameterization.meanField().withBiases(true, false), c.seed() * 8 + 4);
    }

    /** Runs the two-timescale dynamics and observes alignment, df and test error. */
    public static Result run(Config c) {
        return run(c, true);
    }

    /**
     * The control of claim TT-5: the same run (data, initialisation, Brownian noise) with the first layer's loss
     * drift switched off ({@link TwoTimescale#withoutFirstLayerLossDrift}).
     */
    public static Result control(Config c) {
        return run(c, false);
    }

    private static Result run(Config c, boolean lossDrift) {
        Dataset train = train(c), test = test(c);
        TwoLayerNet net = initialNet(c);
        // tag::experiment-kernel-learning-run[]
        TrainingProblem problem =
                new TrainingProblem(net, train, Loss.SQUARED, Parallelism.sequential());
        TwoTimescale tt = new TwoTimescale(problem, TwoTimescale.Config.exact(
                c.eta(), c.lambda(), c.lambdaA(), c.lambdaW(), c.seed() * 8 + 5));
        if (c.labelNoise() > 0) {
            tt.withLabelNoise(c.labelNoise(), c.seed() * 8 + 6);
        }
        if (!lossDrift) {
            tt.withoutFirstLayerLossDrift();
        }
        List<double[]> rows = new ArrayList<>();
        int every = Math.max(1, c.steps() / c.observations());
        double[] y = train.y();
        for (int k = 0; ; k++) {
            if (k % every == 0 || k == c.steps()) {
                IntrinsicKernel kernel = tt.kernel();
                rows.add(new double[] {k, kernel.alignment(y),
                    kernel.degreesOfFreedom(c.lambdaA()), testError(net, tt.parameters(), test)});
            }
            if (k == c.steps()) {
                break;
            }
            tt.step();
        }
        // end::experiment-kernel-learning-run[]
        int count = rows.size();
        int[] steps = new int[count];
        double[] align = new double[count], df = new double[count], err = new double[count];
        for (int i = 0; i < count; i++) {
            steps[i] = (int) rows.get(i)[0];
            align[i] = rows.get(i)[1];
            df[i] = rows.get(i)[2];
            err[i] = rows.get(i)[3];
        }
        double[] theta = tt.parameters();
        return new Result(steps, align, df, err, planeShare(net, theta), diagonality(net, theta));
    }

    // tag::experiment-kernel-learning-orientation[]
    /**
     * The share of the particles' input weights in the target's plane, weighted by the
     * readout: sum_j a_j^2 (w_j1^2 + w_j2^2) / sum_j a_j^2 |w_j|^2. It is 2/d for an isotropic
     * measure and 1 when every neuron that the readout uses looks at (x_1, x_2) only (biases
     * not counted).
     */
    public static double planeShare(TwoLayerNet net, double[] theta) {
        int m = net.width(), d = net.inputDimension();
        int offW = net.offset(Group.W), offA = net.offset(Group.A);
        double plane = 0, all = 0;
        for (int j = 0; j < m; j++) {
            double a2 = theta[offA + j] * theta[offA + j];
            double w1 = theta[offW + j * d], w2 = theta[offW + j * d + 1];
            double norm2 = 0;
            for (int k = 0; k < d; k++) {
                norm2 += theta[offW + j * d + k] * theta[offW + j * d + k];
            }
            plane += a2 * (w1 * w1 + w2 * w2);
            all += a2 * norm2;
        }
        return plane / all;
    }
    // end::experiment-kernel-learning-orientation[]

    /**
     * How diagonal the particles' in-plane directions are, weighted by the readout:
     * sum_j a_j^2 |2 w_j1 w_j2| / (w_j1^2 + w_j2^2) / sum_j a_j^2, in [0, 1]; 1 when every
     * (w_j1, w_j2) is along e_1 + e_2 or e_1 - e_2, the directions of the unit vectors u, u' with
     * x_1 x_2 = ((u.x)^2 - (u'.x)^2) / 2; 2/pi for uniformly spread in-plane directions.
     */
    public static double diagonality(TwoLayerNet net, double[] theta) {
        int m = net.width(), d = net.inputDimension();
        int offW = net.offset(Group.W), offA = net.offset(Group.A);
        double s = 0, total = 0;
        for (int j = 0; j < m; j++) {
            double a2 = theta[offA + j] * theta[offA + j];
            double w1 = theta[offW + j * d], w2 = theta[offW + j * d + 1];
            double r2 = w1 * w1 + w2 * w2;
            if (r2 > 0) {
                s += a2 * Math.abs(2 * w1 * w2) / r2;
            }
            total += a2;
        }
        return s / total;
    }

    /** Mean squared error of f(x) = (1/m) sum_j a_j h(x; w_j) against the clean targets of {@code test}. */
    static double testError(TwoLayerNet net, double[] theta, Dataset test) {
        int m = net.width(), nt = test.n();
        double[] h = IntrinsicKernel.features(net, theta, test.x(), nt);   // (m, nTest)
        int offA = net.offset(Group.A);
        // each f_i sums over j in increasing order; the loop runs along h's rows, not down its columns
        double[] f = new double[nt];
        for (int j = 0; j < m; j++) {
            double aj = theta[offA + j];
            for (int i = 0; i < nt; i++) {
                f[i] += aj * h[j * nt + i];
            }
        }
        double s = 0;
        for (int i = 0; i < nt; i++) {
            double e = f[i] / m - test.y(i);
            s += e * e;
        }
        return s / nt;
    }

    /**
     * Kernel ridge regression at the same n with the ridge tuned on a hold-out split, with
     * three kernels: the net's two kernels at initialisation, its intrinsic kernel
     * k(x, x') = (1/m) sum_j h(x; w_j) h(x'; w_j) and its tangent kernel (Jacot et al. 2018)
     * at the mean-field rates,
     * Theta = k + (1/m) sum_j a_j^2 h'(x; w_j) h'(x'; w_j) (x.x' + 1), the kernel of lazy
     * training of this very net; and the analytic NTK of an infinitely wide relu net with
     * fan-in scaling and biases (sigmaW = sigmaV = sigmaB = 1), a strong rotation-invariant
     * kernel of another architecture.
     */
    public static Baselines baselines(Config c) {
        Dataset train = train(c), test = test(c);
        TwoLayerNet net = initialNet(c);
        double[] theta0 = net.initialParameters();
        // tag::experiment-kernel-learning-baselines[]
        int n = c.n(), nt = c.nTest(), m = c.m();
        Parallelism one = Parallelism.sequential();
        double[] hTrain = IntrinsicKernel.features(net, theta0, train.x(), n);   // (m, n)
        double[] hTest = IntrinsicKernel.features(net, theta0, test.x(), nt);    // (m, nTest)
        double[] kTrain = IntrinsicKernel.ofParticles(hTrain, m, n).gram();
        double[] kTestTrain = new double[nt * n];
        for (int j = 0; j < m; j++) {
            for (int i = 0; i < nt; i++) {
                double s = hTest[j * nt + i] / m;
                for (int l = 0; l < n; l++) {
                    kTestTrain[i * n + l] += s * hTrain[j * n + l];
                }
            }
        }
        KernelRidgeBaseline.Result intrinsic =
                KernelRidgeBaseline.tuned(kTrain, kTestTrain, train.y(), test.y());
        KernelRidgeBaseline.Result tangent = KernelRidgeBaseline.tuned(
                EmpiricalNtk.gram(net, theta0, train.x(), n, one),
                EmpiricalNtk.gram(net, theta0, test.x(), nt, train.x(), n, one).total(),
                train.y(), test.y());
        AnalyticKernels.Options ntk = AnalyticKernels.Options.ntk(Activation.RELU, 1.0, 1.0, 1.0);
        double[] nTrain = AnalyticKernels.matrix(ntk, c.d(), train.x(), n, one);
        double[] nTestTrain = AnalyticKernels.matrix(ntk, c.d(), test.x(), nt, train.x(), n, one);
        KernelRidgeBaseline.Result analytic =
                KernelRidgeBaseline.tuned(nTrain, nTestTrain, train.y(), test.y());
        return new Baselines(intrinsic, tangent, analytic);
        // end::experiment-kernel-learning-baselines[]
    }
}
