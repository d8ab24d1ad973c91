package twolayer.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import twolayer.data.Dataset;
import twolayer.dynamics.GradientDescent;
import twolayer.dynamics.TrainingProblem;
import twolayer.linalg.Kernels;
import twolayer.model.Activation;
import twolayer.model.Loss;
import twolayer.model.Parallelism;
import twolayer.model.Parameterization;
import twolayer.model.TwoLayerNet;

/**
 * One full-batch gradient-descent step (forward, squared loss, gradient, update) of a relu or tanh network in
 * the ntk or the mean-field parameterisation without biases, on n Gaussian inputs of dimension d: the step that
 * {@code benchmarks/numpy_bench.py} times in NumPy on the same shapes (benchmark {@code gd-step-<activation>-<preset>}
 * of {@code benchmarks/run-all.sh}; see the performance chapter, section "What is timed").
 *
 * <p>Three methods split the step, so that the time of each part is a difference of two scores:
 * <ul>
 *   <li>{@link #step}: {@link GradientDescent#step()}, the whole step;</li>
 *   <li>{@link #lossAndGradient}: forward and backward pass, no update;</li>
 *   <li>{@link #forwardLoss}: the forward pass and the loss alone.</li>
 * </ul>
 *
 * <p>FLOP counts (nominal: one multiply and one add are two FLOP; relu comparisons are not counted), the
 * same convention as the NumPy script, so that GFLOP/s compare directly:
 * <pre>
 *   forward   Z = kW X W^T, f = kA S a                          2nmd + 2nm
 *   backward  grad_a = kA S^T r, D = r * sigma'(Z),
 *             grad_W = kA kW diag(a) D^T X                      2nmd + 4nm + md
 *   update    theta -= eta * grad                               2m(d+1)
 *   step      total                                             4nmd + 6nm + 3md + 2m
 * </pre>
 * For n = 1000, d = 100 that is 0.41 GFLOP per step per 1000 neurons. {@code benchmarks/summary.py}
 * and the performance chapter use the same count; {@link #flopsPerStep} is that count in Java. The activation
 * and its derivative (relu: compare and select; tanh: one {@code StrictMath.tanh} per entry, by the SIMD port) are not counted.
 *
 * <p>The mean-field preset (kA = 1/m, kW = 1, rates m) does the same arithmetic as the ntk preset; it is timed
 * because the NumPy side is then a different script path (no 1/sqrt(d) scaling, step eta m).
 *
 * <p>Setup (data, net, batch, trainer) happens in {@link #setUp}, outside the measured methods; each
 * measured call allocates nothing.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g", "--add-modules=jdk.incubator.vector"})
public class GradientStepBenchmark {

    /** Number of training inputs. */
    @Param({"1000"})
    public int n;

    /** Input dimension. */
    @Param({"100"})
    public int d;

    /** Width. */
    @Param({"256", "4096", "16384"})
    public int m;

    /** The activation: relu or tanh. */
    @Param({"relu", "tanh"})
    public String activation;

    /** The parameterisation: the ntk preset (sigmaW = sigmaV = 1, no biases) or the mean-field preset. */
    @Param({"ntk", "meanField"})
    public String preset;

    /** Worker threads of {@link Parallelism}. */
    @Param({"1", "2"})
    public int threads;

    /** Seed of the inputs, the targets and the initial parameters. */
    static final long SEED = 20261123L;
    /** Step size: far inside the stable range, so that long runs do not diverge. */
    static final double ETA = 0.05;

    private TrainingProblem problem;
    private GradientDescent gd;
    private double[] theta;
    private double[] grad;

    /** Nominal FLOP of one step (see the class comment). */
    public static double flopsPerStep(int n, int d, int m) {
        return 4.0 * n * m * d + 6.0 * n * m + 3.0 * m * d + 2.0 * m;
    }

    @Setup(Level.Trial)
    public void setUp() throws InterruptedException {
        // time the compiled SIMD kernels, not the scalar twin that answers while they warm up (a few seconds,
        // longer than the quick mode's warm-up iterations; same bits either way)
        Kernels.awaitWarm();
        SplittableRandom rng = new SplittableRandom(SEED);
        double[] x = new double[n * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextGaussian();
        }
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = Math.sin(x[i * d]);             // a smooth single-index target
        }
        Activation sigma = switch (activation) {
            case "relu" -> Activation.RELU;
            case "tanh" -> Activation.TANH;
            default -> throw new IllegalArgumentException("activation: relu or tanh, got " + activation);
        };
        Parameterization p = switch (preset) {
            case "ntk" -> Parameterization.ntk(1.0, 1.0);
            case "meanField" -> Parameterization.meanField();
            default -> throw new IllegalArgumentException("preset: ntk or meanField, got " + preset);
        };
        TwoLayerNet net = TwoLayerNet.initialize(d, m, sigma, p, SEED + 1);
        problem = new TrainingProblem(net, new Dataset(x, y, n, d), Loss.SQUARED, new Parallelism(threads));
        gd = new GradientDescent(problem, GradientDescent.Config.plain(ETA));
        theta = net.initialParameters();
        grad = new double[net.parameterCount()];
    }

    /** The whole gradient-descent step: forward, loss, backward, update. */
    @Benchmark
    public void step(Blackhole bh) {
        gd.step();
        bh.consume(gd.steps());
    }

    /** Forward and backward pass (loss and gradient), without the update. */
    @Benchmark
    public void lossAndGradient(Blackhole bh) {
        bh.consume(problem.lossAndGradient(theta, grad));
        bh.consume(grad);
    }

    /** The forward pass and the loss alone. */
    @Benchmark
    public void forwardLoss(Blackhole bh) {
        bh.consume(problem.loss(theta));
    }
}
