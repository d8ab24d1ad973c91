package twolayer.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import twolayer.chapter.mfld.MmnIsotropic;

/**
 * {@code twolayer experiment mmn}: Mei, Montanari and Nguyen's isotropic-Gaussian example ({@link MmnIsotropic}):
 * one online-SGD run per (width, step size, seed) and the radial reduction at finite d and at d = infinity, each a
 * unit, observed at the same times; the defaults are the chapter's ({@link MmnIsotropic.Config#chapter}).
 */
@Command(name = "mmn",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        version = "twolayer " + Twolayer.VERSION,
        header = "Mei-Montanari-Nguyen isotropic Gaussians: SGD risk against the 1-d reduction of the PDE.",
        descriptionHeading = "%n",
        optionListHeading = "%n",
        usageHelpWidth = 110,
        description = {
            "For every width N, step size eps and seed, run online SGD of N ramp neurons on x | y ~ N(0, (1 + y Delta)^2",
            "I_d), its risk in closed form at --observations equally spaced times t = k eps up to --time; and solve",
            "the radial reduction of the distributional dynamics with --radii particles at finite d (exact) and at",
            "d = infinity (MMN's), at the same times.",
            "Units are single-threaded: the results do not depend on --threads or --shard."},
        footer = {
            "",
            "Files (in --out DIR): runs/curve=sgd,N=<N>,eps=<eps>,seed=<s>.json, runs/curve=reduction.json and",
            "runs/curve=reduction-infinite-d.json (each with its risk series), and summary.csv.",
            "A rerun skips finished units; a folder of other settings is refused (exit 2) unless --restart.",
            "",
            "Exit codes: 0 done, 1 a unit failed or a write failed, 2 invalid options.",
            "",
            "Example (the chapter's figure):",
            "  twolayer experiment mmn --widths 800 --eps 5e-5,2e-4 --seeds 20261123,20261124 --out mmn"})
final class MmnCommand extends SweepCommand {

    @Option(names = "--widths", paramLabel = "N", defaultValue = "800",
            description = "SGD widths N: a list or a range LO..HI; default ${DEFAULT-VALUE}.")
    String widths;

    @Option(names = "--eps", paramLabel = "eps", defaultValue = "5e-5",
            description = "SGD step sizes, a list 5e-5,2e-4; default ${DEFAULT-VALUE}.")
    String eps;

    @Option(names = "--seeds", paramLabel = "SEEDS", defaultValue = "20261123",
            description = "SGD seeds: a list 1,2 or a range LO..HI; default ${DEFAULT-VALUE}.")
    String seeds;

    @Option(names = "--d", paramLabel = "d", defaultValue = "40", description = "input dimension; default ${DEFAULT-VALUE}.")
    int d;

    @Option(names = "--delta", paramLabel = "D", defaultValue = "0.8",
            description = "Delta in [0, 1): the classes' scales 1 +- Delta; default ${DEFAULT-VALUE}.")
    double delta;

    @Option(names = "--init-scale", paramLabel = "k", defaultValue = "0.8",
            description = "kappa: w ~ N(0, kappa^2/d I_d); default ${DEFAULT-VALUE}.")
    double initScale;

    @Option(names = "--radii", paramLabel = "M", defaultValue = "1000",
            description = "radius particles of the reduction; default ${DEFAULT-VALUE}.")
    int radii;

    @Option(names = "--time", paramLabel = "T", defaultValue = "12", description = "final time; default ${DEFAULT-VALUE}.")
    double time;

    @Option(names = "--observations", paramLabel = "k", defaultValue = "24",
            description = "observations on (0, T] (plus t = 0); default ${DEFAULT-VALUE}.")
    int observations;

    @Override
    String experiment() {
        return "mmn";
    }

    @Override
    Map<String, String> settings() {
        require(d >= 1, "--d", ">= 1", d);
        require(delta >= 0 && delta < 1, "--delta", "in [0, 1)", delta);
        // kappa^2 / d is the initial variance: it must be a finite number, or the dynamics never leave NaN
        require(initScale > 0 && Double.isFinite(initScale * initScale), "--init-scale",
                "> 0 with a finite square", initScale);
        require(radii >= 1, "--radii", ">= 1", radii);
        require(time > 0 && Double.isFinite(time), "--time", "finite and > 0", time);
        require(observations >= 1, "--observations", ">= 1", observations);
        return settingsOf("--d", d, "--delta", delta, "--init-scale", initScale, "--radii", radii, "--time", time,
                "--observations", observations);
    }

    /** t_q = q T / observations, q = 0..observations. */
    private double[] times() {
        double[] t = new double[observations + 1];
        for (int q = 0; q <= observations; q++) {
            t[q] = time * q / observations;
        }
        return t;
    }

    @Override
    List<Sweep.Unit> units() {
        double[] times = times();
        List<Sweep.Unit> units = new ArrayList<>();
        for (int width : Sweep.ints("--widths", widths, 1)) {
            for (double e : Sweep.doubles("--eps", eps, Double.MIN_VALUE)) {
                require(e <= time / observations, "--eps", "<= --time / --observations (a step or more between"
                        + " observations)", e);
                for (double t : times) {
                    // checked here, not in the first unit: SGD visits only t = k eps
                    double k = t / e;
                    require(Math.abs(k - Math.rint(k)) <= 1e-9 * Math.max(1, k), "--eps",
                            "such that every observed time is a whole number of steps (t = " + t + ")", e);
                }
                for (long seed : Sweep.longs("--seeds", seeds, Long.MIN_VALUE)) {
                    MmnIsotropic.Config c = new MmnIsotropic.Config(d, delta, width, e, initScale, radii, times);
                    units.add(new Sweep.Unit(keyOf("curve", "sgd", "N", width, "eps", e, "seed", seed),
                            () -> result(MmnIsotropic.sgd(c, seed))));
                }
            }
        }
        // the reductions do not depend on N, eps or the seed: one unit each
        MmnIsotropic.Config c = new MmnIsotropic.Config(d, delta, 1, 1.0, initScale, radii, times);
        units.add(new Sweep.Unit(keyOf("curve", "reduction"), () -> result(MmnIsotropic.reduction(c, true))));
        units.add(new Sweep.Unit(keyOf("curve", "reduction-infinite-d"),
                () -> result(MmnIsotropic.reduction(c, false))));
        return units;
    }

    private static Map<String, Object> result(MmnIsotropic.Curve curve) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("final_risk", curve.risk()[curve.risk().length - 1]);
        out.put("times", curve.times());
        out.put("risk", curve.risk());
        return out;
    }
}
