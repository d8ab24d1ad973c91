package twolayer.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import twolayer.chapter.twotimescale.TwoTimescaleErrors;
import twolayer.chapter.twotimescale.TwoTimescaleToy;

/**
 * {@code twolayer experiment two-timescale-errors}: the two-timescale chapter's three error terms
 * ({@link TwoTimescaleErrors}: finite rate ratio, time step, particles) unit by unit, one
 * {@link TwoTimescaleErrors#ratioGapAt}, {@link TwoTimescaleErrors#meanEnergy} or
 * {@link TwoTimescaleErrors#particleBiasAt} per unit, seeded as the chapter's figures seed them (the k-th width's
 * runs {@code seed + 1 + k * repeats} on), with the figures' settings as defaults. See the baseline chapter, section
 * "Experiments as commands".
 */
@Command(name = "two-timescale-errors",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        version = "twolayer " + Twolayer.VERSION,
        header = "Two-timescale MFLD's errors on the toy: finite rate ratio, step size and width, one unit each.",
        descriptionHeading = "%n",
        optionListHeading = "%n",
        usageHelpWidth = 110,
        description = {
            "On the two-timescale toy (n points of y = tanh(3x - 1), a mean-field tanh net with biases, the second layer",
            "at its ridge optimum):",
            "part=ratio: joint training with the second layer r times faster than the first against the exact inner",
            "solve on the same Brownian path up to --ratio-time: the largest energy difference and particle distance;",
            "part=step: the stationary mean energy at step size eta on [--burn-in, --time], every run on the Brownian",
            "path of a run with step --finest-eta (so that differences between step sizes are the O(eta) bias);",
            "part=particles: the stationary mean of G(p_mu) - G* at width m over --repeats runs (O(1/m)).",
            "The k-th width's runs are seeded --seed + 1 + k * repeats on, as in the chapter; the first seed is part",
            "of the unit's key. Units are single-threaded: the results do not depend on --threads or --shard."},
        footer = {
            "",
            "Files (in --out DIR): runs/part=ratio,r=<r>.json, runs/part=step,eta=<eta>.json and",
            "runs/part=particles,m=<m>,seed=<s>.json, one per unit, and summary.csv.",
            "A rerun skips finished units; a folder of other settings is refused (exit 2) unless --restart.",
            "",
            "Exit codes: 0 done, 1 a unit failed or a write failed, 2 invalid options.",
            "",
            "Example (the particle part at larger widths and more repeats, as 4 shards of a job array):",
            "  twolayer experiment two-timescale-errors --parts particles --widths 25,50,100,200,400,800,1600 --repeats 8 \\",
            "      --shard $SLURM_ARRAY_TASK_ID/4 --out tt-errors"})
final class TwoTimescaleErrorsCommand extends SweepCommand {

    @Option(names = "--parts", paramLabel = "P", defaultValue = "ratio,step,particles",
            description = "a list of ratio, step, particles; default ${DEFAULT-VALUE}.")
    String parts;

    @Option(names = "--ratios", paramLabel = "R", defaultValue = "1,4,16,64,256,1024",
            description = "part=ratio: rate ratios r > 0; default ${DEFAULT-VALUE}.")
    String ratios;

    @Option(names = "--ratio-width", paramLabel = "m", defaultValue = "200",
            description = "part=ratio: width, >= 1; default ${DEFAULT-VALUE}.")
    int ratioWidth;

    @Option(names = "--ratio-eta", paramLabel = "eta", defaultValue = "0.05",
            description = "part=ratio: step size; default ${DEFAULT-VALUE}.")
    double ratioEta;

    @Option(names = "--ratio-time", paramLabel = "T", defaultValue = "5",
            description = "part=ratio: horizon; default ${DEFAULT-VALUE}.")
    double ratioTime;

    @Option(names = "--ratio-spacing", paramLabel = "t", defaultValue = "0.25",
            description = "part=ratio: time between compared observations; default ${DEFAULT-VALUE}.")
    double ratioSpacing;

