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
import twolayer.kernel.EmpiricalNtk;
import twolayer.linalg.Kernels;
import twolayer.model.Activation;
import twolayer.model.Parallelism;
import twolayer.model.Parameterization;
import twolayer.model.TwoLayerNet;

/**
 * The empirical NTK Gram of n inputs with itself, split into its four groups (a, w, b, c), of a relu net in the
 * ntk parameterisation with biases: {@link EmpiricalNtk#gram(TwoLayerNet, double[], double[], int, double[], int,
 * Parallelism)} with x1 = x2, the computation that {@code benchmarks/numpy_bench.py} times as {@code ntk-gram}
 * (performance chapter, section "What is timed").
 *
 * <p>Nominal FLOP (a multiply and an add are two): the features Z = kW X W^T + kB b once, 2nmd; the Grams
 * S S^T and G G^T, 2n^2m each; the input Gram X X^T, 2n^2d. Total 4n^2m + 2n^2d + 2nmd, 11.05 GFLOP at
 * n = 500, d = 100, m = 10^4. (Both programs do about half of it: the Java code computes the entries on and
 * above the diagonal of each Gram and mirrors them, and NumPy's {@code S @ S.T} uses a symmetric rank-k update.
 * The count is of the mathematics, not of either program.)
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g", "--add-modules=jdk.incubator.vector"})
public class NtkGramBenchmark {

    /** Number of inputs. */
    @Param({"500"})
    public int n;

    /** Input dimension. */
    @Param({"100"})
    public int d;

    /** Width. */
    @Param({"10000"})
    public int m;

    /** Worker threads of {@link Parallelism}. */
    @Param({"1", "2"})
    public int threads;

    private TwoLayerNet net;
    private double[] theta;
    private double[] x;
    private Parallelism parallelism;

    /** Nominal FLOP of one Gram (see the class comment). */
    public static double flops(int n, int d, int m) {
        return 4.0 * n * n * m + 2.0 * n * n * d + 2.0 * n * m * d;
    }

    @Setup(Level.Trial)
    public void setUp() throws InterruptedException {
        // time the compiled SIMD kernels, not the scalar twin that answers while they warm up (a few seconds,
        // longer than the quick mode's warm-up iterations; same bits either way)
        Kernels.awaitWarm();
        SplittableRandom rng = new SplittableRandom(GradientStepBenchmark.SEED);
        x = new double[n * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextGaussian();
        }
        net = TwoLayerNet.initialize(d, m, Activation.RELU, Parameterization.ntk(1.0, 1.0, 0.1),
                GradientStepBenchmark.SEED + 1);
        theta = net.initialParameters();
        parallelism = new Parallelism(threads);
    }

    /** The four group Grams of x with itself. */
    @Benchmark
    public EmpiricalNtk.Split gram() {
        return EmpiricalNtk.gram(net, theta, x, n, x, n, parallelism);
    }
}
