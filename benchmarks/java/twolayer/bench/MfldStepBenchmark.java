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
import twolayer.dynamics.MeanFieldLangevin;
import twolayer.dynamics.TrainingProblem;
import twolayer.linalg.Kernels;
import twolayer.model.Activation;
import twolayer.model.Loss;
import twolayer.model.Parallelism;
import twolayer.model.Parameterization;
import twolayer.model.TwoLayerNet;

/**
 * One mean-field Langevin step ({@link MeanFieldLangevin#step()}) of a relu net in the mean-field
 * parameterisation: the gradient step with the rate m, an L2 decay on a and w, and one Gaussian increment per
 * parameter, which {@code benchmarks/numpy_bench.py} times as {@code mfld-step} (performance chapter, section
 * "What is timed").
 *
 * <p>Nominal FLOP: the gradient step's 4nmd + 6nm + 3md + 2m (see {@link GradientStepBenchmark}) plus the
 * decay and the noise, 4m(d+1) (two multiply-adds per parameter); the m(d+1) normal draws are not counted.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g", "--add-modules=jdk.incubator.vector"})
public class MfldStepBenchmark {

    /** Number of training inputs. */
    @Param({"1000"})
    public int n;

    /** Input dimension. */
    @Param({"100"})
    public int d;

    /** Width. */
    @Param({"4096"})
    public int m;

    /** Worker threads of {@link Parallelism}. */
    @Param({"1", "2"})
    public int threads;

    /** Step size, temperature and L2 strengths: small, so that a long benchmark stays far from divergence. */
    static final double ETA = 0.05, LAMBDA = 1e-3, LAMBDA_A = 1e-3, LAMBDA_W = 1e-3;

    private MeanFieldLangevin mfld;

    /** Nominal FLOP of one step (see the class comment). */
    public static double flops(int n, int d, int m) {
        return GradientStepBenchmark.flopsPerStep(n, d, m) + 4.0 * m * (d + 1);
    }

    @Setup(Level.Trial)
    public void setUp() throws InterruptedException {
        // time the compiled SIMD kernels, not the scalar twin that answers while they warm up (a few seconds,
        // longer than the quick mode's warm-up iterations; same bits either way)
        Kernels.awaitWarm();
        SplittableRandom rng = new SplittableRandom(GradientStepBenchmark.SEED);
        double[] x = new double[n * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextGaussian();
        }
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = Math.sin(x[i * d]);
        }
        TwoLayerNet net = TwoLayerNet.initialize(d, m, Activation.RELU, Parameterization.meanField(),
                GradientStepBenchmark.SEED + 1);
        TrainingProblem problem = new TrainingProblem(net, new Dataset(x, y, n, d), Loss.SQUARED,
                new Parallelism(threads));
        mfld = new MeanFieldLangevin(problem,
                new MeanFieldLangevin.Config(ETA, LAMBDA, LAMBDA_A, LAMBDA_W, GradientStepBenchmark.SEED + 2));
    }

    /** One Euler-Maruyama step. */
    @Benchmark
    public void step(Blackhole bh) {
        mfld.step();
        bh.consume(mfld.steps());
    }
}
