package twolayer.chapter.twotimescale;

import java.util.ArrayList;
import java.util.List;
import twolayer.data.Dataset;
import twolayer.data.GaussianInputs;
import twolayer.data.Sphere;
import twolayer.data.UniformLabelNoise;
import twolayer.dynamics.TrainingProblem;
import twolayer.dynamics.TwoTimescale;
import twolayer.kernel.AnalyticKernels;
import twolayer.kernel.DirectionalKernel;
import twolayer.kernel.IntrinsicKernel;
import twolayer.kernel.KernelRidgeBaseline;
import twolayer.model.Activation;
import twolayer.model.Group;
import twolayer.model.Loss;
import twolayer.model.Parallelism;
import twolayer.model.Parameterization;
import twolayer.model.TwoLayerNet;

/**
 * Experiment (b) of the two-timescale chapter, a union of RKHSs (Takakura and Suzuki 2024, ICML, "two-layer
 * neural networks can learn a union of multiple RKHSs more efficiently than any kernel method"; the construction
 * is ours). The members are the directional kernels k_v of {@link DirectionalKernel}, one per unit direction v;
 * the target f*(x) = c [kappa(t, t0) + kappa(t, -t0) - 2 kappa(t, 0)], t = &lt;v*, x&gt;, lies in the RKHS of
 * the member of a hidden direction v* drawn uniformly on the sphere. A fixed kernel that must serve every member at once is rotation
 * invariant (averaging the members over v gives one), as are the two fixed kernels compared: the analytic relu
 * NTK and the initial intrinsic kernel of the isotropic particles. The two-timescale net
 * ({@link TwoTimescale}, the net and initialisation of {@link KernelLearning}) learns its kernel: the particles
 * have to move onto the line of v*, the member's own particle measure. The run records the test error and the
 * share of the particles' squared weight along v*, sum_j &lt;w_j, v*&gt;^2 / sum_j |w_j|^2 (1/d in expectation at an
 * isotropic initialisation, 1 on the member's line). {@link #baselines} gives tuned kernel ridge regression
 * ({@link KernelRidgeBaseline}, the same protocol for each kernel) with the NTK, the initial intrinsic kernel and,
 * as an oracle that is told v*, the member kernel k_v* itself.
 */
public final class UnionOfRkhs {

    /** Gauss-Hermite nodes per variable of the member kernel (q^2 = 1024 atoms). */
    static final int QUADRATURE = 32;

    /**
     * @param seed         seed of the direction, the data, the initialisation and the noise (derived seeds)
     * @param n            training points
     * @param nTest        test points
     * @param d            input dimension (&gt;= 2)
     * @param m            width (particles)
     * @param eta          step size
     * @param lambda       entropy temperature
     * @param lambdaA      second-layer ridge
     * @param lambdaW      first-layer L2
     * @param steps        training steps
     * @param s            scale of the member's first-layer weights
     * @param t0           position of the target's kernel sections
     * @param sigma        half-width of the uniform label noise (fixed in the data)
     * @param observations number of observations, evenly spaced in steps (plus step 0)
     */
    public record Config(long seed, int n, int nTest, int d, int m, double eta, double lambda, double lambdaA,
            double lambdaW, int steps, double s, double t0, double sigma, int observations) {
        public Config {
            if (n < 5 || nTest < 1 || d < 2 || m < 1 || steps < 1 || observations < 1) {
                throw new IllegalArgumentException("n >= 5, nTest >= 1, d >= 2, m >= 1, steps >= 1, observations >= 1 "
                        + "required, got n = " + n + ", nTest = " + nTest + ", d = " + d + ", m = " + m + ", steps = "
                        + steps + ", observations = " + observations);
            }
            if (!(sigma >= 0) || !(s > 0) || !Double.isFinite(t0)) {
                throw new IllegalArgumentException("sigma >= 0, s > 0, finite t0 required, got sigma = " + sigma
                        + ", s = " + s + ", t0 = " + t0);
            }
        }

        // tag::experiment-union-config[]
        /**
         * The claim's setting (TT-9): d = 15, n = 200, m = 200 and the dynamics of the TT-7
         * comparison (eta = 0.2, lambda = 0.004, lambdaA = 0.001, lambdaW = 0.05, 600 steps);
         * member scale s = 2, sections at t0 = 2, label noise U[-0.1, 0.1].
         */
        public static Config claim(long seed) {
            return new Config(seed, 200, 1000, 15, 200, 0.2, 0.004, 0.001, 0.05, 600,
                    2.0, 2.0, 0.1, 1);
        }

        /** The site figure's setting: the claim's, observed 30 times. */
        public static Config site(long seed) {
            return new Config(seed, 200, 1000, 15, 200, 0.2, 0.004, 0.001, 0.05, 600,
                    2.0, 2.0, 0.1, 30);
        }
        // end::experiment-union-config[]

        /** The same run with other sizes. */
        public Config scaled(int newN, int newM, int newSteps, int newObservations) {
            return new Config(seed, newN, nTest, d, newM, eta, lambda, lambdaA, lambdaW, newSteps, s, t0, sigma,
                    newObservations);
        }
    }