    @Option(names = "--etas", paramLabel = "ETAS", defaultValue = "0.2,0.1,0.05,0.025",
            description = "part=step: step sizes, each a multiple of --finest-eta; default ${DEFAULT-VALUE}.")
    String etas;

    @Option(names = "--finest-eta", paramLabel = "eta", defaultValue = "0.025",
            description = "part=step: step of the run whose Brownian path drives every run; default ${DEFAULT-VALUE}.")
    double finestEta;

    @Option(names = "--step-spacing", paramLabel = "t", defaultValue = "0.2",
            description = "part=step: time between averaged observations; default ${DEFAULT-VALUE}.")
    double stepSpacing;

    @Option(names = "--width", paramLabel = "m", defaultValue = "200",
            description = "part=step: width, >= 1; default ${DEFAULT-VALUE}.")
    int width;

    @Option(names = "--widths", paramLabel = "WIDTHS", defaultValue = "25,50,100,200,400,800",
            description = "part=particles: widths m: a list or a range LO..HI; default ${DEFAULT-VALUE}.")
    String widths;

    @Option(names = "--repeats", paramLabel = "k", defaultValue = "2",
            description = "part=particles: runs per width, >= 1; default ${DEFAULT-VALUE}.")
    int repeats;

    @Option(names = "--particle-eta", paramLabel = "eta", defaultValue = "0.2",
            description = "part=particles: step size; default ${DEFAULT-VALUE}.")
    double particleEta;

    @Option(names = "--particle-spacing", paramLabel = "t", defaultValue = "1",
            description = "part=particles: time between averaged observations; default ${DEFAULT-VALUE}.")
    double particleSpacing;

    @Option(names = "--time", paramLabel = "T", defaultValue = "60",
            description = "part=step and particles: final time; default ${DEFAULT-VALUE}.")
    double time;

    @Option(names = "--burn-in", paramLabel = "t", defaultValue = "20",
            description = "part=step and particles: observations after this time are averaged; default ${DEFAULT-VALUE}.")
    double burnIn;

    @Option(names = "--n", paramLabel = "n", defaultValue = "20", description = "training points, >= 2; default ${DEFAULT-VALUE}.")
    int n;

    @Option(names = "--lambda", paramLabel = "l", defaultValue = "0.02", description = "entropy temperature; default ${DEFAULT-VALUE}.")
    double lambda;

    @Option(names = "--lambda-a", paramLabel = "l", defaultValue = "0.05", description = "ridge of the second layer; default ${DEFAULT-VALUE}.")
    double lambdaA;

    @Option(names = "--lambda-w", paramLabel = "l", defaultValue = "0.1", description = "L2 on (w, b); default ${DEFAULT-VALUE}.")
    double lambdaW;

    @Option(names = "--seed", paramLabel = "s", defaultValue = "20261123",
            description = "seed of the toy (see above); default ${DEFAULT-VALUE}.")
    long seed;

    @Override
    String experiment() {
        return "two-timescale-errors";
    }

    @Override
    Map<String, String> settings() {
        require(ratioWidth >= 1, "--ratio-width", ">= 1", ratioWidth);
        positive("--ratio-eta", ratioEta);
        positive("--ratio-time", ratioTime);
        positive("--ratio-spacing", ratioSpacing);
        wholeSteps("--ratio-spacing", ratioSpacing, ratioEta);
        require(ratioTime / ratioSpacing >= 0.5 && ratioTime / ratioSpacing <= Integer.MAX_VALUE, "--ratio-time",
                "at least half of --ratio-spacing", ratioTime);
        positive("--finest-eta", finestEta);
        positive("--step-spacing", stepSpacing);
        require(width >= 1, "--width", ">= 1", width);
        require(repeats >= 1, "--repeats", ">= 1", repeats);
        positive("--particle-eta", particleEta);
        positive("--particle-spacing", particleSpacing);
        wholeSteps("--particle-spacing", particleSpacing, particleEta);
        positive("--time", time);
        require(burnIn >= 0 && burnIn < time, "--burn-in", ">= 0 and < --time " + time, burnIn);
        require(n >= 2, "--n", ">= 2", n);
        positive("--lambda", lambda);
        positive("--lambda-a", lambdaA);
        positive("--lambda-w", lambdaW);
        return settingsOf("--ratio-width", ratioWidth, "--ratio-eta", ratioEta, "--ratio-time", ratioTime,
                "--ratio-spacing", ratioSpacing, "--finest-eta", finestEta, "--step-spacing", stepSpacing,
                "--width", width, "--repeats", repeats, "--particle-eta", particleEta,
                "--particle-spacing", particleSpacing, "--time", time, "--burn-in", burnIn + 0.0, "--n", n,
                "--lambda", lambda, "--lambda-a", lambdaA, "--lambda-w", lambdaW, "--seed", seed);
    }

