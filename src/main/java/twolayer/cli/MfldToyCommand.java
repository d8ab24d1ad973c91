package twolayer.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import twolayer.chapter.mfld.MfldToy;
import twolayer.dynamics.ObservationTimes;

/**
 * {@code twolayer experiment mfld-toy}: the MFLD chapter's certified toy ({@link MfldToy}) over widths and seeds,
 * one {@link MfldToy#run} per unit; the defaults are the chapter's ({@link MfldToy.Config#chapter}).
 */
@Command(name = "mfld-toy",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        version = "twolayer " + Twolayer.VERSION,
        header = "Mean-field Langevin on the 1-d toy: certified bounds on the free-energy gap per (m, seed).",
        descriptionHeading = "%n",
        optionListHeading = "%n",
        usageHelpWidth = 110,
        description = {
            "For every width m and seed, run MFLD on y = tanh(2x) at n points of [-1, 1] from N(0, 1) and record,",
            "at --observations times up to --time, the free energy and its certified lower and upper bounds, with",
            "the grid optimum's free energy for reference.",
            "Units are single-threaded: the results do not depend on --threads or --shard."},
        footer = {
            "",
            "Files (in --out DIR): runs/m=<m>,seed=<s>.json, one per unit, and summary.csv.",
            "A rerun skips finished units; a folder of other settings is refused (exit 2) unless --restart.",
            "",
            "Exit codes: 0 done, 1 a unit failed or a write failed, 2 invalid options.",
            "",
            "Example:",
            "  twolayer experiment mfld-toy --widths 100,1000,10000 --seeds 1..3 --out mfld"})
final class MfldToyCommand extends SweepCommand {

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

    @Option(names = "--lambda", paramLabel = "l", defaultValue = "0.01", description = "entropy temperature; default ${DEFAULT-VALUE}.")
    double lambda;

    @Option(names = "--lambda-a", paramLabel = "l", defaultValue = "0.2", description = "L2 on a; default ${DEFAULT-VALUE}.")
    double lambdaA;

    @Option(names = "--lambda-w", paramLabel = "l", defaultValue = "0.2", description = "L2 on w; default ${DEFAULT-VALUE}.")
    double lambdaW;

    @Option(names = "--time", paramLabel = "T", defaultValue = "40", description = "final time; default ${DEFAULT-VALUE}.")
    double time;

    @Option(names = "--observations", paramLabel = "k", defaultValue = "40",
            description = "certified observations on (0, T]; default ${DEFAULT-VALUE}.")
    int observations;

    @Override
    String experiment() {
        return "mfld-toy";
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
                MfldToy.Config c = new MfldToy.Config(seed, n, m, eta, lambda, lambdaA, lambdaW, time, observations);
                units.add(new Sweep.Unit(keyOf("m", m, "seed", seed), () -> {
                    MfldToy.Result r = MfldToy.run(c);
                    return certifiedResult(r.bounds(), r.reference().freeEnergy());
                }));
            }
        }
        return units;
    }
}
