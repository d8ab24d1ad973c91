package twolayer.chapter.ntk;

import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import twolayer.data.Dataset;
import twolayer.data.Sphere;
import twolayer.dynamics.GradientDescent;
import twolayer.dynamics.TrainingProblem;
import twolayer.kernel.AnalyticKernels;
import twolayer.kernel.EmpiricalNtk;
import twolayer.kernel.KernelRegression;
import twolayer.measure.ProbeOutputs;
import twolayer.model.Activation;
import twolayer.model.Loss;
import twolayer.model.Parallelism;
import twolayer.model.Parameterization;
import twolayer.model.TwoLayerNet;

/**
 * The end-to-end statement of the NTK regime: nets of growing width m, trained in the ntk scaling on one data set,
 * and their first-order Taylor models, predict on test points what kernel regression with the analytic NTK predicts,
 * with an error that shrinks like m^(-1/2). The initialisation is antisymmetric
 * ({@link Parameterization#withAntisymmetricInit}: neurons in pairs (a, w, b), (-a, w, b) and c = 0), so
 * f(x; theta0) = 0 exactly and the infinite-width prediction is the one of {@code twolayer predict} with its default
 * f0 = 0:
 * <pre>
 *   f_inf(x, t) = Theta_inf(x, X) Theta_inf^-1 (I - exp(-t Theta_inf / n)) y          (gradient flow)
 *   f_inf(x, k) = f_inf(x, k-1) - (eta/n) Theta_inf(x, X) (f_inf(X, k-1) - y)         (gradient descent)
 * </pre>
 * For each width and initialisation four models are trained to the same times: the net by gradient descent and by
 * gradient flow, and its Taylor model by both, the Taylor model in closed form from the empirical NTK at theta0 (its
 * outputs obey the same two equations with Theta_m in place of Theta_inf, claim NTK-3). See the NTK chapter, section
 * "From the kernel to the trained net".
 */
public final class WidePredictions {

    /** The four trained models, in the order of {@link Result#error}. */
    public enum Model {
        NET_DESCENT("net, gradient descent"),
        LINEARIZED_DESCENT("linearised, gradient descent"),
        LINEARIZED_FLOW("linearised, gradient flow");

        private final String label;

        Model(String label) {
            this.label = label;
        }

        /** A label for legends and messages. */
        public String label() {
            return label;
        }

        /** Whether the model is trained by gradient descent (compared with the discrete recursion). */
        public boolean descent() {
            return this != LINEARIZED_FLOW;
        }
    }

    /**
     * One sweep.
     *
     * @param activation sigma
     * @param d          input dimension
     * @param n          training points, on the sphere of radius sqrt(d)
     * @param nTest      test points, on the same sphere
     * @param sigmaW     the ntk preset's input-weight scale
     * @param sigmaV     its output-weight scale
     * @param sigmaB     its bias scale
     * @param widths     the widths m (even, for the antisymmetric pairs), increasing
     * @param nets       independent initialisations per width
     * @param steps      the observation times as numbers of steps of eta, increasing, each &gt; 0
     * @param etaFactor  eta in units of n / lambda_max(Theta_inf) (gradient descent on Theta_inf is stable below 2)
     * @param seed       the seed of the data and of every initialisation
     */
    public record Config(Activation activation, int d, int n, int nTest, double sigmaW, double sigmaV, double sigmaB,
                         int[] widths, int nets, int[] steps, double etaFactor, long seed) {
        public Config {
            Objects.requireNonNull(activation, "activation");
            if (d < 1 || n < 1 || nTest < 1 || nets < 1) {
                throw new IllegalArgumentException("d, n, nTest, nets: must be >= 1, got " + d + ", " + n + ", "
                        + nTest + ", " + nets);
            }
            widths = widths.clone();
            steps = steps.clone();
            for (int k = 0; k < widths.length; k++) {
                if (widths[k] < 2 || widths[k] % 2 != 0 || (k > 0 && widths[k] <= widths[k - 1])) {
                    throw new IllegalArgumentException("widths: must be even, >= 2 and increasing, got "
                            + Arrays.toString(widths));
                }
            }
            for (int k = 0; k < steps.length; k++) {
                if (steps[k] < 1 || (k > 0 && steps[k] <= steps[k - 1])) {
                    throw new IllegalArgumentException("steps: must be >= 1 and increasing, got "
                            + Arrays.toString(steps));
                }
            }
            if (!(etaFactor > 0 && etaFactor < 2)) {
                throw new IllegalArgumentException("etaFactor: must be in (0, 2) (the stability limit of gradient "
                        + "descent on Theta_inf), got " + etaFactor);
            }
        }

        /** The net's parameterisation: the ntk preset with biases, antisymmetric pairs. */
        public Parameterization parameterization() {
            return Parameterization.ntk(sigmaW, sigmaV, sigmaB).withAntisymmetricInit(true);
        }

        /** The analytic NTK of that parameterisation. */
        public AnalyticKernels.Options kernel() {
            return AnalyticKernels.Options.ntk(activation, sigmaW, sigmaV, sigmaB);
        }

        /** The configuration of the chapter's figure and claim for one activation. */
        public static Config chapter(Activation activation) {
            return new Config(activation, 3, 6, 12, 1.0, 1.0, 0.5, new int[] {64, 128, 256, 512, 1024, 2048, 4096},
                    6, new int[] {1, 4, 16, 64}, 1.5, 6L);
        }
    }

