package twolayer.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import twolayer.chapter.twotimescale.UnionOfRkhs;
import twolayer.kernel.KernelRidgeBaseline;

/**
 * {@code twolayer experiment union-of-rkhs}: the two-timescale chapter's union-of-RKHSs experiment
 * ({@link UnionOfRkhs}) as a sweep over seeds (each its own hidden direction v*), one {@link UnionOfRkhs#run} and
 * {@link UnionOfRkhs#baselines} per unit; the defaults are the site figure's setting ({@link UnionOfRkhs.Config#site}).
 * See the baseline chapter, section "Experiments as commands".
 */
@Command(name = "union-of-rkhs",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        version = "twolayer " + Twolayer.VERSION,
        header = "Two-timescale learning of one member of a union of RKHSs against kernel ridge baselines, per seed.",
        descriptionHeading = "%n",
        optionListHeading = "%n",
        usageHelpWidth = 110,
        description = {
            "For every seed, draw a hidden direction v* on the sphere and n points x ~ N(0, I_d) labelled by a target",
            "in the RKHS of the directional kernel k_v* (scale --s, sections at --t0) plus U[-sigma, sigma] noise;",
            "train the mean-field tanh net with biases by the two-timescale dynamics and record along training its",
            "test error and the share of the particles' squared weight along v* (1/d at the start, 1 on the line),",
            "the particles (along v*, across) at the start and the end, and tuned kernel ridge regression with the",
            "analytic relu NTK, the initial intrinsic kernel and the oracle member kernel k_v*.",
            "Units are single-threaded: the results do not depend on --threads or --shard."},
        footer = {
            "",
            "Files (in --out DIR): runs/seed=<k>.json, one per unit, and summary.csv.",
            "A rerun skips finished units; a folder of other settings is refused (exit 2) unless --restart.",
            "",
            "Exit codes: 0 done, 1 a unit failed or a write failed, 2 invalid options.",
            "",
            "Example (ten directions at twice the data, as 5 shards of a job array):",
            "  twolayer experiment union-of-rkhs --seeds 1..10 --n 400 --shard $SLURM_ARRAY_TASK_ID/5 --out union"})
final class UnionOfRkhsCommand extends SweepCommand {

    @Option(names = "--seeds", paramLabel = "SEEDS", defaultValue = "20261123",
            description = "seeds of direction, data, initialisation and noise: a list 1,2 or a range LO..HI; default ${DEFAULT-VALUE}.")
    String seeds;

    @Option(names = "--width", paramLabel = "m", defaultValue = "200", description = "particles m, >= 1; default ${DEFAULT-VALUE}.")
    int width;

    @Option(names = "--steps", paramLabel = "K", defaultValue = "600", description = "training steps, >= 1; default ${DEFAULT-VALUE}.")
    int steps;

    @Option(names = "--d", paramLabel = "d", defaultValue = "15", description = "input dimension, >= 2; default ${DEFAULT-VALUE}.")
    int d;

    @Option(names = "--n", paramLabel = "n", defaultValue = "200", description = "training points, >= 5; default ${DEFAULT-VALUE}.")
    int n;

    @Option(names = "--n-test", paramLabel = "n", defaultValue = "1000", description = "test points, >= 1; default ${DEFAULT-VALUE}.")
    int nTest;

    @Option(names = "--eta", paramLabel = "eta", defaultValue = "0.2", description = "step size; default ${DEFAULT-VALUE}.")
    double eta;

    @Option(names = "--lambda", paramLabel = "l", defaultValue = "0.004", description = "entropy temperature; default ${DEFAULT-VALUE}.")
    double lambda;

    @Option(names = "--lambda-a", paramLabel = "l", defaultValue = "0.001", description = "second-layer ridge; default ${DEFAULT-VALUE}.")
    double lambdaA;

    @Option(names = "--lambda-w", paramLabel = "l", defaultValue = "0.05", description = "first-layer L2; default ${DEFAULT-VALUE}.")
    double lambdaW;

