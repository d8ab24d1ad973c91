package twolayer.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import twolayer.chapter.twotimescale.StaircaseSgd;
import twolayer.data.Staircase;

/**
 * {@code twolayer experiment staircase}: the two-timescale chapter's staircase experiment (Marion and Berthier;
 * {@link StaircaseSgd}) as a sweep over the two runs it compares and seeds, one {@link StaircaseSgd#run} per unit;
 * the defaults are the chapter's runs ({@link StaircaseSgd.Config#twoTimescale}, {@link StaircaseSgd.Config#equalRate}).
 * See the baseline chapter, section "Experiments as commands".
 */
@Command(name = "staircase",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        version = "twolayer " + Twolayer.VERSION,
        header = "Online SGD of a ramp network on a staircase, two-timescale against equal rates: error per run.",
        descriptionHeading = "%n",
        optionListHeading = "%n",
        usageHelpWidth = 110,
        description = {
            "For every run in --runs and seed in --seeds, train m ramp neurons f(x) = sum_j a_j sigma_r(x - u_j) by",
            "online SGD on x ~ U[0, 1], y = f*(x) + U[-noise, noise] with f* the Marion-Berthier staircase: the",
            "weights a at step size h, the positions u at h * eps (two-timescale: --tt-h, --tt-eps, --tt-steps;",
            "equal-rate: eps = 1, --eq-h, --eq-steps). Records the squared L2 error int (f - f*)^2 along training,",
            "each target jump's distance to its nearest neuron at the end, and the final network.",
            "Units are single-threaded: the results do not depend on --threads or --shard."},
        footer = {
            "",
            "Files (in --out DIR): runs/run=<r>,seed=<k>.json, one per unit, and summary.csv.",
            "A rerun skips finished units; a folder of other settings is refused (exit 2) unless --restart.",
            "",
            "Exit codes: 0 done, 1 a unit failed or a write failed, 2 invalid options.",
            "",
            "Example (the chapter's two runs over 10 seeds, as 4 shards of a job array):",
            "  twolayer experiment staircase --seeds 1..10 --shard $SLURM_ARRAY_TASK_ID/4 --out staircase"})
final class StaircaseCommand extends SweepCommand {

    @Option(names = "--runs", paramLabel = "R", defaultValue = "two-timescale,equal-rate",
            description = "a list of two-timescale, equal-rate; default ${DEFAULT-VALUE}.")
    String runs;

    @Option(names = "--seeds", paramLabel = "SEEDS", defaultValue = "20261123",
            description = "seeds of the initialisation and the samples: a list 1,2 or a range LO..HI; default ${DEFAULT-VALUE}.")
    String seeds;

    @Option(names = "--width", paramLabel = "m", defaultValue = "20", description = "neurons m, >= 1; default ${DEFAULT-VALUE}.")
    int width;

    @Option(names = "--tt-h", paramLabel = "h", defaultValue = "1e-3",
            description = "two-timescale run: step size of a; default ${DEFAULT-VALUE}.")
    double ttH;

    @Option(names = "--tt-eps", paramLabel = "eps", defaultValue = "2e-5",
            description = "two-timescale run: ratio of the positions' step size to h; default ${DEFAULT-VALUE}.")
    double ttEps;

    @Option(names = "--tt-steps", paramLabel = "K", defaultValue = "1750000",
            description = "two-timescale run: SGD steps; default ${DEFAULT-VALUE}.")
    long ttSteps;

    @Option(names = "--eq-h", paramLabel = "h", defaultValue = "1e-5",
            description = "equal-rate run: step size of a and u; default ${DEFAULT-VALUE}.")
    double eqH;

    @Option(names = "--eq-steps", paramLabel = "K", defaultValue = "1000000",
            description = "equal-rate run: SGD steps; default ${DEFAULT-VALUE}.")
    long eqSteps;

    @Option(names = "--ramp-width", paramLabel = "r", defaultValue = "4e-3",
            description = "width r of each neuron's ramp; default ${DEFAULT-VALUE}.")
    double rampWidth;

    @Option(names = "--noise", paramLabel = "s", defaultValue = "1",
            description = "half-width of the uniform label noise, >= 0; default ${DEFAULT-VALUE}.")
    double noise;

    @Option(names = "--observations", paramLabel = "k", defaultValue = "50",
            description = "error evaluations along training (plus step 0); default ${DEFAULT-VALUE}.")
    int observations;

    @Override
    String experiment() {
        return "staircase";
    }

    @Override
    Map<String, String> settings() {
        require(width >= 1, "--width", ">= 1", width);
        require(ttH > 0 && Double.isFinite(ttH), "--tt-h", "finite and > 0", ttH);
        require(ttEps > 0 && Double.isFinite(ttEps), "--tt-eps", "finite and > 0", ttEps);
        require(ttSteps >= 1, "--tt-steps", ">= 1", ttSteps);
        require(eqH > 0 && Double.isFinite(eqH), "--eq-h", "finite and > 0", eqH);
        require(eqSteps >= 1, "--eq-steps", ">= 1", eqSteps);
        require(rampWidth > 0 && Double.isFinite(rampWidth), "--ramp-width", "finite and > 0", rampWidth);
        require(noise >= 0 && Double.isFinite(noise), "--noise", "finite and >= 0", noise);
        require(observations >= 1, "--observations", ">= 1", observations);
        return settingsOf("--width", width, "--tt-h", ttH, "--tt-eps", ttEps, "--tt-steps", ttSteps, "--eq-h", eqH,
                "--eq-steps", eqSteps, "--ramp-width", rampWidth, "--noise", noise + 0.0,
                "--observations", observations);
    }

    @Override
    List<Sweep.Unit> units() {
        List<String> names = List.of(runs.split(",")).stream().map(String::trim).toList();
        require(names.stream().distinct().count() == names.size(), "--runs", "distinct", runs);
        long[] ss = Sweep.longs("--seeds", seeds, Long.MIN_VALUE);
        Staircase target = Staircase.marionBerthier();
        List<Sweep.Unit> units = new ArrayList<>();
        for (String name : names) {
            require(name.equals("two-timescale") || name.equals("equal-rate"), "--runs",
                    "a list of two-timescale, equal-rate", name);
            for (long seed : ss) {
                StaircaseSgd.Config c = name.equals("two-timescale")
                        ? new StaircaseSgd.Config(width, ttH, ttEps, ttSteps, rampWidth, noise, observations, seed)
                        : new StaircaseSgd.Config(width, eqH, 1.0, eqSteps, rampWidth, noise, observations, seed);
                units.add(new Sweep.Unit(keyOf("run", name, "seed", seed),
                        () -> result(c, StaircaseSgd.run(target, c))));
            }
        }
        return units;
    }

    private static Map<String, Object> result(StaircaseSgd.Config c, StaircaseSgd.Result r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("h", c.h());
        m.put("eps", c.eps());
        m.put("final_error", r.error());
        m.put("worst_jump_distance", r.worstJumpDistance());
        m.put("steps", r.steps());
        m.put("errors", r.errors());
        m.put("jump_distance", r.jumpDistance());
        m.put("positions", r.network().positions());
        m.put("weights", r.network().weights());
        return m;
    }
}