    /**
     * What a sweep measured.
     *
     * @param times      the observation times t = eta * steps
     * @param eta        the step size
     * @param lambdaMax  the largest eigenvalue of Theta_inf on the training points
     * @param lambdaMin  its smallest
     * @param xTest      the test inputs, (nTest, d)
     * @param limit      the infinite-width predictions, [descent or flow (0, 1)][time][test point]
     * @param outputs    the test outputs, [model][width][net][time][test point]
     * @param maxAbsF0   the largest |f(x; theta0)| over every net and test point (0 for exact antisymmetry)
     */
    public record Result(Config config, double[] times, double eta, double lambdaMax, double lambdaMin,
                         double[] xTest, double[][][] limit, double[][][][][] outputs, double maxAbsF0) {

        /** RMS over the test points of f_model - f_inf at one width, net and time. */
        public double error(Model model, int width, int net, int time) {
            double[] f = outputs[model.ordinal()][width][net][time];
            double[] ref = limit[model.descent() ? 0 : 1][time];
            double s = 0;
            for (int j = 0; j < f.length; j++) {
                s += (f[j] - ref[j]) * (f[j] - ref[j]);
            }
            return Math.sqrt(s / f.length);
        }

        /** RMS over the test points of the net trained by gradient descent minus its Taylor model trained alike. */
        public double linearizationGap(int width, int net, int time) {
            double[] f = outputs[Model.NET_DESCENT.ordinal()][width][net][time];
            double[] g = outputs[Model.LINEARIZED_DESCENT.ordinal()][width][net][time];
            double s = 0;
            for (int j = 0; j < f.length; j++) {
                s += (f[j] - g[j]) * (f[j] - g[j]);
            }
            return Math.sqrt(s / f.length);
        }
    }

    private WidePredictions() {
    }

    /** The training data: n points on the sphere of radius sqrt(d), targets y = sin(2 x_1 / sqrt d) + x_2 x_3 / d. */
    public static Dataset data(Config c) {
        SplittableRandom rng = new SplittableRandom(c.seed());
        double[] x = Sphere.sample(c.n(), c.d(), Math.sqrt(c.d()), rng);
        return new Dataset(x, targets(x, c.n(), c.d()), c.n(), c.d());
    }