    /**
     * What a run recorded.
     *
     * @param steps       the observed steps (the first is 0)
     * @param testError   mean squared error of the net against the clean target on the test set
     * @param share       share of the particles' squared weight along v*
     * @param initial     the particles (w_j . v*, |w_j - (w_j . v*) v*|) at the start, (m, 2) row-major
     * @param last        the same at the end
     */
    public record Result(int[] steps, double[] testError, double[] share, double[] initial, double[] last) {
        /** The last observed test error. */
        public double finalTestError() {
            return testError[testError.length - 1];
        }

        /** The last observed share along v*. */
        public double finalShare() {
            return share[share.length - 1];
        }
    }

    /** Kernel-ridge baselines at the same n (tuned ridge). */
    public record Baselines(KernelRidgeBaseline.Result analyticNtk, KernelRidgeBaseline.Result initialIntrinsic,
            KernelRidgeBaseline.Result oracleMember) {}

    private UnionOfRkhs() {
    }

    /** The member whose RKHS holds the target: direction v* uniform on the sphere. */
    public static DirectionalKernel member(Config c) {
        double[] v = Sphere.sample(1, c.d(), 1.0, new java.util.SplittableRandom(c.seed() * 8 + 1));
        return new DirectionalKernel(v, c.s(), c.t0(), QUADRATURE);
    }

    /** The training set: x ~ N(0, I_d), y = f*(x) + eps, eps ~ U[-sigma, sigma]. */
    public static Dataset train(Config c, DirectionalKernel target) {
        double[] x = GaussianInputs.sample(c.n(), c.d(), 1.0, c.seed() * 8 + 2);
        return UniformLabelNoise.dataset(target, x, c.sigma(), c.seed() * 8 + 3);
    }

    /** The test inputs and their clean targets. */
    public static Dataset test(Config c, DirectionalKernel target) {
        double[] x = GaussianInputs.sample(c.nTest(), c.d(), 1.0, c.seed() * 8 + 4);
        return UniformLabelNoise.dataset(target, x, 0.0, 0L);
    }

    /** The initial net of {@link KernelLearning}: mean-field tanh with hidden biases, w ~ N(0, I_d), b ~ N(0, 1). */
    public static TwoLayerNet initialNet(Config c) {
        return TwoLayerNet.initialize(c.d(), c.m(), Activation.TANH,
                Parameterization.meanField().withBiases(true, false), c.seed() * 8 + 5);
    }

    // tag::experiment-union-run[]
    /** Runs the two-timescale dynamics; observes the test error and the share along v*. */
    public static Result run(Config c) {
        DirectionalKernel target = member(c);
        Dataset train = train(c, target), test = test(c, target);
        TwoLayerNet net = initialNet(c);
        TrainingProblem problem =
                new TrainingProblem(net, train, Loss.SQUARED, Parallelism.sequential());
        TwoTimescale tt = new TwoTimescale(problem, TwoTimescale.Config.exact(
                c.eta(), c.lambda(), c.lambdaA(), c.lambdaW(), c.seed() * 8 + 6));
        double[] v = target.direction();
        double[] initial = alongAndAcross(net, tt.parameters(), v);
        List<double[]> rows = new ArrayList<>();
        int every = Math.max(1, c.steps() / c.observations());
        for (int k = 0; ; k++) {
            if (k % every == 0 || k == c.steps()) {
                double[] theta = tt.parameters();
                rows.add(new double[] {k, KernelLearning.testError(net, theta, test),
                    share(net, theta, v)});
            }
            if (k == c.steps()) {
                break;
            }
            tt.step();
        }
        int count = rows.size();
        int[] steps = new int[count];
        double[] err = new double[count], share = new double[count];
        for (int i = 0; i < count; i++) {
            steps[i] = (int) rows.get(i)[0];
            err[i] = rows.get(i)[1];
            share[i] = rows.get(i)[2];
        }
        return new Result(steps, err, share, initial, alongAndAcross(net, tt.parameters(), v));
    }
    // end::experiment-union-run[]