    @Option(names = "--s", paramLabel = "s", defaultValue = "2", description = "scale of the member's first-layer weights, > 0; default ${DEFAULT-VALUE}.")
    double s;

    @Option(names = "--t0", paramLabel = "t", defaultValue = "2", description = "position of the target's kernel sections; default ${DEFAULT-VALUE}.")
    double t0;

    @Option(names = "--sigma", paramLabel = "s", defaultValue = "0.1", description = "half-width of the label noise, >= 0; default ${DEFAULT-VALUE}.")
    double sigma;

    @Option(names = "--observations", paramLabel = "k", defaultValue = "30",
            description = "observations along training (plus step 0); default ${DEFAULT-VALUE}.")
    int observations;

    @Override
    String experiment() {
        return "union-of-rkhs";
    }

    @Override
    Map<String, String> settings() {
        require(width >= 1, "--width", ">= 1", width);
        require(steps >= 1, "--steps", ">= 1", steps);
        require(d >= 2, "--d", ">= 2", d);
        require(n >= 5, "--n", ">= 5", n);
        require(nTest >= 1, "--n-test", ">= 1", nTest);
        require(eta > 0 && Double.isFinite(eta), "--eta", "finite and > 0", eta);
        require(lambda > 0 && Double.isFinite(lambda), "--lambda", "finite and > 0", lambda);
        require(lambdaA > 0 && Double.isFinite(lambdaA), "--lambda-a", "finite and > 0", lambdaA);
        require(lambdaW >= 0 && Double.isFinite(lambdaW), "--lambda-w", "finite and >= 0", lambdaW);
        require(s > 0 && Double.isFinite(s), "--s", "finite and > 0", s);
        require(Double.isFinite(t0), "--t0", "finite", t0);
        require(sigma >= 0 && Double.isFinite(sigma), "--sigma", "finite and >= 0", sigma);
        require(observations >= 1, "--observations", ">= 1", observations);
        // the baselines' n x n and nTest x n kernel matrices dominate a unit's memory
        Memory.requireFits("--n", "the kernel baselines at n = " + n + ", n-test = " + nTest,
                3.0 * ((double) n * n + (double) nTest * n) * Memory.DOUBLE);
        return settingsOf("--width", width, "--steps", steps, "--d", d, "--n", n, "--n-test", nTest, "--eta", eta,
                "--lambda", lambda, "--lambda-a", lambdaA, "--lambda-w", lambdaW, "--s", s, "--t0", t0 + 0.0,
                "--sigma", sigma + 0.0, "--observations", observations);
    }

    @Override
    List<Sweep.Unit> units() {
        List<Sweep.Unit> units = new ArrayList<>();
        for (long seed : Sweep.longs("--seeds", seeds, Long.MIN_VALUE)) {
            UnionOfRkhs.Config c = new UnionOfRkhs.Config(seed, n, nTest, d, width, eta, lambda, lambdaA, lambdaW,
                    steps, s, t0, sigma, observations);
            units.add(new Sweep.Unit(keyOf("seed", seed), () -> result(UnionOfRkhs.run(c), UnionOfRkhs.baselines(c))));
        }
        return units;
    }

    private static Map<String, Object> result(UnionOfRkhs.Result r, UnionOfRkhs.Baselines b) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("final_test_error", r.finalTestError());
        m.put("initial_share", r.share()[0]);
        m.put("final_share", r.finalShare());
        baseline(m, "krr_ntk", b.analyticNtk());
        baseline(m, "krr_initial_intrinsic", b.initialIntrinsic());
        baseline(m, "krr_oracle", b.oracleMember());
        m.put("steps", r.steps());
        m.put("test_error", r.testError());
        m.put("share", r.share());
        m.put("initial_particles", r.initial());
        m.put("final_particles", r.last());
        return m;
    }

    private static void baseline(Map<String, Object> m, String name, KernelRidgeBaseline.Result k) {
        m.put(name + "_test_error", k.testMse());
        m.put(name + "_relative_ridge", k.relativeRidge());
    }
}