    private static double[] targets(double[] x, int n, int d) {
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double x1 = x[i * d], x2 = d > 1 ? x[i * d + 1] : 0, x3 = d > 2 ? x[i * d + 2] : 0;
            y[i] = Math.sin(2 * x1 / Math.sqrt(d)) + x2 * x3 / d;
        }
        return y;
    }

    /**
     * Runs the sweep on nTest random test points of the sphere of radius sqrt(d); the initialisations run in parallel,
     * each into its own slot, so the result does not depend on the number of threads.
     */
    public static Result run(Config c) {
        SplittableRandom rng = new SplittableRandom(c.seed() + 1);
        return run(c, Sphere.sample(c.nTest(), c.d(), Math.sqrt(c.d()), rng), rng);
    }

    /** Runs the sweep on given test inputs, (k, d) row-major (the config's nTest is ignored). */
    public static Result run(Config c, double[] xTest) {
        return run(c, xTest.clone(), new SplittableRandom(c.seed() + 1));
    }

    private static Result run(Config c, double[] xTest, SplittableRandom rng) {
        Dataset data = data(c);
        int n = c.n(), d = c.d();
        if (xTest.length == 0 || xTest.length % d != 0) {
            throw new IllegalArgumentException("xTest: must hold k >= 1 rows of d = " + d + " numbers, got "
                    + xTest.length + " numbers");
        }
        int nTest = xTest.length / d;
        Parallelism seq = Parallelism.sequential();

        // Infinite width: Theta_inf on the training points and between test and training points, f0 = 0
        double[] kTrain = AnalyticKernels.matrix(c.kernel(), d, data.x(), n, seq);
        double[] kTest = AnalyticKernels.matrix(c.kernel(), d, xTest, nTest, data.x(), n, seq);
        KernelRegression analytic = new KernelRegression(kTrain, data.y(), new double[n]);
        double[] lambda = analytic.eigenvalues();
        double lambdaMax = lambda[0], lambdaMin = lambda[analytic.rank() - 1];
        double eta = c.etaFactor() * n / lambdaMax;
        double[] times = new double[c.steps().length];
        for (int k = 0; k < times.length; k++) {
            times[k] = eta * c.steps()[k];
        }
        double[][][] limit = new double[2][][];
        limit[0] = descentRecursion(kTrain, kTest, data.y(), new double[n], new double[nTest], eta, c.steps());
        limit[1] = new double[times.length][];
        KernelRegression.TestSet analyticTest = analytic.testSet(kTest, new double[nTest]);
        for (int k = 0; k < times.length; k++) {
            limit[1][k] = analyticTest.fTestAt(times[k]);
        }

        int models = Model.values().length, widths = c.widths().length;
        double[][][][][] outputs = new double[models][widths][c.nets()][][];
        double[] maxF0 = new double[widths * c.nets()];
        for (int w = 0; w < widths; w++) {
            int m = c.widths()[w];
            long[] seeds = rng.longs(c.nets()).toArray();
            int wi = w;
            IntStream.range(0, c.nets()).parallel().forEach(s -> {
                TwoLayerNet net = TwoLayerNet.initialize(d, m, c.activation(), c.parameterization(), seeds[s]);
                double[] theta0 = net.initialParameters();
                double[] f0 = new double[n], f0Test = new double[nTest];
                net.outputs(theta0, net.batch(data.x(), n, seq), f0);
                net.outputs(theta0, net.batch(xTest, nTest, seq), f0Test);
                double worst = 0;
                for (double v : f0Test) {
                    worst = Math.max(worst, Math.abs(v));
                }
                maxF0[wi * c.nets() + s] = worst;

                // The Taylor model in closed form, from the empirical NTK at theta0 with the net's own f0
                double[] eTrain = EmpiricalNtk.gram(net, theta0, data.x(), n, seq);
                double[] eTest = EmpiricalNtk.gram(net, theta0, xTest, nTest, data.x(), n, seq).total();
                outputs[Model.LINEARIZED_DESCENT.ordinal()][wi][s] =
                        descentRecursion(eTrain, eTest, data.y(), f0, f0Test, eta, c.steps());
                KernelRegression.TestSet lin = new KernelRegression(eTrain, data.y(), f0).testSet(eTest, f0Test);
                double[][] flowLin = new double[times.length][];
                for (int k = 0; k < times.length; k++) {
                    flowLin[k] = lin.fTestAt(times[k]);
                }
                outputs[Model.LINEARIZED_FLOW.ordinal()][wi][s] = flowLin;

                // The net itself, by gradient descent
                TrainingProblem problem = new TrainingProblem(net, data, Loss.SQUARED, seq);
                ProbeOutputs byDescent = new ProbeOutputs(net, xTest, nTest);
                new GradientDescent(problem, GradientDescent.Config.plain(eta)).run(times, byDescent);
                double[][] fd = new double[times.length][];
                for (int k = 0; k < times.length; k++) {
                    fd[k] = byDescent.outputsAt(k);
                }
                outputs[Model.NET_DESCENT.ordinal()][wi][s] = fd;
            });
        }
        double maxAbsF0 = Arrays.stream(maxF0).max().orElse(0);
        return new Result(c, times, eta, lambdaMax, lambdaMin, xTest, limit, outputs, maxAbsF0);
    }

    /**
     * Gradient descent on the squared loss of a model that is linear in its parameters, in function space:
     * f(X) -= (eta/n) Theta (f(X) - y) and f(T) -= (eta/n) Theta(T, X) (f(X) - y), exact for the Taylor model (whose
     * outputs move by J0 times the parameter step) and for kernel regression.
     *
     * @return the test outputs after each requested number of steps
     */
    static double[][] descentRecursion(double[] kTrain, double[] kTest, double[] y, double[] f0, double[] f0Test,
                                       double eta, int[] steps) {
        int n = y.length, nTest = f0Test.length;
        double[] f = f0.clone(), g = f0Test.clone(), r = new double[n];
        double[][] out = new double[steps.length][];
        int done = 0;
        for (int k = 0; k < steps.length; k++) {
            for (; done < steps[k]; done++) {
                for (int i = 0; i < n; i++) {
                    r[i] = f[i] - y[i];
                }
                for (int i = 0; i < n; i++) {
                    double s = 0;
                    for (int j = 0; j < n; j++) {
                        s += kTrain[i * n + j] * r[j];
                    }
                    f[i] -= eta / n * s;
                }
                for (int i = 0; i < nTest; i++) {
                    double s = 0;
                    for (int j = 0; j < n; j++) {
                        s += kTest[i * n + j] * r[j];
                    }
                    g[i] -= eta / n * s;
                }
            }
            out[k] = g.clone();
        }
        return out;
    }
}
