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
import twolayer.dynamics.TrainingProblem;
import twolayer.dynamics.TwoTimescale;
import twolayer.linalg.Kernels;
import twolayer.model.Activation;
import twolayer.model.Loss;
import twolayer.model.Parallelism;
import twolayer.model.Parameterization;
import twolayer.model.TwoLayerNet;

/**
 * One step of exact two-timescale training ({@link TwoTimescale#step()}, ratio infinity) of a relu net in the
 * mean-field parameterisation: the first layer's noisy gradient step at the optimal readout, then the intrinsic
 * kernel of the moved particles and the ridge solve (K + n lambdaA I) alpha = y by Cholesky, which
 * {@code benchmarks/numpy_bench.py} times as {@code two-timescale-step} (performance chapter, section
 * "What is timed").
 *
 * <p>Nominal FLOP: loss and gradient 4nmd + 6nm + md (see {@link GradientStepBenchmark}), the particle
 * update with decay and noise 6md, the features h = sigma(W X^T) 2nmd, the kernel K = (1/m) H^T H n^2 m (one triangle),
 * the Cholesky factor n^3/3 and its two triangular solves 2n^2, the readouts a = H alpha 2nm.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g", "--add-modules=jdk.incubator.vector"})
public class TwoTimescaleStepBenchmark {

    /** Number of training inputs. */
    @Param({"400"})
    public int n;

    /** Input dimension. */
    @Param({"15"})
    public int d;

    /** Width. */
    @Param({"2000"})
    public int m;

    /** Worker threads of {@link Parallelism}. */
    @Param({"1", "2"})
    public int threads;

    /** Step size, temperature, ridge and L2 strength: a stable, slowly moving run. */
    static final double ETA = 0.05, LAMBDA = 1e-3, LAMBDA_A = 1e-2, LAMBDA_W = 1e-3;

    private TwoTimescale tt;

    /** Nominal FLOP of one step (see the class comment). */
    public static double flops(int n, int d, int m) {
        return 4.0 * n * m * d + 6.0 * n * m + 7.0 * m * d + 2.0 * n * m * d
                + (double) n * n * m + n * (double) n * n / 3.0 + 2.0 * n * n + 2.0 * n * m;
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
        tt = new TwoTimescale(problem,
                TwoTimescale.Config.exact(ETA, LAMBDA, LAMBDA_A, LAMBDA_W, GradientStepBenchmark.SEED + 2));
    }

    /** One step: first layer, kernel, ridge solve, readouts. */
    @Benchmark
    public void step(Blackhole bh) {
        tt.step();
        bh.consume(tt.steps());
    }
}