    /** sum_j &lt;w_j, v&gt;^2 / sum_j |w_j|^2 over the particles of theta. */
    static double share(TwoLayerNet net, double[] theta, double[] v) {
        int d = net.inputDimension(), off = net.offset(Group.W);
        double along = 0, total = 0;
        for (int j = 0; j < net.width(); j++) {
            double dot = 0;
            for (int k = 0; k < d; k++) {
                double w = theta[off + j * d + k];
                dot += w * v[k];
                total += w * w;
            }
            along += dot * dot;
        }
        return along / total;
    }

    /** Each particle's component along v and the norm of the rest, (m, 2) row-major. */
    static double[] alongAndAcross(TwoLayerNet net, double[] theta, double[] v) {
        int d = net.inputDimension(), m = net.width(), off = net.offset(Group.W);
        double[] out = new double[2 * m];
        for (int j = 0; j < m; j++) {
            double dot = 0, sq = 0;
            for (int k = 0; k < d; k++) {
                double w = theta[off + j * d + k];
                dot += w * v[k];
                sq += w * w;
            }
            out[2 * j] = dot;
            out[2 * j + 1] = Math.sqrt(Math.max(0, sq - dot * dot));
        }
        return out;
    }

    // tag::experiment-union-baselines[]
    /**
     * Tuned kernel ridge regression at the same n, the protocol of {@link KernelRidgeBaseline}
     * for every kernel: the analytic relu NTK with biases (sigmaW = sigmaV = sigmaB = 1), the
     * intrinsic kernel of the initial particles, and the oracle member kernel k_v*.
     */
    public static Baselines baselines(Config c) {
        DirectionalKernel target = member(c);
        Dataset train = train(c, target), test = test(c, target);
        int n = c.n(), nt = c.nTest(), m = c.m();
        AnalyticKernels.Options ntk =
                AnalyticKernels.Options.ntk(Activation.RELU, 1.0, 1.0, 1.0);
        Parallelism one = Parallelism.sequential();
        KernelRidgeBaseline.Result analytic = KernelRidgeBaseline.tuned(
                AnalyticKernels.matrix(ntk, c.d(), train.x(), n, one),
                AnalyticKernels.matrix(ntk, c.d(), test.x(), nt, train.x(), n, one),
                train.y(), test.y());
        TwoLayerNet net = initialNet(c);
        double[] theta0 = net.initialParameters();
        double[] hTrain = IntrinsicKernel.features(net, theta0, train.x(), n);   // (m, n)
        double[] hTest = IntrinsicKernel.features(net, theta0, test.x(), nt);    // (m, nTest)
        KernelRidgeBaseline.Result intrinsic = KernelRidgeBaseline.tuned(
                scaled(DirectionalKernel.gram(hTrain, n, hTrain, n), 1.0 / m),
                scaled(DirectionalKernel.gram(hTest, nt, hTrain, n), 1.0 / m),
                train.y(), test.y());
        double[] phiTrain = target.features(train.x(), n);
        double[] phiTest = target.features(test.x(), nt);
        KernelRidgeBaseline.Result oracle = KernelRidgeBaseline.tuned(
                DirectionalKernel.gram(phiTrain, n, phiTrain, n),
                DirectionalKernel.gram(phiTest, nt, phiTrain, n), train.y(), test.y());
        return new Baselines(analytic, intrinsic, oracle);
    }
    // end::experiment-union-baselines[]

    private static double[] scaled(double[] a, double factor) {
        for (int i = 0; i < a.length; i++) {
            a[i] *= factor;
        }
        return a;
    }
}