    private static void positive(String option, double v) {
        require(v > 0 && Double.isFinite(v), option, "finite and > 0", v);
    }

    /** A spacing the runs cover in a whole number (>= 1) of steps. */
    private static void wholeSteps(String option, double spacing, double eta) {
        double steps = spacing / eta;
        require(steps >= 0.5 && Math.abs(steps - Math.rint(steps)) <= 1e-9 * steps, option,
                "a whole number >= 1 of steps of " + eta, spacing);
    }

    @Override
    List<Sweep.Unit> units() {
        List<String> names = List.of(parts.split(",")).stream().map(String::trim).toList();
        require(names.stream().distinct().count() == names.size(), "--parts", "distinct", parts);
        for (String p : names) {
            require(p.equals("ratio") || p.equals("step") || p.equals("particles"), "--parts",
                    "a list of ratio, step, particles", p);
        }
        // the chapter's toy (TwoTimescaleToy.Config.chapter) with the sizes of each part
        TwoTimescaleToy.Config toy = new TwoTimescaleToy.Config(seed, n, width, particleEta, lambda, lambdaA, lambdaW,
                time, 1);
        List<Sweep.Unit> units = new ArrayList<>();
        if (names.contains("ratio")) {
            TwoTimescaleToy.Config c = toy.with(ratioEta, ratioWidth, ratioTime, 1);
            for (double r : Sweep.doubles("--ratios", ratios, 0)) {
                require(r > 0, "--ratios", "each > 0", r);
                units.add(new Sweep.Unit(keyOf("part", "ratio", "r", r), () -> {
                    double[] gap = TwoTimescaleErrors.ratioGapAt(c, r, ratioSpacing);
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("energy_gap", gap[0]);
                    m.put("max_particle_distance", gap[1]);
                    return m;
                }));
            }
        }
        if (names.contains("step")) {
            for (double eta : Sweep.doubles("--etas", etas, 0)) {
                long factor = Math.round(eta / finestEta);
                require(factor >= 1 && Math.abs(factor * finestEta - eta) <= 1e-12 * eta, "--etas",
                        "multiples of --finest-eta " + finestEta, eta);
                wholeSteps("--step-spacing", stepSpacing, eta);
                units.add(new Sweep.Unit(keyOf("part", "step", "eta", eta), () -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("mean_energy", TwoTimescaleErrors.meanEnergy(toy, eta, finestEta, burnIn, stepSpacing));
                    return m;
                }));
            }
        }
        if (names.contains("particles")) {
            int[] ms = Sweep.ints("--widths", widths, 1);
            // G* and the certificate do not depend on the width or the seed: computed once, as the chapter does
            java.util.function.Supplier<Double> reference = once(() -> TwoTimescaleToy.reference(toy).freeEnergy());
            for (int k = 0; k < ms.length; k++) {
                int m = ms[k];
                long first = seed + 1 + (long) k * repeats;
                units.add(new Sweep.Unit(keyOf("part", "particles", "m", m, "seed", first), () -> {
                    double gStar = reference.get();
                    Map<String, Object> r = new LinkedHashMap<>();
                    r.put("objective_bias", TwoTimescaleErrors.particleBiasAt(toy, m, first, repeats, burnIn,
                            particleSpacing, gStar, TwoTimescaleToy.certificate(toy)));
                    r.put("reference_objective", gStar);
                    return r;
                }));
            }
        }
        return units;
    }
}
