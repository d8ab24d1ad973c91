package twolayer.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import twolayer.chapter.twotimescale.KernelLearning;
import twolayer.data.Dataset;
import twolayer.kernel.GaussianKernel;

/**
 * {@code twolayer experiment kernel-learning}: Takakura and Suzuki's x1 x2 experiment ({@link KernelLearning}) as a
 * sweep over intrinsic noise levels and seeds, one {@link KernelLearning#run} per unit; the defaults are the site
 * figures' setting ({@link KernelLearning.Config#site}).
 */
@Command(name = "kernel-learning",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        version = "twolayer " + Twolayer.VERSION,
        header = "Two-timescale learning of f*(x) = x1 x2 (Takakura-Suzuki): alignment, df and test error per run.",
        descriptionHeading = "%n",
        optionListHeading = "%n",
        usageHelpWidth = 110,
        description = {
            "For every noise level sigma in --sigmas and seed in --seeds, train the mean-field tanh net with biases",
            "by the two-timescale dynamics on n points x ~ N(0, I_d), y = x1 x2 + U[-sigma, sigma], and record along",
            "training the intrinsic kernel's alignment with the labels, its degrees of freedom and the test error",
            "against the clean target, and at the end where the particles point (plane share, diagonality).",
            "Units are single-threaded: the results do not depend on --threads or --shard."},
        footer = {
            "",
            "Files (in --out DIR): runs/sigma=<s>,seed=<k>.json, one per unit (its series and final values, with the",
            "settings), written atomically when it ends; summary.csv, one row per unit file, rewritten at the end.",
            "A rerun skips finished units; a folder of other settings is refused (exit 2) unless --restart.",
            "",
            "Exit codes: 0 done, 1 a unit failed or a write failed, 2 invalid options.",
            "",
            "Example (the paper's scale: m = 2000, 10^4 steps, 5 seeds, as 8 shards of a job array):",
            "  twolayer experiment kernel-learning --width 2000 --steps 10000 --seeds 1..5 --sigmas 0,1,2 \\",
            "      --shard $SLURM_ARRAY_TASK_ID/8 --out kl"})
final class KernelLearningCommand extends SweepCommand {

    @Option(names = "--sigmas", paramLabel = "S", defaultValue = "0",
            description = "intrinsic label noise half-widths, a list 0,1,2; default ${DEFAULT-VALUE}.")
    String sigmas;

    @Option(names = "--seeds", paramLabel = "SEEDS", defaultValue = "1..5",
            description = "seeds of data, initialisation and noise: a list 1,2 or a range LO..HI; default ${DEFAULT-VALUE}.")
    String seeds;

    @Option(names = "--width", paramLabel = "m", defaultValue = "300", description = "particles m; default ${DEFAULT-VALUE}.")
    int width;

    @Option(names = "--steps", paramLabel = "K", defaultValue = "1000", description = "training steps; default ${DEFAULT-VALUE}.")
    int steps;

    @Option(names = "--d", paramLabel = "d", defaultValue = "15", description = "input dimension, >= 2; default ${DEFAULT-VALUE}.")
    int d;

    @Option(names = "--n", paramLabel = "n", defaultValue = "200", description = "training points, >= 5; default ${DEFAULT-VALUE}.")
    int n;

    @Option(names = "--n-test", paramLabel = "n", defaultValue = "1000", description = "test points; default ${DEFAULT-VALUE}.")
    int nTest;

    @Option(names = "--label-noise", paramLabel = "s", defaultValue = "0",
            description = "half-width of the label-noise procedure's fresh noise, 0 = off; default ${DEFAULT-VALUE}.")
    double labelNoise;

    @Option(names = "--eta", paramLabel = "eta", defaultValue = "0.2", description = "step size; default ${DEFAULT-VALUE}.")
    double eta;

    @Option(names = "--lambda", paramLabel = "l", defaultValue = "0.004", description = "entropy temperature; default ${DEFAULT-VALUE}.")
    double lambda;

    @Option(names = "--lambda-a", paramLabel = "l", defaultValue = "0.003", description = "second-layer ridge; default ${DEFAULT-VALUE}.")
    double lambdaA;

    @Option(names = "--lambda-w", paramLabel = "l", defaultValue = "0.05", description = "first-layer L2; default ${DEFAULT-VALUE}.")
    double lambdaW;

    @Option(names = "--observations", paramLabel = "k", defaultValue = "20",
            description = "observations along training (plus step 0); default ${DEFAULT-VALUE}.")
    int observations;

    @Option(names = "--baselines",
            description = {"also fit kernel ridge regression at the same n with the net's intrinsic and tangent kernels",
                "at initialisation, the analytic relu NTK and a Gaussian kernel (ridge and bandwidth tuned on a",
                "hold-out split of the training points) and record their test errors."})
    boolean baselines;

