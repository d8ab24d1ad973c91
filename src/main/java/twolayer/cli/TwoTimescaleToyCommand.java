package twolayer.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import twolayer.chapter.twotimescale.TwoTimescaleToy;
import twolayer.dynamics.ObservationTimes;

/**
 * {@code twolayer experiment two-timescale-toy}: the two-timescale chapter's certified toy ({@link TwoTimescaleToy})
 * over widths and seeds, one {@link TwoTimescaleToy#run} per unit; the defaults are the chapter's
 * ({@link TwoTimescaleToy.Config#chapter}).
 */
@Command(name = "two-timescale-toy",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        version = "twolayer " + Twolayer.VERSION,
        header = "Two-timescale dynamics on the 1-d toy: certified bounds on the objective's gap per (m, seed).",
        descriptionHeading = "%n",
        optionListHeading = "%n",
        usageHelpWidth = 110,
        description = {
            "For every width m and seed, run the exact two-timescale dynamics of a tanh net with biases on",
            "y = tanh(3x - 1) at n points of [-1, 1] from the prior and record, at --observations times up to --time,",
            "the objective G and its certified lower and upper bounds, with the grid optimum's G for reference.",
            "Units are single-threaded: the results do not depend on --threads or --shard."},
        footer = {
            "",
            "Files (in --out DIR): runs/m=<m>,seed=<s>.json, one per unit, and summary.csv.",
            "A rerun skips finished units; a folder of other settings is refused (exit 2) unless --restart.",
            "",
            "Exit codes: 0 done, 1 a unit failed or a write failed, 2 invalid options.",
            "",
            "Example:",
            "  twolayer experiment two-timescale-toy --widths 100,1000 --seeds 1..3 --out tt"})
final class TwoTimescaleToyCommand extends SweepCommand {

    @Option(names = "--widths", paramLabel = "WIDTHS", defaultValue = "100,1000",
            description = "widths m: a list or a range LO..HI; default ${DEFAULT-VALUE}.")
    String widths;

    @Option(names = "--seeds", paramLabel = "SEEDS", defaultValue = "1..3",
            description = "seeds: a list 1,2 or a range LO..HI; default ${DEFAULT-VALUE}.")
    String seeds;

    @Option(names = "--n", paramLabel = "n", defaultValue = "20", description = "training points, >= 2; default ${DEFAULT-VALUE}.")
    int n;

    @Option(names = "--eta", paramLabel = "eta", defaultValue = "0.05", description = "step size; default ${DEFAULT-VALUE}.")
    double eta;

    @Option(names = "--lambda", paramLabel = "l", defaultValue = "0.02", description = "entropy temperature; default ${DEFAULT-VALUE}.")
    double lambda;

    @Option(names = "--lambda-a", paramLabel = "l", defaultValue = "0.05", description = "ridge of the second layer; default ${DEFAULT-VALUE}.")
    double lambdaA;

    @Option(names = "--lambda-w", paramLabel = "l", defaultValue = "0.1", description = "L2 on (w, b); default ${DEFAULT-VALUE}.")
    double lambdaW;

    @Option(names = "--time", paramLabel = "T", defaultValue = "30", description = "final time; default ${DEFAULT-VALUE}.")
    double time;

    @Option(names = "--observations", paramLabel = "k", defaultValue = "30",
            description = "certified observations on (0, T]; default ${DEFAULT-VALUE}.")
    int observations;

    @Override
    String experiment() {
        return "two-timescale-toy";
    }

    @Override
    Map<String, String> settings() {
        require(n >= 2, "--n", ">= 2", n);
        require(eta > 0 && Double.isFinite(eta), "--eta", "finite and > 0", eta);
        require(lambda > 0 && Double.isFinite(lambda), "--lambda", "finite and > 0", lambda);
        require(lambdaA > 0 && Double.isFinite(lambdaA), "--lambda-a", "finite and > 0", lambdaA);
        require(lambdaW > 0 && Double.isFinite(lambdaW), "--lambda-w", "finite and > 0", lambdaW);
        require(time > 0 && Double.isFinite(time), "--time", "finite and > 0", time);
        require(observations >= 1, "--observations", ">= 1", observations);
        // checked here, not in the first unit: time / eta steps split into whole steps between observations
        parse("--observations", () -> ObservationTimes.wholeSteps(time, eta, observations));
        return settingsOf("--n", n, "--eta", eta, "--lambda", lambda, "--lambda-a", lambdaA, "--lambda-w", lambdaW,
                "--time", time, "--observations", observations);
    }

    @Override
    List<Sweep.Unit> units() {
        List<Sweep.Unit> units = new ArrayList<>();
        for (int m : Sweep.ints("--widths", widths, 1)) {
            for (long seed : Sweep.longs("--seeds", seeds, Long.MIN_VALUE)) {
                TwoTimescaleToy.Config c =
                        new TwoTimescaleToy.Config(seed, n, m, eta, lambda, lambdaA, lambdaW, time, observations);
                units.add(new Sweep.Unit(keyOf("m", m, "seed", seed), () -> {
                    TwoTimescaleToy.Result r = TwoTimescaleToy.run(c);
                    return certifiedResult(r.bounds(), r.reference().freeEnergy());
                }));
            }
        }
        return units;
    }
}