    @Override
    String experiment() {
        return "kernel-learning";
    }

    @Override
    Map<String, String> settings() {
        require(width >= 1, "--width", ">= 1", width);
        require(steps >= 1, "--steps", ">= 1", steps);
        require(d >= 2, "--d", ">= 2", d);
        require(n >= 5, "--n", ">= 5", n);
        require(nTest >= 1, "--n-test", ">= 1", nTest);
        require(observations >= 1, "--observations", ">= 1", observations);
        require(labelNoise >= 0 && Double.isFinite(labelNoise), "--label-noise", "finite and >= 0", labelNoise);
        require(eta > 0 && Double.isFinite(eta), "--eta", "finite and > 0", eta);
        require(lambda > 0 && Double.isFinite(lambda), "--lambda", "finite and > 0", lambda);
        require(lambdaA > 0 && Double.isFinite(lambdaA), "--lambda-a", "finite and > 0", lambdaA);
        require(lambdaW >= 0 && Double.isFinite(lambdaW), "--lambda-w", "finite and >= 0", lambdaW);
        // the kernel's n x n matrices and the net's m (d + 2) parameters dominate a unit's memory
        Memory.requireFits("--n", "the intrinsic kernel at n = " + n, 4.0 * n * n * Memory.DOUBLE);
        return settingsOf("--width", width, "--steps", steps, "--d", d, "--n", n, "--n-test", nTest,
                "--label-noise", labelNoise + 0.0, "--eta", eta, "--lambda", lambda, "--lambda-a", lambdaA,
                "--lambda-w", lambdaW, "--observations", observations, "--baselines", baselines);
    }

    @Override
    List<Sweep.Unit> units() {
        List<Sweep.Unit> units = new ArrayList<>();
        for (double sigma : Sweep.doubles("--sigmas", sigmas, 0)) {
            for (long seed : Sweep.longs("--seeds", seeds, Long.MIN_VALUE)) {
                KernelLearning.Config c = new KernelLearning.Config(seed, n, nTest, d, width, eta, lambda, lambdaA,
                        lambdaW, steps, sigma, labelNoise, observations);
                units.add(new Sweep.Unit(keyOf("sigma", sigma, "seed", seed), () -> {
                    Map<String, Object> out = result(KernelLearning.run(c));
                    if (baselines) {
                        out.putAll(baselines(c));
                    }
                    return out;
                }));
            }
        }
        return units;
    }

    private static Map<String, Object> result(KernelLearning.Result r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("final_alignment", KernelLearning.Result.last(r.alignment()));
        m.put("final_df", KernelLearning.Result.last(r.df()));
        m.put("final_test_error", KernelLearning.Result.last(r.testError()));
        m.put("plane_share", r.planeShare());
        m.put("diagonality", r.diagonality());
        m.put("steps", r.steps());
        m.put("alignment", r.alignment());
        m.put("df", r.df());
        m.put("test_error", r.testError());
        return m;
    }

    /**
     * The kernel-ridge baselines of the same data (the clean test targets, so each is an excess risk like the net's
     * test error): the net's kernels at initialisation and the analytic relu NTK ({@link KernelLearning#baselines}),
     * and a Gaussian kernel ({@link GaussianKernel#tuned}).
     */
    private static Map<String, Object> baselines(KernelLearning.Config c) {
        KernelLearning.Baselines b = KernelLearning.baselines(c);
        Dataset train = KernelLearning.train(c), test = KernelLearning.test(c);
        GaussianKernel.Tuned g = GaussianKernel.tuned(train.x(), train.y(), test.x(), test.y(), c.d());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("krr_intrinsic_init_test_error", b.initialIntrinsic().testMse());
        m.put("krr_ntk_init_test_error", b.initialNtk().testMse());
        m.put("krr_relu_ntk_test_error", b.analyticNtk().testMse());
        m.put("krr_gaussian_test_error", g.result().testMse());
        m.put("krr_gaussian_bandwidth", g.bandwidth());
        m.put("krr_ridges_at_grid_end", (b.initialIntrinsic().atGridEnd() ? 1 : 0) + (b.initialNtk().atGridEnd() ? 1 : 0)
                + (b.analyticNtk().atGridEnd() ? 1 : 0) + (g.result().atGridEnd() ? 1 : 0));
        // a bandwidth at an end of its grid says the grid, not the data, chose it
        double r = g.bandwidth() / Math.sqrt(c.d());
        double[] grid = GaussianKernel.RELATIVE_BANDWIDTHS;
        m.put("krr_gaussian_bandwidth_at_grid_end", Math.abs(r - grid[0]) < 1e-12 * grid[0]
                || Math.abs(r - grid[grid.length - 1]) < 1e-12 * grid[grid.length - 1]);
        return m;
    }
}
